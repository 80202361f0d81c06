import ky, { type KyInstance } from 'ky';
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
import type { ExecutionPage, ListExecutionsOptions } from '../store';
import { readExecutionEvents } from './execution-event-stream';
import { errorFromFailure, errorFromResponse } from './http-errors';

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
   * would start, and bill, a second run.
   * @default { limit: 2 }
   */
  retry?: number | { limit?: number };
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
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retryLimit = typeof options.retry === 'number' ? options.retry : (options.retry?.limit ?? 2);
  const prefix = String(options.baseUrl).replace(/\/+$/, '');
  const headers = options.headers;

  const api: KyInstance = ky.create({
    prefix,
    timeout: timeoutMs,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    retry: { limit: retryLimit, methods: ['get'], statusCodes: [408, 429, 500, 502, 503, 504] },
    hooks: {
      beforeRequest: [
        async ({ request }) => {
          if (headers === undefined) return;
          const resolved = typeof headers === 'function' ? await headers() : headers;
          for (const [name, value] of Object.entries(toRecord(resolved))) request.headers.set(name, value);
        },
      ],
    },
  });

  async function call<T>(path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw errorFromFailure(error, { url: `${prefix}/${path}`, timeoutMs });
    }
  }

  function executionBody(run: RunOptions): { input: unknown; mode: ExecutionMode; seed?: number } {
    const body: { input: unknown; mode: ExecutionMode; seed?: number } = { input: run.input, mode: run.mode ?? 'mock' };
    if (run.seed !== undefined) body.seed = run.seed;
    return body;
  }

  const client = {
    listAgents(request: { signal?: AbortSignal } = {}) {
      return call('agents', () => api.get('agents', signalOption(request.signal)).json<AgentSummary[]>());
    },

    execute(run: RunOptions) {
      const path = `agents/${encodeURIComponent(run.agentId)}/executions`;
      return call(path, () =>
        api.post(path, { json: executionBody(run), retry: 0, ...signalOption(run.signal) }).json<ExecutionResult>(),
      );
    },

    stream(run: RunOptions) {
      return streamExecution(run);
    },

    listExecutions(request: ListExecutionsOptions & { signal?: AbortSignal } = {}) {
      const searchParams: Record<string, string | number | undefined> = {
        agentId: request.agentId,
        limit: request.limit,
        cursor: request.cursor,
      };
      return call('executions', () =>
        api.get('executions', { searchParams, ...signalOption(request.signal) }).json<ExecutionPage>(),
      );
    },

    getExecution(executionId: string, request: { signal?: AbortSignal } = {}) {
      const path = `executions/${encodeURIComponent(executionId)}`;
      return call(path, () => api.get(path, signalOption(request.signal)).json<ExecutionResult>());
    },

    health(request: { signal?: AbortSignal } = {}) {
      return call('health', async () => {
        // 503 still carries a health report (status `down`): read it rather than throw.
        const response = await api.get('health', { retry: 0, throwHttpErrors: false, ...signalOption(request.signal) });
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
        api.post(path, { json: executionBody(run), retry: 0, headers: { accept: STREAM_TYPE }, signal }),
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

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function toRecord(init: HeadersValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  if (Array.isArray(init)) {
    for (const [name, value] of init) if (name !== undefined && value !== undefined) out[name] = value;
    return out;
  }
  for (const [name, value] of Object.entries(init)) if (value !== undefined) out[name] = String(value);
  return out;
}

function isHealthReport(value: unknown): value is HealthReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'string' &&
    typeof (value as { providers?: unknown }).providers === 'object'
  );
}
