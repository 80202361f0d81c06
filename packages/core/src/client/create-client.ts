import type { AnyAgent } from '../agent';
import { AgentryError, isAgentryError } from '../errors';
import type { AgentService, ExecutionEventsOptions, RunOptions, StreamConnectionState } from '../executor/types';
import { delay } from '../internal/delay';
import { toRecord } from '../internal/headers';
import {
  AGENT_LIST,
  type AgentryBody,
  EVENT_STREAM_CONTENT_TYPE,
  EXECUTION_PAGE,
  EXECUTION_RECORD,
  type ExecutionEvent,
  type ExecutionEventEntry,
  errorFromFailure,
  errorFromResponse,
  executionRequestBody,
  HEALTH_REPORT,
  isEventStreamContentType,
  JSON_CONTENT_TYPE,
  type ListExecutionsOptions,
  listExecutionsQuery,
  notAgentryEndpoint,
  parseRetryAfter,
  readAgentryJson,
  readExecutionEventEntries,
  routePath,
  SAVE_RUN_RESULT,
  type SaveRunAs,
  type SaveRunResult,
  streamCutError,
  TEST_CASE,
  TEST_CASE_LIST,
  type TestCaseBody,
} from '../protocol';
import type { TestCaseService } from '../test-cases';

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

/**
 * The typed client for an Agentry server: the same {@link AgentService} the TestPanel uses, and
 * the tenant's saved test cases (`testCases`, when the server enables them).
 */
export type AgentryClient<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]> = AgentService<TAgents> & {
  readonly testCases: TestCaseService;
  // --- tapes (issue 14) ---
  /**
   * Saves a completed live run of this tenant as a tape or a mock (`POST /executions/:id/tape`),
   * where the server's store keeps them. Allowed only when the agent's summary says
   * `canSaveRuns`; otherwise `not_found`. A mock run or one that did not succeed: `validation_failed`.
   */
  saveRun(executionId: string, options: { as: SaveRunAs; signal?: AbortSignal }): Promise<SaveRunResult>;
  // --- end tapes ---
};

