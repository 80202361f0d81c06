import { AgentryError, type AgentryErrorCode } from '../errors';
import { decodeServerSentEvents, PROBLEM_EVENT } from './event-stream';
import { EXECUTION_EVENT_TYPES, type ExecutionEvent, isTerminalEvent } from './execution-event';
import { isProblemDocument, problemToError } from './problem';

/** Options for {@link readExecutionEvents}. */
export interface ReadExecutionEventsOptions {
  /** The code of the error thrown for a cut-off or garbled stream. @default 'internal' */
  failureCode?: AgentryErrorCode;
  /** Names the provider on errors (for the remote provider). */
  provider?: string;
}

/** An event read from the wire with its SSE id (absent when the server sent none: an older server). */
export interface ReceivedExecutionEvent {
  id: number | undefined;
  event: ExecutionEvent;
}

/**
 * Decodes the wire protocol's SSE body into events with their ids. Stops after the one
 * `execution-finish` or `execution-error` and returns `true`; returns `false` when the stream
 * ended before it (a cut connection: the caller may resume after the last id). A `problem`
 * event, or an event that is not JSON, throws an {@link AgentryError}; network errors while
 * reading are thrown as they come. Unknown event types are skipped so newer servers can add events.
 */
export async function* readExecutionEventEntries(
  body: ReadableStream<Uint8Array>,
  options: ReadExecutionEventsOptions = {},
): AsyncGenerator<ReceivedExecutionEvent, boolean, undefined> {
  const code = options.failureCode ?? 'internal';
  const extra = options.provider === undefined ? {} : { provider: options.provider };
  let executionId: string | undefined;
  const events = decodeServerSentEvents(body);
  try {
    while (true) {
      const next = await events.next();
      if (next.done) return false;
      const message = next.value;
      if (message.event === PROBLEM_EVENT) throw problemEventError(message.data, code, options.provider);
      if (!EXECUTION_EVENT_TYPES.has(message.event as ExecutionEvent['type'])) continue;
      let event: ExecutionEvent;
      try {
        event = JSON.parse(message.data) as ExecutionEvent;
      } catch {
        throw new AgentryError(code, `The event stream sent a "${message.event}" event whose data is not JSON.`, {
          retryable: true,
          ...extra,
          ...(executionId === undefined ? {} : { executionId }),
        });
      }
      if (typeof event !== 'object' || event === null || event.type !== message.event) {
        throw new AgentryError(code, `The event stream sent a malformed "${message.event}" event.`, {
          retryable: true,
          ...extra,
        });
      }
      executionId ??= event.executionId;
      const id = message.id === undefined || !/^\d{1,16}$/.test(message.id) ? undefined : Number(message.id);
      yield { id, event };
      if (isTerminalEvent(event)) return true;
    }
  } finally {
    // Breaking out early (or finishing) releases the body: for a live response this
    // closes the connection, which is how the server learns the client left.
    await events.return(undefined as never);
  }
}

/** The error for a stream that ended before its execution did. */
export function streamCutError(options: ReadExecutionEventsOptions, executionId: string | undefined): AgentryError {
  return new AgentryError(
    options.failureCode ?? 'internal',
    'The event stream ended before the execution finished (the connection closed early). The run may still have completed: check its history.',
    {
      retryable: true,
      userMessage: 'The connection was interrupted before the run finished. Check the history or try again.',
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      ...(executionId === undefined ? {} : { executionId }),
    },
  );
}

/**
 * Decodes the wire protocol's SSE body into {@link ExecutionEvent}s. Stops after the one
 * `execution-finish` or `execution-error`; a stream that ends before it, or an event that
 * is not JSON, throws a retryable {@link AgentryError}. Unknown event types are skipped so
 * newer servers can add events.
 */
export async function* readExecutionEvents(
  body: ReadableStream<Uint8Array>,
  options: ReadExecutionEventsOptions = {},
): AsyncGenerator<ExecutionEvent, void, undefined> {
  const entries = readExecutionEventEntries(body, options);
  let executionId: string | undefined;
  try {
    while (true) {
      const next = await entries.next();
      if (next.done) {
        if (next.value) return;
        throw streamCutError(options, executionId);
      }
      executionId ??= next.value.event.executionId;
      yield next.value.event;
    }
  } finally {
    await entries.return(false);
  }
}

/** A server that failed after the stream began sends one `problem` event (a problem document). */
function problemEventError(data: string, code: AgentryErrorCode, provider: string | undefined): AgentryError {
  try {
    const problem: unknown = JSON.parse(data);
    if (isProblemDocument(problem)) {
      return problemToError(problem, {
        fallbackMessage: 'The run failed.',
        ...(provider === undefined ? {} : { provider }),
      });
    }
  } catch {
    // fall through to the generic error
  }
  return new AgentryError(code, 'The event stream reported a failure it could not describe.', {
    retryable: true,
    ...(provider === undefined ? {} : { provider }),
  });
}
