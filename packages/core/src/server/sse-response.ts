import { createStreamRedactor, type Redactor } from '../logging';
import {
  EVENT_STREAM_CONTENT_TYPE,
  type ExecutionEventEntry,
  encodeServerSentEvent,
  HEARTBEAT,
  isTerminalEvent,
  PROBLEM_EVENT,
  type ProblemDocument,
  toProblem,
  withUtf8,
} from '../protocol';
import { redactHeaders } from './problem-response';

const encoder = new TextEncoder();

/** Options for {@link createEventStreamResponse}. */
export interface EventStreamResponseOptions {
  /** The first event with its id, already read (so refusals could still be answered as problems); none: an empty stream. */
  first: ExecutionEventEntry | undefined;
  /** The rest of the events, with their ids (sent as `id:` lines). */
  iterator: AsyncIterator<ExecutionEventEntry>;
  /**
   * Whether output deltas are redacted again as one text. `false` only when the executor
   * already redacted them with this very redactor: then every event is sent as it was logged,
   * one SSE event per log entry, so a resume by `Last-Event-ID` repeats and skips nothing.
   * With the handler's own secrets, a delta whose tail is held back goes out without an id.
   * @default true
   */
  redactDeltas?: boolean;
  /** Milliseconds between heartbeats while no event is sent. */
  heartbeatMs: number;
  redactor: Redactor;
  /** Called once when the client goes away before the end: cancel the execution here. */
  onCancel: () => void;
  /** Extra response headers (CORS). */
  headers?: Record<string, string>;
  /** Called with an error the iterator threw after the stream began (answered in-band as a `problem` event). */
  onError?: (error: unknown) => void;
}

/**
 * Streams execution events as `text/event-stream`. Events are pulled from the executor
 * only as fast as the client reads (backpressure); a heartbeat comment goes out whenever
 * nothing was sent for `heartbeatMs`; cancelling the body (the client disconnected)
 * calls `onCancel` and closes the executor's iterator.
 */
export function createEventStreamResponse(options: EventStreamResponseOptions): Response {
  const { iterator, redactor, heartbeatMs } = options;
  // Deltas are redacted as one text (a secret split across them is still a secret); the
  // executor already did so with its own redactor, this adds the handler's secrets.
  const deltas = options.redactDeltas === false ? undefined : createStreamRedactor(redactor);
  let executionId: string | undefined;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;

  const write = (text: string) => {
    if (finished || streamController === undefined) return;
    streamController.enqueue(encoder.encode(text));
    schedulePing();
  };
  const writeData = (type: string, data: unknown, id: number | undefined) => {
    write(encodeServerSentEvent(type, JSON.stringify(data), id));
  };
  const writeDelta = (delta: string, id: number | undefined) => {
    if (delta === '' || executionId === undefined) return false;
    writeData('output-delta', { type: 'output-delta', executionId, delta }, id);
    return true;
  };
  /** Writes the entry (a delta only once some of it is safe to release); false when nothing was written. */
  const writeEntry = ({ id, event }: ExecutionEventEntry): boolean => {
    executionId = redactor.redactString(event.executionId);
    if (event.type === 'output-delta') {
      if (deltas === undefined) return writeDelta(event.delta, id);
      const released = deltas.push(event.delta);
      // The id says "everything up to here was received": not while part of this delta is held.
      return writeDelta(released, deltas.held === 0 ? id : undefined);
    }
    // The text has ended: its held tail goes out before the record that contains it.
    if (isTerminalEvent(event) && deltas !== undefined) writeDelta(deltas.flush(), undefined);
    writeData(event.type, redactor.redactValue(event), id);
    return true;
  };
  const flushHeld = () => {
    if (deltas !== undefined) writeDelta(deltas.flush(), undefined);
  };
  const schedulePing = () => {
    if (timer !== undefined) clearTimeout(timer);
    if (finished || heartbeatMs <= 0) return;
    timer = setTimeout(() => write(HEARTBEAT), heartbeatMs);
  };
  const finish = () => {
    finished = true;
    if (timer !== undefined) clearTimeout(timer);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      streamController = controller;
      if (options.first === undefined || (writeEntry(options.first) && isTerminalEvent(options.first.event))) {
        finish();
        controller.close();
      }
    },
    async pull(controller) {
      // Until something is written: a pull that enqueues nothing is not called again.
      while (!finished) {
        let next: IteratorResult<ExecutionEventEntry>;
        try {
          next = await iterator.next();
        } catch (error) {
          // Should not happen once a run has started; say so in-band rather than cut the stream.
          if (finished) return;
          options.onError?.(error);
          flushHeld();
          const problem: ProblemDocument = toProblem(error);
          writeData(PROBLEM_EVENT, redactor.redactValue(problem), undefined);
          finish();
          controller.close();
          return;
        }
        if (finished) return;
        if (next.done) {
          flushHeld();
          finish();
          controller.close();
          return;
        }
        const wrote = writeEntry(next.value);
        if (isTerminalEvent(next.value.event)) {
          finish();
          controller.close();
          return;
        }
        if (wrote) return;
      }
    },
    cancel() {
      if (finished) return;
      finish();
      options.onCancel();
      // Closing the iterator cancels the run too (the executor's contract); ignore its outcome.
      void Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
    },
  });

  return new Response(body, {
    status: 200,
    headers: redactHeaders(
      {
        'content-type': withUtf8(EVENT_STREAM_CONTENT_TYPE),
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        ...options.headers,
      },
      redactor,
    ),
  });
}
