// The routes that run and follow executions: `POST /agents/:id/executions` (a record, or the
// run's events as SSE) and `GET /executions/:id/events` (the log after `Last-Event-ID`, then live).
import { AgentryError } from '../errors';
import type { Redactor } from '../logging';
import {
  acceptsEventStream,
  type ExecutionEvent,
  type ExecutionEventEntry,
  parseExecutionRequestBody,
  parseLastEventId,
} from '../protocol';
import type { TenantContext } from '../tenant';
import type { HandlerExecutor } from './handler-options';
import { readJsonBody } from './read-json-body';
import type { Responder } from './responses';
import { createEventStreamResponse } from './sse-response';

/**
 * The executor's events with their ids: the nth event of an execution has id n (see
 * `ExecutionEventEntry`). `detach`: closing it does not close the run's stream (which would
 * cancel the run) but reads it to its end unseen, so the run finishes and its log stays whole.
 */
export function numbered(iterator: AsyncIterator<ExecutionEvent>, detach: boolean): AsyncIterator<ExecutionEventEntry> {
  let id = 0;
  return {
    async next() {
      const next = await iterator.next();
      if (next.done) return { done: true, value: undefined };
      id += 1;
      return { done: false, value: { id, event: next.value } };
    },
    async return() {
      if (!detach) await iterator.return?.();
      else
        void (async () => {
          while (!(await iterator.next()).done);
        })().catch(() => undefined);
      return { done: true, value: undefined };
    },
  };
}

interface ExecutionRoutesDependencies {
  executor: Pick<HandlerExecutor, 'execute' | 'stream' | 'events'>;
  responder: Pick<Responder, 'json' | 'logIfInternal'>;
  redactor: Redactor;
  /** Whether deltas need redacting again (the handler adds secrets the executor does not know). */
  redactDeltas: boolean;
  maxBodyBytes: number;
  heartbeatMs: number;
  /** `streamDisconnect: 'continue'`: a run outlives the stream its client dropped. */
  keepRunning: boolean;
}

/** The handlers of the execute and events routes. */
export function createExecutionRoutes(dependencies: ExecutionRoutesDependencies) {
  const { executor, responder, redactor, redactDeltas, maxBodyBytes, heartbeatMs, keepRunning } = dependencies;

  async function execute(
    request: Request,
    agentId: string,
    tenant: TenantContext,
    extra: Record<string, string>,
  ): Promise<Response> {
    const body = parseExecutionRequestBody(await readJsonBody(request, maxBodyBytes));
    const wantsStream = acceptsEventStream(request.headers.get('accept'));
    const base = {
      agentId,
      input: body.input,
      mode: body.mode,
      tenant,
      ...(body.seed === undefined ? {} : { seed: body.seed }),
    };
    if (!wantsStream) {
      const record = await executor.execute({ ...base, signal: request.signal });
      return responder.json(record, 200, extra);
    }
    // Cancel on either a disconnect the runtime reports (request.signal) or the body being cancelled,
    // unless runs outlive their streams (`streamDisconnect: 'continue'`).
    const controller = new AbortController();
    const signal = keepRunning ? undefined : AbortSignal.any([request.signal, controller.signal]);
    const iterator = numbered(
      executor
        .stream({ ...base, ...(signal ? { signal } : {}) })
        [Symbol.asyncIterator]() as AsyncIterator<ExecutionEvent>,
      keepRunning,
    );
    const first = await iterator.next();
    if (first.done) {
      throw new AgentryError('internal', 'The executor ended the stream without any event.');
    }
    return createEventStreamResponse({
      first: first.value,
      iterator,
      heartbeatMs,
      redactor,
      redactDeltas,
      headers: extra,
      onCancel: () => controller.abort(new AgentryError('cancelled', 'The client disconnected.')),
      onError: (error) => responder.logIfInternal(error, request),
    });
  }

  /** `GET /executions/:id/events`: the log so far (after `Last-Event-ID`), then live, as SSE. */
  async function events(
    request: Request,
    executionId: string,
    tenant: TenantContext,
    extra: Record<string, string>,
  ): Promise<Response> {
    const header = request.headers.get('last-event-id');
    const lastEventId = parseLastEventId(header);
    if (lastEventId === undefined) {
      throw new AgentryError(
        'validation_failed',
        `The Last-Event-ID header must be the id of an event received from this execution (an integer ≥ 0), got ${JSON.stringify(header?.slice(0, 40))}. Send it as received, or leave it out to replay from the start.`,
        { issues: [{ path: ['Last-Event-ID'], message: 'Expected an integer ≥ 0.' }] },
      );
    }
    const controller = new AbortController();
    const signal = AbortSignal.any([request.signal, controller.signal]);
    const iterator = executor
      .events(tenant, executionId, { lastEventId, signal })
      [Symbol.asyncIterator]() as AsyncIterator<ExecutionEventEntry>;
    // Refusals (404, 400) come from the first read, before the response starts.
    const first = await iterator.next();
    return createEventStreamResponse({
      first: first.done ? undefined : first.value,
      iterator,
      heartbeatMs,
      redactor,
      redactDeltas,
      headers: extra,
      onCancel: () => controller.abort(),
      onError: (error) => responder.logIfInternal(error, request),
    });
  }

  return { execute, events };
}
