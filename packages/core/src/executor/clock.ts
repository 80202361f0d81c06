/** Monotonic time in ms, for durations. */
export function now(): number {
  return globalThis.performance.now();
}

let lastMs = Number.NaN;
let lastIso = '';

/**
 * The wall-clock time as an ISO 8601 string. Runs are far shorter than a millisecond, so most
 * share the last one's string instead of building a `Date` and formatting it again.
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
