import type { AnyAgent, ExecutionMode } from '../agent';
import { AgentryError } from '../errors';
import type {
  AgentService,
  AgentSummary,
  ExecutionEvent,
  ExecutionResult,
  HealthReport,
  RunOptions,
} from '../executor/types';
import { delay } from '../internal/delay';
import { toRecord } from '../internal/headers';
import type { ExecutionPage, ListExecutionsOptions } from '../store';
import { readExecutionEvents } from './execution-event-stream';
import { errorFromFailure, errorFromResponse, parseRetryAfter } from './http-errors';

/** Header values as `fetch` takes them; `undefined` values are left out. */
export type HeadersValue = HeadersInit | Record<string, string | undefined>;

/** Headers sent with every request, or a function that answers them per request (for short-lived auth tokens). */
export type ClientHeaders = HeadersValue | (() => HeadersValue | Promise<HeadersValue>);

/** Options for {@link createClient}. */
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

/** The typed client for an Agentry server: the same {@link AgentService} the TestPanel uses. */
export type AgentryClient<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]> = AgentService<TAgents>;

const STREAM_TYPE = 'text/event-stream';

/**
 * Creates a browser-safe client for an Agentry server (`createHandler`). Every method
 * rejects with an {@link AgentryError} carrying the server's `code`, `userMessage`,
 * `issues` and `executionId`; a server that cannot be reached rejects with a retryable
 * `internal` error that says so.
 *
 * @example
 * const client = createClient({ baseUrl: '/api/agentry' });
 * const result = await client.execute({ agentId: 'summarize', input: { text: '…' }, mode: 'mock' });
 * for await (const event of client.stream({ agentId: 'summarize', input, signal })) render(event);
 */