/**
 * Creates a browser-safe client for an Agentry server (`createHandler`). Every method
 * rejects with an {@link AgentryError} carrying the server's `code`, `userMessage`,
 * `issues` and `executionId`; a server that cannot be reached rejects with a retryable
 * `internal` error that says so; an address that answers with something other than an Agentry
 * handler's answer (an SPA's `index.html`, another API, a 404 page) rejects with
 * `not_agentry_endpoint`, naming what came back and from where.
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
  const reconnectAttempts = options.reconnectAttempts ?? 3;
  if (!Number.isInteger(reconnectAttempts) || reconnectAttempts < 0) {
    throw new TypeError(
      `createClient: reconnectAttempts must be an integer >= 0 (got ${String(reconnectAttempts)}); 0 turns reconnects off.`,
    );
  }
  const prefix = String(options.baseUrl).replace(/\/+$/, '');
  const headers = options.headers;
  const fetchImplementation =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  interface RequestOptions {
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

  /**
   * One HTTP request on plain `fetch` (ky would cost 9 kB gzip of the TestPanel's 25 kB
   * budget): headers resolved per request, a timeout on the wait for the response
   * headers, retries with backoff (honouring `Retry-After`) for reads only.
   */
  async function send(path: string, request: RequestOptions = {}): Promise<Response> {
    let url = `${prefix}/${path}`;
    const query = request.query?.toString() ?? '';
    if (query !== '') url += `?${query}`;
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
      throw errorFromResponse(response, data, undefined, url);
    }
  }

  async function call<T>(path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw errorFromFailure(error, { url: `${prefix}/${path}`, timeoutMs });
    }
  }

  // One JSON answer of the protocol; reads are retried, a write passes `retries: 0`.
  const getJson = <T>(path: string, body: AgentryBody<T>, request: RequestOptions = {}) =>
    call(path, async () =>
      readAgentryJson(await send(path, { retries: retryLimit, ...request }), `${prefix}/${path}`, body),
    );

  const client = {
    listAgents(request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'agents' }), AGENT_LIST, { signal: request.signal });
    },

    // A run is not retried: a second POST would run (and bill) it twice.
    execute(run: RunOptions) {
      return getJson(routePath({ name: 'execute', agentId: run.agentId }), EXECUTION_RECORD, {
        method: 'POST',
        json: executionRequestBody(run),
        signal: run.signal,
        retries: 0,
      });
    },

    stream(run: RunOptions) {
      return streamExecution(run);
    },

    listExecutions(request: ListExecutionsOptions & { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'executions' }), EXECUTION_PAGE, {
        query: listExecutionsQuery(request),
        signal: request.signal,
      });
    },

    getExecution(executionId: string, request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'execution', executionId }), EXECUTION_RECORD, { signal: request.signal });
    },

    // Cancelling is idempotent on the server, so it is retried like a read.
    cancel(executionId: string, request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'cancel', executionId }), EXECUTION_RECORD, {
        method: 'POST',
        signal: request.signal,
      });
    },

    // --- tapes (issue 14) ---
    // Saving writes once (a second save replaces the first), but is not retried: the answer says where it went.
    saveRun(executionId: string, request: { as: SaveRunAs; signal?: AbortSignal }) {
      return getJson(routePath({ name: 'saveRun', executionId }), SAVE_RUN_RESULT, {
        method: 'POST',
        json: { as: request.as },
        signal: request.signal,
        retries: 0,
      });
    },
    // --- end tapes ---

    events(executionId: string, request: ExecutionEventsOptions = {}) {
      return followEvents(executionId, request);
    },

    health(request: { signal?: AbortSignal } = {}) {
      const path = routePath({ name: 'health' });
      return call(path, async () => {
        // 503 still carries a health report (status `down`): read it rather than throw.
        const response = await send(path, { throwHttpErrors: false, signal: request.signal });
        if (response.ok) return readAgentryJson(response, `${prefix}/${path}`, HEALTH_REPORT);
        const data: unknown = await response.json().catch(() => undefined);
        if (HEALTH_REPORT.is(data)) return data;
        throw errorFromResponse(response, data, undefined, `${prefix}/${path}`);
      });
    },

    // ---- test cases (issue 16 item 8): writes are not retried, like runs ----
    testCases: {
      list(agentId: string, request: { signal?: AbortSignal } = {}) {
        return getJson(routePath({ name: 'test-cases', agentId }), TEST_CASE_LIST, { signal: request.signal });
      },
      create(agentId: string, body: TestCaseBody, request: { signal?: AbortSignal } = {}) {
        return getJson(routePath({ name: 'test-cases', agentId }), TEST_CASE, {
          method: 'POST',
          json: body,
          signal: request.signal,
          retries: 0,
        });
      },
      update(agentId: string, testCaseId: string, body: TestCaseBody, request: { signal?: AbortSignal } = {}) {
        return getJson(routePath({ name: 'test-case', agentId, testCaseId }), TEST_CASE, {
          method: 'PUT',
          json: body,
          signal: request.signal,
          retries: 0,
        });
      },
      delete(agentId: string, testCaseId: string, request: { signal?: AbortSignal } = {}) {
        const path = routePath({ name: 'test-case', agentId, testCaseId });
        return call(path, async () => {
          const response = await send(path, { method: 'DELETE', signal: request.signal });
          await response.body?.cancel().catch(() => undefined);
        });
      },
    } satisfies TestCaseService,
    // ---- end test cases ----
  };

  /** Opens an event stream response, or throws what the server answered instead. */
  async function openStream(path: string, request: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    const response = await call(path, () => send(path, { ...request, accept: EVENT_STREAM_CONTENT_TYPE }));
    if (!isEventStreamContentType(response.headers.get('content-type')) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw notAgentryEndpoint(response, `${prefix}/${path}`, 'an event stream');
    }
    return response.body;
  }

  /**
   * Reads one event stream body as entries; answers how it ended: `'finished'` (the final
   * event came), or `'cut'` with the error when the connection dropped first (a network error,
   * or a clean end before the final event). A `problem` event or a malformed one is thrown.
   */
  async function* readBody(
    body: ReadableStream<Uint8Array>,
    signal: AbortSignal,
  ): AsyncGenerator<ExecutionEventEntry & { hasId: boolean }, { cut: unknown } | undefined, undefined> {
    const entries = readExecutionEventEntries(body);
    let executionId: string | undefined;
    try {
      while (true) {
        const next = await entries.next();
        if (next.done) return next.value ? undefined : { cut: streamCutError({}, executionId) };
        executionId ??= next.value.event.executionId;
        yield { id: next.value.id ?? 0, hasId: next.value.id !== undefined, event: next.value.event };
      }
    } catch (error) {
      if (signal.aborted)
        throw new AgentryError('cancelled', 'The stream was cancelled by its caller.', { cause: error });
      // Errors Agentry raised from the stream's content are answers, not drops.
      if (isAgentryError(error)) throw error;
      return { cut: error };
    } finally {
      await entries.return(false);
    }
  }

  /**
   * Follows `GET /executions/:id/events` after `lastEventId`, reconnecting (with the last id
   * received) when the connection drops, up to `reconnectAttempts` times in a row.
   */
  async function* resume(
    executionId: string,
    lastEventId: number,
    signal: AbortSignal,
    firstCut: unknown,
    onConnectionChange: ((state: StreamConnectionState) => void) | undefined,
  ): AsyncGenerator<ExecutionEventEntry, void, undefined> {
    const path = routePath({ name: 'events', executionId });
    const url = `${prefix}/${path}`;
    let after = lastEventId;
    let cut = firstCut;
    for (let attempt = 0; ; attempt += 1) {
      if (cut !== undefined) {
        if (attempt >= reconnectAttempts) throw errorFromFailure(cut, { url, timeoutMs });
        onConnectionChange?.({
          status: 'reconnecting',
          attempt: attempt + 1,
          lastEventId: after,
          error: errorFromFailure(cut, { url, timeoutMs }),
        });
        await delay(backoffMs(attempt, 5_000), signal);
      }
      let body: ReadableStream<Uint8Array>;
      try {
        body = await openStream(path, {
          signal,
          ...(after > 0 ? { headers: { 'last-event-id': String(after) } } : {}),
        });
      } catch (error) {
        // Unreachable, or a retryable answer (5xx, 429): try again; a 404 or 400 is final.
        if (signal.aborted || !(isAgentryError(error) && error.retryable)) throw error;
        cut = error;
        continue;
      }
      if (cut !== undefined) onConnectionChange?.({ status: 'connected', lastEventId: after });
      const reader = readBody(body, signal);
      let received = false;
      while (true) {
        const next = await reader.next();
        if (next.done) {
          if (next.value === undefined) return;
          cut = next.value.cut;
          break;
        }
        received = true;
        after = next.value.id;
        yield { id: next.value.id, event: next.value.event };
      }
      // A reconnect that brought events resets the count: only drops in a row give up.
      if (received) attempt = -1;
    }
  }

  async function* followEvents(
    executionId: string,
    request: ExecutionEventsOptions,
  ): AsyncGenerator<ExecutionEventEntry, void, undefined> {
    const lastEventId = request.lastEventId ?? 0;
    const callerSignal = request.signal;
    const controller = new AbortController();
    const signal = callerSignal === undefined ? controller.signal : AbortSignal.any([callerSignal, controller.signal]);
    try {
      yield* resume(executionId, lastEventId, signal, undefined, request.onConnectionChange);
    } finally {
      controller.abort();
    }
  }

  async function* streamExecution(run: RunOptions): AsyncGenerator<ExecutionEvent, void, undefined> {
    const path = routePath({ name: 'execute', agentId: run.agentId });
    // Our own controller lets `break` close the connection even when the caller passed no signal.
    const controller = new AbortController();
    const signal = run.signal === undefined ? controller.signal : AbortSignal.any([run.signal, controller.signal]);
    try {
      const body = await openStream(path, { method: 'POST', json: executionRequestBody(run), signal });
      const reader = readBody(body, signal);
      let executionId: string | undefined;
      let lastId: number | undefined;
      let resumable = true;
      let outcome: { cut: unknown } | undefined;
      try {
        while (true) {
          const next = await reader.next();
          if (next.done) {
            outcome = next.value;
            break;
          }
          executionId ??= next.value.event.executionId;
          lastId = next.value.id;
          resumable &&= next.value.hasId;
          yield next.value.event;
        }
      } catch (error) {
        throw errorFromFailure(error, { url: `${prefix}/${path}`, timeoutMs });
      }
      if (outcome === undefined) return;
      // Dropped mid-run: continue from the last event received (a server without ids cannot).
      if (executionId === undefined || lastId === undefined || !resumable || reconnectAttempts === 0) {
        throw errorFromFailure(outcome.cut, { url: `${prefix}/${path}`, timeoutMs });
      }
      for await (const entry of resume(executionId, lastId, signal, outcome.cut, run.onConnectionChange)) {
        yield entry.event;
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
