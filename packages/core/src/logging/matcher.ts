import {
  AFTER_MATCH_SOURCE,
  COMPILED,
  type CompiledShape,
  escapeLiteral,
  LONGEST_FIRST_LITERAL,
  mayOpenAt,
  OPEN,
  OPEN_AFTER_MATCH,
  outputOf,
  SHAPES_LOOK_BEHIND,
  SHAPES_SOURCE,
  TRIGGER,
} from './compile-shapes';
import { REDACTED } from './mark';

export type { CompiledShape } from './compile-shapes';
export { REDACTED, SHAPES_LOOK_BEHIND };

/**
 * Finds credentials in text: either configured exact values (longest first) or the built-in
 * shapes (`shapes.ts`), scanned left to right in one pass; at each position the first that
 * matches wins and the scan goes on after it.
 *
 * Besides matching, it answers the question a stream needs: can the text from position `p`
 * to its end still turn into a match, or change which match wins, once more text arrives
 * ("open")? Every shape is made of bounded pieces, so an open stretch is at most
 * {@link Matcher.lookBehind} characters long; a shape with an unbounded `tail` is decided
 * ("committed") as soon as its bounded part is complete, and the rest of its run is redacted
 * however long it is.
 */
export interface Matcher {
  /** The longest stretch that can be open (see above): a stream holds back at most this many characters. */
  readonly lookBehind: number;
  /** A cheap test: false means no match can exist. */
  maybe(text: string): boolean;
  /**
   * `text` with every match from `start` on replaced; `text[0..start)` is context, not output.
   * `boundary`: `start` is right after a match (so its end counts as a boundary).
   */
  redactFrom(text: string, start: number, boundary: boolean): string;
  /** The first match at or after `start`, or `null`. */
  firstMatch(text: string, start: number, boundary: boolean): RegExpExecArray | null;
  /** The output for a match from {@link firstMatch}. */
  replacement(match: RegExpExecArray): string;
  /** The first position at or after `start` that is open, or `text.length`. */
  earliestOpen(text: string, start: number, boundary: boolean): number;
  /** What happens at an open position `at`. */
  decide(text: string, at: number, boundary: boolean): Decision;
  /** The end of the first complete `until` sequence of a shape in `text`, or -1. */
  untilEnd(shape: CompiledShape, text: string): number;
  /** The first position from which `text` could still become that `until` sequence, or -1. */
  untilOpen(shape: CompiledShape, text: string): number;
  /** The first position at or after `start` that is not in the shape's tail class, or -1. */
  tailEnd(shape: CompiledShape, text: string, start: number): number;
}

/** The outcome at an open position. */
export type Decision =
  | { kind: 'hold' }
  | { kind: 'match'; end: number; output: string }
  /** The shape's bounded part is complete: redact, then swallow its `tail` or everything to its `until`. */
  | { kind: 'commit'; end: number; output: string; shape: CompiledShape };

/**
 * A matcher for exact values (longest first; each at least one character), or, with no
 * values, for the built-in shapes. A redactor runs the two one after the other: configured
 * values first, so that no shape that starts earlier can take part of one and leave the rest.
 */