export function createClient<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]>(
  options: ClientOptions,
): AgentryClient<TAgents> {
  if (
    options === null ||
    typeof options !== 'object' ||
    (typeof options.baseUrl !== 'string' && !(options.baseUrl instanceof URL))
  ) {
    throw new TypeError("createClient: pass { baseUrl }, e.g. createClient({ baseUrl: '/api/agentry' }).");
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const { limit: retryLimit, maxRetryAfterMs } = resolveRetry(options.retry);
  const prefix = String(options.baseUrl).replace(/\/+$/, '');
  const headers = options.headers;
  const fetchImplementation =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  interface RequestOptions {
    method?: 'GET' | 'POST';
    json?: unknown;
    query?: Record<string, string | number | undefined>;
    signal?: AbortSignal | undefined;
    accept?: string;
    /** Retries on network errors and 408/429/5xx. Only reads pass a limit: a retried POST would start a second run. */
    retries?: number;
    /** Whether a non-2xx answer throws. @default true */
    throwHttpErrors?: boolean;
  }

  /**
   * One HTTP request on plain `fetch` (ky would cost 9 kB gzip of the TestPanel's 25 kB
   * budget): headers resolved per request, a timeout on the wait for the response
   * headers, retries with backoff (honouring `Retry-After`) for reads only.
   */
  async function send(path: string, request: RequestOptions = {}): Promise<Response> {
    let url = `${prefix}/${path}`;
    const query = Object.entries(request.query ?? {}).filter(([, value]) => value !== undefined);
    if (query.length > 0)
      url += `?${new URLSearchParams(query.map(([key, value]) => [key, String(value)])).toString()}`;
    const retries = request.retries ?? 0;
    for (let attempt = 0; ; attempt += 1) {
      const requestHeaders = new Headers(
        headers === undefined ? undefined : toRecord(typeof headers === 'function' ? await headers() : headers),
      );
      if (request.accept) requestHeaders.set('accept', request.accept);
      if (request.json !== undefined) requestHeaders.set('content-type', 'application/json');
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
        response = await fetchImplementation(url, init);
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
      throw errorFromResponse(response, data);
    }
  }

  async function call<T>(path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw errorFromFailure(error, { url: `${prefix}/${path}`, timeoutMs });
    }
  }

  const getJson = <T>(path: string, request: RequestOptions = {}) =>
    call(path, async () => (await send(path, { retries: retryLimit, ...request })).json() as Promise<T>);

  function executionBody(run: RunOptions): { input: unknown; mode: ExecutionMode; seed?: number } {
    const body: { input: unknown; mode: ExecutionMode; seed?: number } = { input: run.input, mode: run.mode ?? 'mock' };
    if (run.seed !== undefined) body.seed = run.seed;
    return body;
  }

  const client = {
    listAgents(request: { signal?: AbortSignal } = {}) {
      return getJson<AgentSummary[]>('agents', { signal: request.signal });
    },

    execute(run: RunOptions) {
      const path = `agents/${encodeURIComponent(run.agentId)}/executions`;
      return call(
        path,
        async () =>
          (
            await send(path, { method: 'POST', json: executionBody(run), signal: run.signal })
          ).json() as Promise<ExecutionResult>,
      );
    },

    stream(run: RunOptions) {
      return streamExecution(run);
    },

    listExecutions(request: ListExecutionsOptions & { signal?: AbortSignal } = {}) {
      return getJson<ExecutionPage>('executions', {
        query: { agentId: request.agentId, limit: request.limit, cursor: request.cursor },
        signal: request.signal,
      });
    },

    getExecution(executionId: string, request: { signal?: AbortSignal } = {}) {
      return getJson<ExecutionResult>(`executions/${encodeURIComponent(executionId)}`, { signal: request.signal });
    },

    health(request: { signal?: AbortSignal } = {}) {
      return call('health', async () => {
        // 503 still carries a health report (status `down`): read it rather than throw.
        const response = await send('health', { throwHttpErrors: false, signal: request.signal });
        const data: unknown = await response.json().catch(() => undefined);
        if (isHealthReport(data)) return data;
        throw errorFromResponse(response, data);
      });
    },
  };

  async function* streamExecution(run: RunOptions): AsyncGenerator<ExecutionEvent, void, undefined> {
    const path = `agents/${encodeURIComponent(run.agentId)}/executions`;
    // Our own controller lets `break` close the connection even when the caller passed no signal.
    const controller = new AbortController();
    const signal = run.signal === undefined ? controller.signal : AbortSignal.any([run.signal, controller.signal]);
    try {
      const response = await call(path, () =>
        send(path, { method: 'POST', json: executionBody(run), accept: STREAM_TYPE, signal }),
      );
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith(STREAM_TYPE) || response.body === null) {
        await response.body?.cancel().catch(() => undefined);
        throw new AgentryError(
          'internal',
          `Expected an event stream from ${prefix}/${path} but got "${type || 'no content type'}". Check that baseUrl points at an Agentry handler.`,
        );
      }
      try {
        yield* readExecutionEvents(response.body);
      } catch (error) {
        if (signal.aborted) {
          throw new AgentryError('cancelled', 'The stream was cancelled by its caller.', { cause: error });
        }
        throw errorFromFailure(error, { url: `${prefix}/${path}`, timeoutMs });
      }
    } finally {
      controller.abort();
    }
  }

  // The generic per-agent signatures of AgentService cannot be expressed by one runtime object; the
  // shapes are checked by the tests, as `executor.forTenant` does.
  return client as unknown as AgentryClient<TAgents>;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Fills the retry defaults and refuses values that cannot work, saying which. */
function resolveRetry(retry: ClientOptions['retry']): Required<ClientRetryOptions> {
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

/** 300 ms, 600 ms, 1.2 s, … capped at `capMs`: the waits ky used for reads. */
function backoffMs(attempt: number, capMs: number): number {
  return Math.min(300 * 2 ** attempt, capMs);
}

function isHealthReport(value: unknown): value is HealthReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'string' &&
    typeof (value as { providers?: unknown }).providers === 'object'
  );
}
