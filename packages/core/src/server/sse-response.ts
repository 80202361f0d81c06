import type { ExecutionEvent } from '../executor/types';
import type { Redactor } from '../logging';
import { type ProblemDocument, redactHeaders, toProblem } from './problem';

const encoder = new TextEncoder();

/** Encodes one SSE message: `id`, `event: <type>` and one `data:` line per line of JSON. */
export function encodeServerSentEvent(event: string, data: string, id?: number | string): string {
  let out = id === undefined ? '' : `id: ${id}\n`;
  out += `event: ${event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** The heartbeat: an SSE comment, ignored by every client, that keeps proxies from closing an idle stream. */
export const HEARTBEAT = ': ping\n\n';

/** Options for {@link createEventStreamResponse}. */
export interface EventStreamResponseOptions {
  /** The first event, already read (so refusals could still be answered as problems). */
  first: ExecutionEvent;
  /** The rest of the events. */
  iterator: AsyncIterator<ExecutionEvent>;
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
  let sequence = 0;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;

  const write = (text: string) => {
    if (finished || streamController === undefined) return;
    streamController.enqueue(encoder.encode(text));
    schedulePing();
  };
  const writeEvent = (event: ExecutionEvent) => {
    sequence += 1;
    write(encodeServerSentEvent(event.type, JSON.stringify(redactor.redactValue(event)), sequence));
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
  const isTerminal = (event: ExecutionEvent) => event.type === 'execution-finish' || event.type === 'execution-error';

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      streamController = controller;
      writeEvent(options.first);
      if (isTerminal(options.first)) {
        finish();
        controller.close();
      }
    },
    async pull(controller) {
      if (finished) return;
      let next: IteratorResult<ExecutionEvent>;
      try {
        next = await iterator.next();
      } catch (error) {
        // Should not happen once a run has started; say so in-band rather than cut the stream.
        if (finished) return;
        options.onError?.(error);
        const problem: ProblemDocument = toProblem(error);
        sequence += 1;
        write(encodeServerSentEvent('problem', JSON.stringify(redactor.redactValue(problem)), sequence));
        finish();
        controller.close();
        return;
      }
      if (finished) return;
      if (next.done) {
        finish();
        controller.close();
        return;
      }
      writeEvent(next.value);
      if (isTerminal(next.value)) {
        finish();
        controller.close();
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
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        ...options.headers,
      },
      redactor,
    ),
  });
}
