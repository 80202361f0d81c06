import { AgentryError } from '../errors';
import { RunAbort } from './run-abort';
import type { ExecutionEvent, ExecutionResult } from './types';

/**
 * Turns a run that pushes events into an async iterable the caller pulls. `start` runs the
 * pipeline with the push function and the controller that cancels it; when the consumer stops
 * early (break, return, throw) the run is cancelled and its record awaited, so every stream
 * still ends in one record.
 */
export async function* streamBridge(
  start: (emit: (event: ExecutionEvent) => void, controller: RunAbort) => Promise<ExecutionResult>,
): AsyncGenerator<ExecutionEvent> {
  const controller = new RunAbort();
  const queue: ExecutionEvent[] = [];
  let head = 0;
  let wake: (() => void) | undefined;
  let finished = false;
  const running = start((event) => {
    queue.push(event);
    wake?.();
  }, controller).finally(() => {
    finished = true;
    wake?.();
  });
  try {
    while (true) {
      while (head < queue.length) {
        const event = queue[head] as ExecutionEvent;
        head += 1;
        yield event;
      }
      // Drained: reuse the array, so a long stream does not keep every event it sent.
      queue.length = 0;
      head = 0;
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    await running;
  } finally {
    if (!finished) {
      controller.abort(new AgentryError('cancelled', 'The stream was closed by its consumer.'));
      await running;
    }
  }
}
