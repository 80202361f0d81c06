import type { AnyAgent } from '../agent';
import type { AgentService, RunOptions } from '../executor/types';
import {
  AGENT_LIST,
  EXECUTION_PAGE,
  EXECUTION_RECORD,
  errorFromResponse,
  executionRequestBody,
  HEALTH_REPORT,
  type ListExecutionsOptions,
  listExecutionsQuery,
  readAgentryJson,
  routePath,
  SAVE_RUN_RESULT,
  type SaveRunAs,
  type SaveRunResult,
} from '../protocol';
import type { TestCaseService } from '../test-cases';
import type { ClientOptions } from './client-options';
import { createEventStreams } from './event-streams';
import { createTestCaseClient } from './test-case-client';
import { createTransport } from './transport';

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
   * `canSaveRuns`: a user the host refuses gets `forbidden` (403); a run that is not this
   * tenant's, or a server without saving, `not_found`. A mock run or one that did not succeed:
   * `validation_failed`.
   */
  saveRun(executionId: string, options: { as: SaveRunAs; signal?: AbortSignal }): Promise<SaveRunResult>;
  // --- end tapes ---
};

/**
 * Creates a browser-safe client for an Agentry server (`createHandler`). Every method
 * rejects with an `AgentryError` carrying the server's `code`, `userMessage`,
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
  const transport = createTransport(options);
  const reconnectAttempts = options.reconnectAttempts ?? 3;
  if (!Number.isInteger(reconnectAttempts) || reconnectAttempts < 0) {
    throw new TypeError(
      `createClient: reconnectAttempts must be an integer >= 0 (got ${String(reconnectAttempts)}); 0 turns reconnects off.`,
    );
  }
  const { getJson, call, send, url } = transport;
  const streams = createEventStreams(transport, reconnectAttempts);

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

    stream: streams.stream,

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

    events: streams.events,

    health(request: { signal?: AbortSignal } = {}) {
      const path = routePath({ name: 'health' });
      return call(path, async () => {
        // 503 still carries a health report (status `down`): read it rather than throw.
        const response = await send(path, { throwHttpErrors: false, signal: request.signal });
        if (response.ok) return readAgentryJson(response, url(path), HEALTH_REPORT);
        const data: unknown = await response.json().catch(() => undefined);
        if (HEALTH_REPORT.is(data)) return data;
        throw errorFromResponse(response, data, undefined, url(path));
      });
    },

    testCases: createTestCaseClient(transport),
  };

  // The generic per-agent signatures of AgentService cannot be expressed by one runtime object; the
  // shapes are checked by the tests, as `executor.forTenant` does.
  return client as unknown as AgentryClient<TAgents>;
}
