import type { CompiledShape, Matcher } from './matcher';
import type { Redactor, StreamRedactor } from './redactor';

/**
 * A stream redactor for `redactor`. A redactor from {@link createRedactor} holds back only
 * what could still be the start of a secret. Any other redactor cannot say where a secret may
 * start, so its stream holds everything and redacts it once, at `flush`.
 */
export function createStreamRedactor(redactor: Redactor): StreamRedactor {
  if (typeof redactor.createStream === 'function') return redactor.createStream();
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk;
      return '';
    },
    flush() {
      const out = redactor.redactString(buffer);
      buffer = '';
      return out;
    },
    get held() {
      return buffer.length;
    },
  };
}

/** Characters of context kept before the held text, for the shapes' one-character boundaries. */
const CONTEXT = 8;

type Swallowing = { kind: 'tail'; shape: CompiledShape } | { kind: 'until'; shape: CompiledShape; window: string };

/** `first`'s output through `second`: exact for the composition when each is exact. */
export function chainStreams(first: StreamRedactor, second: StreamRedactor): StreamRedactor {
  return new ChainedStream(first, second);
}

// Classes, not object literals with a `held` getter: a literal's getter is a new function per
// stream, and V8 gives every such object a hidden class of its own (one per run, promoted out of
// the young generation). A class's getter is on its prototype.
class ChainedStream implements StreamRedactor {
  readonly #first: StreamRedactor;
  readonly #second: StreamRedactor;

  constructor(first: StreamRedactor, second: StreamRedactor) {
    this.#first = first;
    this.#second = second;
  }

  push(chunk: string): string {
    return this.#second.push(this.#first.push(chunk));
  }

  flush(): string {
    return this.#second.push(this.#first.flush()) + this.#second.flush();
  }

  get held(): number {
    return this.#first.held + this.#second.held;
  }
}

/**
 * The stream over one matcher, read anew at each call so that secrets added later count;
 * `undefined` (no configured values yet) passes text through.
 */
export function matcherStream(matcherOf: () => Matcher | undefined): StreamRedactor {
  return new MatcherStream(matcherOf);
}

class MatcherStream implements StreamRedactor {
  readonly #matcherOf: () => Matcher | undefined;
  // Raw text just before `pending` (for look-behind), and raw text not decided yet.
  #context = '';
  #pending = '';
  // Inside a committed secret whose end is not here yet: its characters are dropped.
  #swallowing: Swallowing | undefined = undefined;
  // The next position is right after a match: a boundary, whatever raw character precedes it.
  #afterMatch = false;

  constructor(matcherOf: () => Matcher | undefined) {
    this.#matcherOf = matcherOf;
  }

  push(chunk: string): string {
    if (chunk === '') return '';
    this.#pending += chunk;
    return this.#drain(false);
  }

  flush(): string {
    const out = this.#drain(true);
    this.#context = '';
    this.#pending = '';
    this.#swallowing = undefined;
    this.#afterMatch = false;
    return out;
  }

  get held(): number {
    return this.#pending.length;
  }

  #drain(final: boolean): string {
    const matcher = this.#matcherOf();
    if (matcher === undefined) {
      const out = this.#pending;
      this.#context = (this.#context + this.#pending).slice(-CONTEXT);
      this.#pending = '';
      return out;
    }
    const text = this.#context + this.#pending;
    let swallowing = this.#swallowing;
    let afterMatch = this.#afterMatch;
    let position = this.#context.length;
    let open = -1;
    let out = '';
    while (position < text.length || (final && swallowing !== undefined)) {
      if (swallowing !== undefined) {
        if (swallowing.kind === 'tail') {
          const end = matcher.tailEnd(swallowing.shape, text, position);
          if (end === -1) {
            position = text.length;
            break;
          }
          position = end;
          swallowing = undefined;
          afterMatch = true;
          continue;
        }
        // An `until` secret runs to its closing sequence, or to the end of the text.
        if (final) {
          position = text.length;
          swallowing = undefined;
          break;
        }
        const window = swallowing.window + text.slice(position);
        const end = matcher.untilEnd(swallowing.shape, window);
        if (end === -1) {
          const start = matcher.untilOpen(swallowing.shape, window);
          swallowing.window = start === -1 ? '' : window.slice(start);
          position = text.length;
          break;
        }
        position += end - swallowing.window.length;
        swallowing = undefined;
        afterMatch = true;
        continue;
      }
      if (final) {
        out += matcher.redactFrom(text, position, afterMatch);
        position = text.length;
        break;
      }
      if (open < position || afterMatch) open = matcher.earliestOpen(text, position, afterMatch);
      const match = matcher.firstMatch(text, position, afterMatch);
      if (match !== null && match.index < open) {
        out += text.slice(position, match.index) + matcher.replacement(match);
        position = match.index + match[0].length;
        afterMatch = true;
        continue;
      }
      if (open > position) {
        out += text.slice(position, open);
        position = open;
        afterMatch = false;
      }
      if (position >= text.length) break;
      const decision = matcher.decide(text, position, afterMatch);
      if (decision.kind === 'hold') break;
      out += decision.output;
      position = decision.end;
      afterMatch = true;
      if (decision.kind === 'commit') {
        swallowing =
          decision.shape.shape.until === undefined
            ? { kind: 'tail', shape: decision.shape }
            : { kind: 'until', shape: decision.shape, window: '' };
      }
    }
    this.#swallowing = swallowing;
    this.#afterMatch = afterMatch;
    this.#pending = text.slice(position);
    this.#context = text.slice(Math.max(0, position - CONTEXT), position);
    return out;
  }
}
