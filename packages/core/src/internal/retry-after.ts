// Shared by the browser client and the provider adapters, so it imports nothing.

/** Anything with a case-insensitive `get(name)`: `Headers`, or an SDK's headers object. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/**
 * How long the server asked us to wait, in milliseconds: `retry-after-ms` first (OpenAI and
 * Anthropic send it), then `retry-after` as seconds or an HTTP date. `undefined` when neither
 * header is there or readable.
 */
export function retryAfterFromHeaders(
  headers: HeaderSource | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === null || headers === undefined) return undefined;
  const milliseconds = headers.get('retry-after-ms')?.trim();
  if (milliseconds) {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  return retryAfterValue(headers.get('retry-after'), now);
}

/** One `Retry-After` value (seconds or an HTTP date) in milliseconds; a date in the past is 0. */
export function retryAfterValue(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
