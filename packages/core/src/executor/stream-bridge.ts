import { AgentryError } from '../errors';
import { RunAbort } from './run-abort';
import type { ExecutionEvent, ExecutionResult } from './types';

type Step = IteratorResult<ExecutionEvent, undefined>;
type Start = (
  emit: (event: ExecutionEvent) => void,
  controller: RunAbort,
) => ExecutionResult | Promise<ExecutionResult>;

const DONE: Step = Object.freeze({ done: true, value: undefined });

/**
 * Turns a run that pushes events into an async iterable the caller pulls. `start` runs the
 * pipeline with the push function and the controller that cancels it, on the first `next()`
 * (as a generator's body would); when the consumer stops early (break, return, throw) the run is
 * cancelled and its record awaited, so every stream still ends in one record. A run that fails
 * rejects the `next()` after its last event.
 *
 * Written by hand rather than as an async generator: a generator makes several promises and
 * ticks per event, this one a settled promise, or one promise per wait.
 */
export function streamBridge(start: Start): AsyncIterableIterator<ExecutionEvent> {
  return new StreamBridge(start);
}

class StreamBridge implements AsyncIterableIterator<ExecutionEvent> {
  readonly #start: Start;
  #controller: RunAbort | undefined;
  #running: Promise<unknown> | undefined;
  #queue: ExecutionEvent[] = [];
  #head = 0;
  /**
   * The `next()` calls waiting for an event, oldest first: the first in two fields, any more (only
   * if the caller does not await) in two parallel lists, made when first needed. One executor for
   * every wait: a `next()` that waits makes its promise and nothing else (a list emptied by each
   * event would give back its room and grow it again on every wait).
   */
  #firstResolve: ((step: Step) => void) | undefined = undefined;
  #firstReject: ((error: unknown) => void) | undefined = undefined;
  #moreResolves: ((step: Step) => void)[] | undefined = undefined;
  #moreRejects: ((error: unknown) => void)[] | undefined = undefined;
  readonly #wait = (resolve: (step: Step) => void, reject: (error: unknown) => void) => {
    if (this.#firstResolve === undefined) {
      this.#firstResolve = resolve;
      this.#firstReject = reject;
      return;
    }
    this.#moreResolves ??= [];
    this.#moreRejects ??= [];
    this.#moreResolves.push(resolve);
    this.#moreRejects.push(reject);
  };
  #settled = false;
  #failed = false;
  #failure: unknown;
  /** The consumer has seen the end, or stopped: nothing more is handed out. */
  #closed = false;

  constructor(start: Start) {
    this.#start = start;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<Step> {
    if (this.#closed) return Promise.resolve(DONE);
    if (this.#running === undefined) this.#begin();
    // Someone waiting means nothing is queued and the run has not ended (#emit and #settle serve them first).
    if (this.#head < this.#queue.length) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#settled) return this.#end();
    return new Promise<Step>(this.#wait);
  }

  return(): Promise<Step> {
    if (this.#closed || this.#running === undefined) {
      this.#closed = true;
      return Promise.resolve(DONE);
    }
    this.#closed = true;
    for (const resolve of this.#takeWaiting()) resolve(DONE);
    this.#queue.length = 0;
    this.#head = 0;
    if (this.#settled) return Promise.resolve(DONE);
    (this.#controller as RunAbort).abort(new AgentryError('cancelled', 'The stream was closed by its consumer.'));
    // Its record is awaited; a run that fails while cancelled rejects this, as a generator's `finally` would.
    return this.#running.then(() => DONE);
  }

  throw(error?: unknown): Promise<Step> {
    return this.return().then(() => Promise.reject(error));
  }

  #begin(): void {
    const controller = new RunAbort();
    this.#controller = controller;
    let running: Promise<ExecutionResult>;
    try {
      running = Promise.resolve(this.#start((event) => this.#emit(event), controller));
    } catch (thrown) {
      running = Promise.reject(thrown);
    }
    this.#running = running;
    running.then(
      () => this.#settle(false, undefined),
      (thrown: unknown) => this.#settle(true, thrown),
    );
  }

  #emit(event: ExecutionEvent): void {
    if (this.#closed) return;
    const resolve = this.#firstResolve;
    if (resolve === undefined) {
      this.#queue.push(event);
      return;
    }
    // The next waiter moves up.
    const more = this.#moreResolves;
    if (more !== undefined && more.length > 0) {
      this.#firstResolve = more.shift();
      this.#firstReject = (this.#moreRejects as ((error: unknown) => void)[]).shift();
    } else {
      this.#firstResolve = undefined;
      this.#firstReject = undefined;
    }
    resolve({ done: false, value: event });
  }

  /** Every waiter's resolve, oldest first, and none left waiting. */
  #takeWaiting(): ((step: Step) => void)[] {
    const first = this.#firstResolve;
    if (first === undefined) return [];
    const all = [first, ...(this.#moreResolves ?? [])];
    this.#firstResolve = undefined;
    this.#firstReject = undefined;
    this.#moreResolves = undefined;
    this.#moreRejects = undefined;
    return all;
  }

  #take(): ExecutionEvent {
    const event = this.#queue[this.#head] as ExecutionEvent;
    this.#head += 1;
    if (this.#head === this.#queue.length) {
      // Drained: reuse the array, so a long stream does not keep every event it sent.
      this.#queue.length = 0;
      this.#head = 0;
    }
    return event;
  }

  #settle(failed: boolean, failure: unknown): void {
    this.#settled = true;
    this.#failed = failed;
    this.#failure = failure;
    // Waiting means the queue is empty: the first waiter gets the end, any others `done`.
    const first = this.#firstResolve;
    if (first === undefined) return;
    const reject = this.#firstReject as (error: unknown) => void;
    const others = this.#takeWaiting();
    this.#end().then(first, reject);
    for (let index = 1; index < others.length; index += 1) (others[index] as (step: Step) => void)(DONE);
  }

  /** The end, once every event was handed out: `done`, or the run's failure, once. */
  #end(): Promise<Step> {
    this.#closed = true;
    if (!this.#failed) return Promise.resolve(DONE);
    const failure = this.#failure;
    this.#failure = undefined;
    return Promise.reject(failure);
  }
}
