// What differs between a request and a recorded one: the body of a tape miss's message.
import type { TapeEntry, TapeKeyField, TapeRequest } from './tape-types';

/** One difference: a JSON path, and the recorded and requested values there (`undefined`: absent). */
export interface TapeDifference {
  path: string;
  recorded: unknown;
  requested: unknown;
}

const MAX_DIFFERENCES = 200;

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return parent === '' ? name : /^[A-Za-z_$]/.test(name) ? `${parent}.${name}` : `${parent}[${name}]`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function compare(recorded: unknown, requested: unknown, path: string, out: TapeDifference[]): void {
  if (out.length >= MAX_DIFFERENCES || Object.is(recorded, requested)) return;
  if (Array.isArray(recorded) && Array.isArray(requested)) {
    const length = Math.max(recorded.length, requested.length);
    for (let index = 0; index < length; index += 1)
      compare(recorded[index], requested[index], pathOf(path, index), out);
    return;
  }
  if (isRecord(recorded) && isRecord(requested)) {
    const keys = new Set([...Object.keys(recorded), ...Object.keys(requested)]);
    for (const key of [...keys].sort()) compare(recorded[key], requested[key], pathOf(path, key), out);
    return;
  }
  if (recorded === undefined && requested === undefined) return;
  out.push({ path: path === '' ? '$' : path, recorded, requested });
}

/** The differences of two requests over the key fields, in path order (at most 200). */
export function diffRequests(
  recorded: TapeRequest,
  requested: TapeRequest,
  keyFields: readonly TapeKeyField[],
): TapeDifference[] {
  const out: TapeDifference[] = [];
  for (const field of keyFields) compare(recorded[field], requested[field], field, out);
  return out;
}

/** The recorded entry closest to `requested` (fewest differing values; the first on a tie), with its differences. */
export function nearestEntry(
  entries: readonly TapeEntry[],
  requested: TapeRequest,
  keyFields: readonly TapeKeyField[],
): { entry: TapeEntry; index: number; differences: TapeDifference[] } | undefined {
  let best: { entry: TapeEntry; index: number; differences: TapeDifference[] } | undefined;
  entries.forEach((entry, index) => {
    const differences = diffRequests(entry.request, requested, keyFields);
    if (best === undefined || differences.length < best.differences.length) best = { entry, index, differences };
  });
  return best;
}

const VALUE_WIDTH = 60;

function clip(text: string, width = VALUE_WIDTH): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Two strings shown around their first difference, so a one-character change is visible. */
function showStrings(recorded: string, requested: string): [string, string] {
  let start = 0;
  while (start < recorded.length && start < requested.length && recorded[start] === requested[start]) start += 1;
  const from = Math.max(0, start - 20);
  const show = (text: string) =>
    `${from > 0 ? '…' : ''}${clip(JSON.stringify(text.slice(from)).slice(1, -1), VALUE_WIDTH - 2)}`;
  return [`"${show(recorded)}"`, `"${show(requested)}"`];
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  return clip(JSON.stringify(value) ?? String(value));
}

/** The differences as lines for people: `  messages[1].content: "…" (recorded) → "…" (requested)`. */
export function formatDifferences(differences: readonly TapeDifference[], limit = 12): string {
  const lines = differences.slice(0, limit).map(({ path, recorded, requested }) => {
    const [before, after] =
      typeof recorded === 'string' && typeof requested === 'string'
        ? showStrings(recorded, requested)
        : [show(recorded), show(requested)];
    return `  ${path}: ${before} (recorded) → ${after} (requested)`;
  });
  if (differences.length > limit) lines.push(`  … and ${differences.length - limit} more`);
  return lines.join('\n');
}