export function createMatcher(secrets?: readonly string[]): Matcher {
  const exact = [...new Set(secrets ?? [])].sort((a, b) => b.length - a.length);
  const shapes = secrets === undefined;
  const compiledShapes = shapes ? COMPILED : [];
  const secretsSource = exact.length === 0 ? '(?!)' : exact.map((value) => escapeLiteral(value)).join('|');
  const combined = new RegExp(shapes ? `((?!))|${SHAPES_SOURCE}` : `(${secretsSource})`, shapes ? 'y' : 'g');
  // Right after a match, the redaction's end is a boundary: no shape's `notAfter` applies.
  const afterMatch = new RegExp(shapes ? `((?!))|${AFTER_MATCH_SOURCE}` : `(${secretsSource})`, 'y');
  const lookBehind = Math.max(shapes ? SHAPES_LOOK_BEHIND : 0, ...exact.map((value) => value.length - 1));

  function replacement(match: RegExpExecArray): string {
    if (match[1] !== undefined) return REDACTED;
    for (const compiled of compiledShapes) {
      if (match[compiled.group] !== undefined) return outputOf(compiled, match, compiled.group + 1);
    }
    return REDACTED;
  }

  function firstMatch(text: string, start: number, boundary: boolean): RegExpExecArray | null {
    if (boundary) {
      afterMatch.lastIndex = start;
      const match = afterMatch.exec(text);
      if (match !== null) return match;
    }
    if (!shapes) {
      combined.lastIndex = start;
      return combined.exec(text);
    }
    // Try the shapes only where one can start (sticky), in order: the first match is the leftmost.
    TRIGGER.lastIndex = start;
    for (let candidate = TRIGGER.exec(text); candidate !== null; candidate = TRIGGER.exec(text)) {
      combined.lastIndex = candidate.index;
      const match = combined.exec(text);
      if (match !== null) return match;
      TRIGGER.lastIndex = candidate.index + 1;
    }
    return null;
  }

  function redactFrom(text: string, start: number, boundary: boolean): string {
    let out = '';
    let position = start;
    let after = boundary;
    for (let match = firstMatch(text, start, after); match !== null; match = firstMatch(text, position, after)) {
      out += text.slice(position, match.index) + replacement(match);
      position = match.index + match[0].length;
      after = true;
    }
    return out + text.slice(position);
  }

  /** The first position from which the text's end is a proper prefix of a configured secret. */
  function secretOpen(text: string, start: number): number {
    let earliest = text.length;
    for (const value of exact) {
      const first = value.charAt(0);
      let at = text.indexOf(first, Math.max(start, text.length - value.length + 1));
      while (at !== -1 && at < earliest) {
        if (value.startsWith(text.slice(at))) {
          earliest = at;
          break;
        }
        at = text.indexOf(first, at + 1);
      }
    }
    return earliest;
  }

  function isOpenAt(text: string, at: number): boolean {
    OPEN.lastIndex = at;
    return OPEN.test(text);
  }

  function earliestOpen(text: string, start: number, boundary: boolean): number {
    if (!shapes) return secretOpen(text, start);
    if (boundary) {
      OPEN_AFTER_MATCH.lastIndex = start;
      if (OPEN_AFTER_MATCH.test(text)) return start;
    }
    // Open where a first literal starts, or near the end where one can be there in part.
    const near = Math.max(start, text.length - LONGEST_FIRST_LITERAL + 1);
    TRIGGER.lastIndex = start;
    for (let candidate = TRIGGER.exec(text); candidate !== null && candidate.index < near; ) {
      if (isOpenAt(text, candidate.index)) return candidate.index;
      TRIGGER.lastIndex = candidate.index + 1;
      candidate = TRIGGER.exec(text);
    }
    // Near the end, only where the rest of the text follows a first literal: elsewhere OPEN
    // cannot match (running it at every position of every delta's tail, then at every position
    // whose character can begin a literal, was most of a stream's redaction).
    for (let at = near; at < text.length; at += 1) {
      if (mayOpenAt(text, at) && isOpenAt(text, at)) return at;
    }
    return text.length;
  }

  function decide(text: string, at: number, boundary: boolean): Decision {
    const rest = text.length - at;
    for (const value of exact) {
      if (rest < value.length) {
        if (value.startsWith(text.slice(at))) return { kind: 'hold' };
      } else if (text.startsWith(value, at)) {
        return { kind: 'match', end: at + value.length, output: REDACTED };
      }
    }
    for (const compiled of compiledShapes) {
      const regexes = boundary ? compiled.afterMatch : compiled.normal;
      regexes.open.lastIndex = at;
      if (regexes.open.test(text)) {
        if (regexes.committed === undefined) return { kind: 'hold' };
        regexes.committed.lastIndex = at;
        const match = regexes.committed.exec(text);
        if (match === null) return { kind: 'hold' };
        return { kind: 'commit', end: at + match[0].length, output: outputOf(compiled, match, 1), shape: compiled };
      }
      regexes.full.lastIndex = at;
      const match = regexes.full.exec(text);
      if (match !== null) {
        return { kind: 'match', end: at + match[0].length, output: outputOf(compiled, match, 1) };
      }
    }
    return { kind: 'hold' };
  }

  return {
    lookBehind,
    maybe: shapes
      ? (text) => {
          TRIGGER.lastIndex = 0;
          return TRIGGER.test(text);
        }
      : (text) => exact.some((value) => text.includes(value)),
    redactFrom,
    firstMatch,
    replacement,
    earliestOpen,
    decide,
    untilEnd(compiled, text) {
      const regex = compiled.untilFull as RegExp;
      regex.lastIndex = 0;
      const match = regex.exec(text);
      return match === null ? -1 : match.index + match[0].length;
    },
    untilOpen(compiled, text) {
      const regex = compiled.untilOpen as RegExp;
      regex.lastIndex = 0;
      return regex.exec(text)?.index ?? -1;
    },
    tailEnd(compiled, text, start) {
      const regex = compiled.tailStop as RegExp;
      regex.lastIndex = start;
      return regex.exec(text)?.index ?? -1;
    },
  };
}
