// The compare view's figures, as plain data: which metrics differ by how much, and how the two
// outputs differ (path by path for JSON, line by line for text).
import type { ExecutionMetrics, ExecutionResult } from '@agentry/core';
import { type JsonChange, jsonDiff, type LineChange, lineDiff, signedDelta } from '../json-diff';

/** The metrics the compare view shows, in order, with their unit. */
export const COMPARED_METRICS = [
  { key: 'durationMs', unit: 'ms' },
  { key: 'timeToFirstOutputMs', unit: 'ms' },
  { key: 'inputTokens', unit: 'tokens' },
  { key: 'outputTokens', unit: 'tokens' },
  { key: 'costUsd', unit: 'usd' },
] as const;

export type ComparedMetric = (typeof COMPARED_METRICS)[number]['key'];

/** One row of the metrics table. */
export interface MetricRow {
  key: ComparedMetric;
  unit: 'ms' | 'tokens' | 'usd';
  before: number | null;
  after: number | null;
  /** B − A with its sign (`+12`, `−0.5`, `±0`); `undefined` when either side is unknown. */
  delta: string | undefined;
  /** For styling only: the text carries the sign. */
  sign: 'up' | 'down' | 'same' | undefined;
}

const known = (value: number | null | undefined) => (typeof value === 'number' ? value : null);

/** Every compared metric of two runs with its change; unknown figures stay unknown (never 0). */
export function metricRows(before: ExecutionMetrics, after: ExecutionMetrics): MetricRow[] {
  return COMPARED_METRICS.map(({ key, unit }) => {
    const a = known(before[key]);
    const b = known(after[key]);
    const text = signedDelta(a ?? undefined, b ?? undefined);
    const delta = text === '—' ? undefined : text;
    const sign = a === null || b === null ? undefined : b > a ? 'up' : b < a ? 'down' : 'same';
    return { key, unit, before: a, after: b, delta, sign };
  });
}

/** How two outputs differ: by JSON path, by line, or not at all when too big to diff by line. */
export type OutputComparison =
  | { kind: 'json'; texts: [string, string]; changes: JsonChange[] }
  | { kind: 'text'; texts: [string, string]; lines: LineChange[] }
  | { kind: 'too-large'; texts: [string, string] };

/** The line diff is quadratic: above this many line pairs the outputs are only shown, not diffed. */
const MAX_LINE_PAIRS = 4_000_000;
/** Characters of each output shown side by side. */
const MAX_SHOWN_CHARS = 20_000;

function outputValue(record: ExecutionResult): unknown {
  return record.output ?? (record.status === 'succeeded' ? null : `[${record.error.code}] ${record.error.message}`);
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? '');
}

const isStructured = (value: unknown) => value !== null && typeof value === 'object';

/** Compares two runs' outputs (a failed run's output is its partial text, or its error). */
export function compareOutputs(before: ExecutionResult, after: ExecutionResult): OutputComparison {
  const a = outputValue(before);
  const b = outputValue(after);
  const full: [string, string] = [asText(a), asText(b)];
  const texts = full.map((text) => (text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}\n…` : text)) as [
    string,
    string,
  ];
  if (isStructured(a) && isStructured(b)) return { kind: 'json', texts, changes: jsonDiff(a, b) };
  const pairs = (full[0].split('\n').length + 1) * (full[1].split('\n').length + 1);
  if (pairs > MAX_LINE_PAIRS) return { kind: 'too-large', texts };
  return { kind: 'text', texts, lines: lineDiff(full[0], full[1]) };
}
