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
  return {
    push: (chunk) => second.push(first.push(chunk)),
    flush: () => second.push(first.flush()) + second.flush(),
    get held() {
      return first.held + second.held;
    },
  };
}

/**
 * The stream over one matcher, read anew at each call so that secrets added later count;
 * `undefined` (no configured values yet) passes text through.
 */
export function matcherStream(matcherOf: () => Matcher | undefined): StreamRedactor {
  // Raw text just before `pending` (for look-behind), and raw text not decided yet.
  let context = '';
  let pending = '';
  // Inside a committed secret whose end is not here yet: its characters are dropped.
  let swallowing: Swallowing | undefined;
  // The next position is right after a match: a boundary, whatever raw character precedes it.
  let afterMatch = false;

  function drain(final: boolean): string {
    const matcher = matcherOf();
    if (matcher === undefined) {
      const out = pending;
      context = (context + pending).slice(-CONTEXT);
      pending = '';
      return out;
    }
    const text = context + pending;
    let position = context.length;
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
    pending = text.slice(position);
    context = text.slice(Math.max(0, position - CONTEXT), position);
    return out;
  }

  return {
    push(chunk) {
      if (chunk === '') return '';
      pending += chunk;
      return drain(false);
    },
    flush() {
      const out = drain(true);
      context = '';
      pending = '';
      swallowing = undefined;
      afterMatch = false;
      return out;
    },
    get held() {
      return pending.length;
    },
  };
}
