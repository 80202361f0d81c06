import { createMatcher, type Matcher, REDACTED } from './matcher';

const SHAPES = createMatcher();

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
      if (typeof text === 'string' && text.length >= 6 && !REDACTED.includes(text)) exact.add(text);
    }
    if (exact.size !== before) known = createMatcher([...exact]);
  }
  addSecrets(secrets);

  function redactString(value: string): string {
    const first = known?.maybe(value) ? known.redactFrom(value, 0, false) : value;
    return SHAPES.maybe(first) ? SHAPES.redactFrom(first, 0, false) : first;
  }

  function createStream(): StreamRedactor {
    return chainStreams(
      matcherStream(() => known),
      matcherStream(() => SHAPES),
    );
  }

  function redactValue<T>(value: T): T {
    // Strings and other primitives need no cycle map (the common output of a text agent).
    if (typeof value === 'string') return redactString(value) as T;
    if (value === null || typeof value !== 'object') return value;
    return walk(value, new WeakMap()) as T;
  }

  function walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (isSecret(value)) return REDACTED;
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Error) {
      const out: Record<string, unknown> = {};
      seen.set(value, out);
      out.name = value.name;
      out.message = redactString(value.message);
      for (const key of Object.keys(value)) {
        if (key === 'headers' || key === 'request' || key === 'response' || key === 'body') continue;
        out[key] = isSensitiveKey(key) ? REDACTED : walk((value as unknown as Record<string, unknown>)[key], seen);
      }
      if (value.cause !== undefined) out.cause = walk(value.cause, seen);
      return out;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value) out.push(walk(item, seen));
      return out;
    }
    if (value instanceof Date) return value;
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) ? REDACTED : walk(item, seen);
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
