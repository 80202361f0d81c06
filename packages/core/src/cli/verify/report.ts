import type { CheckResult, CheckStatus } from './checklist';
import type { Exchange, Phase } from './recorder';

/** One row of the error breakdown: answers that were not 2xx, grouped. */
export interface ErrorBreakdownRow {
  phase: Phase;
  /** `POST /agents/:id/executions` with ids folded. */
  route: string;
  /** `404 not_found`, `timeout`, `no answer`. */
  answer: string;
  count: number;
  /** Whether the phase asked for it (the isolation and error-handling probes expect 4xx). */
  expected: boolean;
}

/** The whole result of a verify run: what `--json` prints and the sign-off page shows. */
export interface VerifyReport {
  /** The report's format version. */
  version: 1;
  url: string;
  startedAt: string;
  finishedAt: string;
  /** The worst item (`skip` counts as nothing). Exit code 1 when `fail`. */
  status: Exclude<CheckStatus, 'skip'>;
  checks: CheckResult[];
  latency: {
    targetMs: { mock: number; live: number };
    /** Time to first output of each successful mock run, in ms. */
    mockFirstOutputMs: number[];
    mockTotalMs: number[];
    liveFirstOutputMs: number[];
    loadMs: number[];
  };
  requests: { total: number; byPhase: Partial<Record<Phase, number>>; notOk: ErrorBreakdownRow[] };
}

const EXPECTED_4XX: ReadonlySet<Phase> = new Set(['isolation', 'errors']);

/** Folds ids out of a path: `executions/exec_1/events` → `executions/:id/events`. */
function routeOf(path: string): string {
  return path
    .replace(/^\/?(executions)\/[^/]+/, '/$1/:id')
    .replace(/^\/?(agents)\/[^/]+\/executions/, '/$1/:id/executions')
    .replace(/^(?!\/)/, '/');
}

/** Groups the answers that were not 2xx by phase, route and answer. */
export function errorBreakdown(exchanges: readonly Exchange[]): ErrorBreakdownRow[] {
  const rows = new Map<string, ErrorBreakdownRow>();
  for (const exchange of exchanges) {
    if (exchange.outcome === 'answered' && exchange.status !== undefined && exchange.status < 300) continue;
    const answer =
      exchange.outcome === 'timeout'
        ? 'timeout'
        : exchange.outcome === 'network-error'
          ? 'no answer'
          : `${exchange.status}${exchange.code ? ` ${exchange.code}` : ''}`;
    const route = `${exchange.method} ${routeOf(exchange.path)}`;
    const key = `${exchange.phase}|${route}|${answer}`;
    const row = rows.get(key);
    if (row) row.count += 1;
    else {
      rows.set(key, {
        phase: exchange.phase,
        route,
        answer,
        count: 1,
        expected: EXPECTED_4XX.has(exchange.phase) && exchange.status !== undefined && exchange.status < 500,
      });
    }
  }
  return [...rows.values()].sort((x, y) => Number(x.expected) - Number(y.expected) || y.count - x.count);
}
