// The client's event streams: `stream` (a run's events as they happen) and `events` (an
// execution's events, replayed after `Last-Event-ID` and then live). A dropped connection is
// resumed with `GET /executions/:id/events` and the last id received, so no event is lost or repeated.
import { AgentryError, isAgentryError } from '../errors';
import type { ExecutionEventsOptions, RunOptions, StreamConnectionState } from '../executor/types';
import { delay } from '../internal/delay';
import {
  EVENT_STREAM_CONTENT_TYPE,
  type ExecutionEvent,
  type ExecutionEventEntry,
  errorFromFailure,
  executionRequestBody,
  isEventStreamContentType,
  notAgentryEndpoint,
  readExecutionEventEntries,
  routePath,
  streamCutError,
} from '../protocol';
import { backoffMs, type Transport, type TransportRequest } from './transport';

/** The client's two event-stream methods. */
export interface EventStreams {
  stream(run: RunOptions): AsyncGenerator<ExecutionEvent, void, undefined>;
  events(executionId: string, request?: ExecutionEventsOptions): AsyncGenerator<ExecutionEventEntry, void, undefined>;
}

/**
 * The event streams over `transport`. `reconnectAttempts` is how many drops in a row a stream
 * survives (`0`: a dropped stream throws at once).
 */
export function createEventStreams(transport: Transport, reconnectAttempts: number): EventStreams {
  const { call, send, url: urlOf, timeoutMs } = transport;

  /** Opens an event stream response, or throws what the server answered instead. */
  async function openStream(path: string, request: TransportRequest): Promise<ReadableStream<Uint8Array>> {
    const response = await call(path, () => send(path, { ...request, accept: EVENT_STREAM_CONTENT_TYPE }));
    if (!isEventStreamContentType(response.headers.get('content-type')) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw notAgentryEndpoint(response, urlOf(path), 'an event stream');
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
    const url = urlOf(path);
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

  async function* events(
    executionId: string,
    request: ExecutionEventsOptions = {},
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

  async function* stream(run: RunOptions): AsyncGenerator<ExecutionEvent, void, undefined> {
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
        throw errorFromFailure(error, { url: urlOf(path), timeoutMs });
      }
      if (outcome === undefined) return;
      // Dropped mid-run: continue from the last event received (a server without ids cannot).
      if (executionId === undefined || lastId === undefined || !resumable || reconnectAttempts === 0) {
        throw errorFromFailure(outcome.cut, { url: urlOf(path), timeoutMs });
      }
      for await (const entry of resume(executionId, lastId, signal, outcome.cut, run.onConnectionChange)) {
        yield entry.event;
      }
    } finally {
      controller.abort();
    }
  }

  return { stream, events };
}
