// The one HTTP request helper of the client: headers resolved per request, a timeout on the wait
// for the response headers, retries with backoff (honouring `Retry-After`) for reads only, and
// every failure turned into an `AgentryError` that names the URL.
import { delay } from '../internal/delay';
import { toRecord } from '../internal/headers';
import {
  type AgentryBody,
  errorFromFailure,
  errorFromResponse,
  JSON_CONTENT_TYPE,
  parseRetryAfter,
  readAgentryJson,
} from '../protocol';
import { type ClientOptions, resolveRetry } from './client-options';

/** One request of the client. */
export interface TransportRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  json?: unknown;
  query?: URLSearchParams;
  signal?: AbortSignal | undefined;
  accept?: string;
  /** Retries on network errors and 408/429/5xx. Only reads pass a limit: a retried POST would start a second run. */
  retries?: number;
  /** Whether a non-2xx answer throws. @default true */
  throwHttpErrors?: boolean;
  /** Extra request headers (`Last-Event-ID`). */
  headers?: Record<string, string>;
}

/** The client's requests, built once per client. */
export interface Transport {
  readonly timeoutMs: number | false;
  /** The absolute URL of a route path. */
  url(path: string): string;
  /** One HTTP request; throws the server's error for a non-2xx answer unless `throwHttpErrors: false`. */
  send(path: string, request?: TransportRequest): Promise<Response>;
  /** Runs `run`, turning what it throws (a network error, a timeout) into an `AgentryError` naming the URL. */
  call<T>(path: string, run: () => Promise<T>): Promise<T>;
  /** One JSON answer of the protocol; reads are retried, a write passes `retries: 0`. */
  getJson<T>(path: string, body: AgentryBody<T>, request?: TransportRequest): Promise<T>;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** 300 ms, 600 ms, 1.2 s, … capped at `capMs`: the waits ky used for reads. */
export function backoffMs(attempt: number, capMs: number): number {
  return Math.min(300 * 2 ** attempt, capMs);
}

/**
 * The client's HTTP requests on plain `fetch`, from the client's options (retries checked here) (ky would cost 9 kB gzip of the TestPanel's 25 kB
 * budget).
 */
export function createTransport(options: ClientOptions): Transport {
  const { limit: retryLimit, maxRetryAfterMs } = resolveRetry(options.retry);
  const prefix = String(options.baseUrl).replace(/\/+$/, '');
  const { headers } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const fetchImplementation =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const url = (path: string) => `${prefix}/${path}`;

  async function send(path: string, request: TransportRequest = {}): Promise<Response> {
    let target = url(path);
    const query = request.query?.toString() ?? '';
    if (query !== '') target += `?${query}`;
    const retries = request.retries ?? 0;
    for (let attempt = 0; ; attempt += 1) {
      const requestHeaders = new Headers(
        headers === undefined ? undefined : toRecord(typeof headers === 'function' ? await headers() : headers),
      );
      if (request.accept) requestHeaders.set('accept', request.accept);
      for (const [name, value] of Object.entries(request.headers ?? {})) requestHeaders.set(name, value);
      if (request.json !== undefined) requestHeaders.set('content-type', JSON_CONTENT_TYPE);
      const timeout = new AbortController();
      const timer =
        timeoutMs === false
          ? undefined
          : setTimeout(
              () => timeout.abort(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' })),
              timeoutMs,
            );
      const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
      let response: Response;
      try {
        const init: RequestInit = { method: request.method ?? 'GET', headers: requestHeaders, signal };
        if (request.json !== undefined) init.body = JSON.stringify(request.json);
        response = await fetchImplementation(target, init);
      } catch (error) {
        const reason = timeout.signal.aborted ? timeout.signal.reason : error;
        if (attempt < retries && !request.signal?.aborted && !timeout.signal.aborted) {
          await delay(backoffMs(attempt, maxRetryAfterMs), request.signal);
          continue;
        }
        throw reason;
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      if (response.ok || request.throwHttpErrors === false) return response;
      // A server that asks for a longer pause than we will wait is answered now, with its error
      // (and `retryAfterMs`), rather than retried early against its wish.
      const retryAfter = parseRetryAfter(response.headers);
      if (
        attempt < retries &&
        RETRY_STATUSES.has(response.status) &&
        (retryAfter === undefined || retryAfter <= maxRetryAfterMs)
      ) {
        await response.body?.cancel().catch(() => undefined);
        await delay(retryAfter ?? backoffMs(attempt, maxRetryAfterMs), request.signal);
        continue;
      }
      const data: unknown = await response.json().catch(() => undefined);
      throw errorFromResponse(response, data, undefined, target);
    }
  }

  async function call<T>(path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw errorFromFailure(error, { url: url(path), timeoutMs });
    }
  }

  const getJson = <T>(path: string, body: AgentryBody<T>, request: TransportRequest = {}) =>
    call(path, async () => readAgentryJson(await send(path, { retries: retryLimit, ...request }), url(path), body));

  return { timeoutMs, url, send, call, getJson };
}
