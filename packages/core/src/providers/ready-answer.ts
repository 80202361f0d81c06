import type { ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from './types';

// The fast path of the built-in adapters whose answers can be known at once (the mock given as data,
// a tape replayed at speed 0), for the executor only (not exported from the package): such an
// answer needs neither an async function per call nor a race against the run's abort, since
// nothing in it waits. The executor finds it by a private symbol, never by the adapter's name.

/** An adapter's `execute()` without its promise: the response itself when it is known at once. */
export type AnswerNow = (
  request: ProviderRequest,
  context: ProviderContext,
) => ProviderResponse | Promise<ProviderResponse>;

interface ReadyExecute {
  /** The adapter's own `execute`: a wrapper that replaces it must not be bypassed. */
  readonly execute: ProviderAdapterExecute;
  readonly answerNow: AnswerNow;
}

type ProviderAdapterExecute = (request: ProviderRequest, context: ProviderContext) => Promise<ProviderResponse>;

const READY_EXECUTE = Symbol('agentry.readyExecute');

/**
 * Marks `adapter` as answering with `answerNow` while its `execute` is `execute`. Not enumerable,
 * so a spread copy (`{ ...mockProvider(), execute: mine }`) does not carry it.
 */
export function markReadyExecute<T extends object>(
  adapter: T,
  execute: ProviderAdapterExecute,
  answerNow: AnswerNow,
): T {
  const ready: ReadyExecute = { execute, answerNow };
  Object.defineProperty(adapter, READY_EXECUTE, { value: ready, enumerable: false });
  return adapter;
}

/** The adapter's `answerNow`, when it has one and its `execute` is still its own. */
export function answerNowOf(adapter: { execute: unknown }): AnswerNow | undefined {
  const ready = (adapter as { [READY_EXECUTE]?: ReadyExecute })[READY_EXECUTE];
  return ready !== undefined && ready.execute === adapter.execute ? ready.answerNow : undefined;
}

/**
 * A stream whose events are all known: each `next()` is already settled, one tick per event (an
 * async generator takes several, and the executor races each against the run's abort).
 */
export class ReadyEvents implements AsyncIterableIterator<ProviderEvent> {
  readonly #events: readonly ProviderEvent[];
  readonly #text: string | undefined;
  #index = 0;

  /**
   * `text`: what the text deltas join to, when the provider already has it as one string (a
   * mock's answer); checked against the deltas before it is used.
   */
  constructor(events: readonly ProviderEvent[], text?: string) {
    this.#events = events;
    this.#text = text;
  }

  /** The next event, or `undefined` at the end: how the executor reads it (it makes its own ticks). */
  shift(): ProviderEvent | undefined {
    const index = this.#index;
    if (index >= this.#events.length) return undefined;
    this.#index = index + 1;
    return this.#events[index];
  }

  /** The text of the events still to come: their text deltas, joined. */
  textAhead(): string {
    // The whole text as given, when the deltas are its pieces in order: one string, not a chain
    // of pieces that every later use (the redaction, the record) must copy into one.
    const given = this.#text;
    if (given !== undefined && this.#index === 0 && this.#piecesOf(given)) return given;
    let text = '';
    for (let index = this.#index; index < this.#events.length; index += 1) {
      const event = this.#events[index] as ProviderEvent;
      if (event.type === 'text-delta') text += event.delta;
    }
    return text;
  }

  #piecesOf(text: string): boolean {
    let at = 0;
    for (const event of this.#events) {
      if (event.type !== 'text-delta') continue;
      if (!text.startsWith(event.delta, at)) return false;
      at += event.delta.length;
    }
    return at === text.length;
  }

  next(): Promise<IteratorResult<ProviderEvent, undefined>> {
    const index = this.#index;
    if (index >= this.#events.length) return Promise.resolve({ done: true, value: undefined });
    this.#index = index + 1;
    return Promise.resolve({ done: false, value: this.#events[index] as ProviderEvent });
  }

  return(): Promise<IteratorResult<ProviderEvent, undefined>> {
    this.#index = this.#events.length;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
