import { createMatcher, type Matcher, REDACTED } from './matcher';

const SHAPES = createMatcher();

import { CleanStrings } from './clean-strings';
import { setOwn } from './own-property';
import type { Redactor, StreamRedactor } from './redactor';
import { isSecret, type Secret } from './secret';
import { chainStreams, createStreamRedactor, matcherStream } from './stream-redactor';

export type { Redactor };
export { REDACTED };

/**
 * Keys whose values are redacted whatever they hold. A key is sensitive when its last word is one
 * of these: the word alone (`password`), after a separator (`db_password`, `x-client-secret`,
 * `AWS_SECRET_ACCESS_KEY`) or as the last camelCase word (`stripeSecret`, `githubToken`). A word
 * inside a longer one is not (`passwordHint`, `secretary`, `max_tokens`, `inputTokens`), so usage
 * counts and hints keep their values.
 */
const SENSITIVE_WORD =
  'authorization|cookie|password|passwd|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credentials?';
const SENSITIVE_KEY = new RegExp(`(?:^|[-_.\\s])(?:${SENSITIVE_WORD})$`, 'i');
const SENSITIVE_CAMEL_KEY =
  /[a-z0-9](?:Authorization|Cookie|Password|Passwd|Secret|Token|ApiKey|AccessKey|PrivateKey|Credentials?)$/;

/** Whether a structured field's value is redacted by its key alone (see `SENSITIVE_WORD`). */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) || SENSITIVE_CAMEL_KEY.test(key);
}

// How deep redactValue copies before it keeps a map of what it met (for cycles and shared values).
const SHALLOW_DEPTH = 32;
const TOO_DEEP = Symbol('too deep for the shallow copy');

const shapesMatcher = () => SHAPES;

/** Creates a redactor that knows the given secrets' exact values, on top of the built-in API-key shapes. */
export function createRedactor(secrets: Iterable<string | Secret> = []): Redactor {
  const exact = new Set<string>();
  // Configured values first, then the shapes (see createMatcher).
  let known: Matcher | undefined;

  function addSecrets(values: Iterable<string | Secret>): void {
    const before = exact.size;
    for (const value of values) {
      const text = isSecret(value) ? value.reveal() : value;
      // Very short values would redact ordinary words; real keys are long. A value inside the
      // redaction mark itself would make redacting twice differ from redacting once.
      if (typeof text === 'string' && text.length >= 6 && !REDACTED.includes(text)) {
        exact.add(text);
        // As JSON text writes it too (a quote, a backslash or a newline escaped), so that a value
        // inside a prompt holding `JSON.stringify(input)` is found by the text scan.
        const escaped = JSON.stringify(text).slice(1, -1);
        if (escaped !== text) exact.add(escaped);
      }
    }
    if (exact.size !== before) {
      known = createMatcher([...exact]);
      clean.clear();
    }
  }

  // Strings already found clean (a system prompt, a mock's answer, a question asked again) are
  // not scanned again; adding secrets forgets them (clean-strings.ts).
  const clean = new CleanStrings(8, 16_384, 262_144);
  addSecrets(secrets);

  function redactString(value: string): string {
    if (clean.has(value)) return value;
    const first = known?.maybe(value) ? known.redactFrom(value, 0, false) : value;
    const redacted = SHAPES.maybe(first) ? SHAPES.redactFrom(first, 0, false) : first;
    if (redacted === value) clean.add(value);
    return redacted;
  }

  // Made once per redactor, not per stream (a stream is made per run).
  const knownMatcher = () => known;
  function createStream(): StreamRedactor {
    return chainStreams(matcherStream(knownMatcher), matcherStream(shapesMatcher));
  }

  function redactValue<T>(value: T): T {
    // Strings and other primitives need no cycle map (the common output of a text agent).
    if (typeof value === 'string') return redactString(value) as T;
    if (value === null || typeof value !== 'object') return value;
    // A value a few levels deep (the common record, event or log field) is copied without the
    // cycle map; one deeper than SHALLOW_DEPTH, or with a cycle, is copied again with it.
    try {
      return walk(value, undefined, 0) as T;
    } catch (error) {
      if (error !== TOO_DEEP) throw error;
      return walk(value, new WeakMap(), 0) as T;
    }
  }

  /**
   * The redacted copy of `value`. With `seen`, a value met again (shared, or a cycle) maps to its
   * one copy; without it, past SHALLOW_DEPTH levels it throws TOO_DEEP (a cycle gets there too).
   */
  function walk(value: unknown, seen: WeakMap<object, unknown> | undefined, depth: number): unknown {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (isSecret(value)) return REDACTED;
    if (seen === undefined) {
      if (depth > SHALLOW_DEPTH) throw TOO_DEEP;
    } else if (seen.has(value)) return seen.get(value);
    const below = depth + 1;
    if (value instanceof Error) {
      const out: Record<string, unknown> = {};
      seen?.set(value, out);
      out.name = value.name;
      out.message = redactString(value.message);
      for (const key of Object.keys(value)) {
        if (key === 'headers' || key === 'request' || key === 'response' || key === 'body') continue;
        setOwn(
          out,
          key,
          isSensitiveKey(key) ? REDACTED : walk((value as unknown as Record<string, unknown>)[key], seen, below),
        );
      }
      if (value.cause !== undefined) out.cause = walk(value.cause, seen, below);
      return out;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen?.set(value, out);
      for (const item of value) out.push(walk(item, seen, below));
      return out;
    }
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    seen?.set(value, out);
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      setOwn(out, key, isSensitiveKey(key) ? REDACTED : walk(item, seen, below));
    }
    return out;
  }

  return { redactString, redactValue, addSecrets, createStream };
}

/**
 * One redactor that applies `inner` first, then `outer` (e.g. an executor's redactor plus a
 * server's own secrets). Its stream chains the two streams, so it stays exact.
 */
export function composeRedactors(outer: Redactor, inner: Redactor): Redactor {
  return {
    redactString: (value) => outer.redactString(inner.redactString(value)),
    redactValue: (value) => outer.redactValue(inner.redactValue(value)),
    addSecrets: (secrets) => outer.addSecrets(secrets),
    createStream: () => chainStreams(createStreamRedactor(inner), createStreamRedactor(outer)),
  };
}
