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
  const code = options.failureCode ?? 'internal';
  const extra = options.provider === undefined ? {} : { provider: options.provider };
  let executionId: string | undefined;
  const events = decodeServerSentEvents(body);
  try {
    while (true) {
      const next = await events.next();
      if (next.done) break;
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
      yield event;
      if (isTerminalEvent(event)) return;
    }
  } finally {
    // Breaking out early (or finishing) releases the body: for a live response this
    // closes the connection, which is how the server learns the client left.
    await events.return(undefined as never);
  }
  throw new AgentryError(
    code,
    'The event stream ended before the execution finished (the connection closed early). The run may still have completed: check its history.',
    {
      retryable: true,
      userMessage: 'The connection was interrupted before the run finished. Check the history or try again.',
      ...extra,
      ...(executionId === undefined ? {} : { executionId }),
    },
  );
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
