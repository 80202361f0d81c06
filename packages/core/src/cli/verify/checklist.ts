/** How one item of the checklist came out. `skip`: not run (opt-in, or nothing to check), with the reason. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One item of the deployment checklist, as printed, written to JSON and to the sign-off page. */
export interface CheckResult {
  /** Stable id for CI scripts, e.g. `mock-latency`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** The measured figure, e.g. `p95 212 ms (target < 500 ms)`. */
  figure: string;
  /** Why, item by item: each failed probe, each provider, each finding. */
  details: string[];
}

/** The symbol printed for each status. */
export const STATUS_SYMBOL: Readonly<Record<CheckStatus, string>> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '➖',
};

/** The worst of some statuses (`skip` counts as nothing). */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  if (statuses.includes('pass')) return 'pass';
  return 'skip';
}

/** A check item from its parts (details default to none). */
export function check(
  id: string,
  title: string,
  status: CheckStatus,
  figure: string,
  details: readonly string[] = [],
): CheckResult {
  return { id, title, status, figure, details: [...details] };
}
