// The options of `createClient`, and their defaults checked once where the client is built.

/** Header values as `fetch` takes them; `undefined` values are left out. */
export type HeadersValue = HeadersInit | Record<string, string | undefined>;

/** Headers sent with every request, or a function that answers them per request (for short-lived auth tokens). */
export type ClientHeaders = HeadersValue | (() => HeadersValue | Promise<HeadersValue>);

/** Options for `createClient`. */
export interface ClientOptions {
  /**
   * Where the Agentry handler is mounted: `/api/agentry` in a browser on the same origin,
   * or an absolute URL (`https://app.example.com/api/agentry`) elsewhere.
   * @example '/api/agentry'
   */
  baseUrl: string | URL;
  /**
   * Headers for every request, e.g. `{ authorization: 'Bearer …' }`, or a function called
   * before each request so a refreshed token is always used. The client never sends a
   * tenant id of its own: the server derives the tenant from your session or token.
   * @default {}
   */
  headers?: ClientHeaders;
  /** A fetch implementation (a framework's server-side fetch, a test double). @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * How long to wait for the server's answer, per request, in milliseconds. For `stream`
   * it bounds only the wait for the response headers, not the stream itself. `false` disables it.
   * @default 60_000
   */
  timeoutMs?: number | false;
  /**
   * Retries for reads (`GET /agents`, `/executions`, `/executions/:id`) on network errors
   * and 408/429/5xx. Executions (`POST`) are never retried automatically: a retried POST
   * would start, and bill, a second run. A number is the `limit`.
   * @default { limit: 2, maxRetryAfterMs: 10_000 }
   */
  retry?: number | ClientRetryOptions;
  /**
   * Reconnects of a dropped event stream (`stream`, `events`): the client resumes with
   * `GET /executions/:id/events` and `Last-Event-ID`, so no event is lost or repeated. Waits
   * 300 ms, 600 ms, 1.2 s, … between attempts; counts only attempts that received nothing.
   * `0` turns it off (a dropped stream throws at once).
   * @default 3
   */
  reconnectAttempts?: number;
}

/** How reads are retried. */
export interface ClientRetryOptions {
  /** Retries after the first attempt. `0` turns retries off. @default 2 */
  limit?: number;
  /**
   * The longest wait a server's `Retry-After` (or `retry-after-ms`) is honoured for, in
   * milliseconds. A server that asks for longer is not retried early: the read fails at once
   * with its error (`rate_limited` for a 429), whose `retryAfterMs` says how long it asked for.
   * Without `Retry-After`, retries back off 300 ms, 600 ms, 1.2 s, … up to this.
   * @default 10_000
   */
  maxRetryAfterMs?: number;
}

/** Fills the retry defaults and refuses values that cannot work, saying which. */
export function resolveRetry(retry: ClientOptions['retry']): Required<ClientRetryOptions> {
  const options = typeof retry === 'number' ? { limit: retry } : (retry ?? {});
  const limit = options.limit ?? 2;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TypeError(
      `createClient: retry limit must be an integer >= 0 (got ${String(limit)}); 0 turns retries off.`,
    );
  }
  if (typeof maxRetryAfterMs !== 'number' || Number.isNaN(maxRetryAfterMs) || maxRetryAfterMs < 0) {
    throw new TypeError(`createClient: retry.maxRetryAfterMs must be a number >= 0 (got ${String(maxRetryAfterMs)}).`);
  }
  return { limit, maxRetryAfterMs };
}
