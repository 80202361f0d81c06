import { isSecret, type Secret } from './secret';

export const REDACTED = '[REDACTED]';

// Shapes of credentials that must never leave the process, whoever configured them.
const PATTERNS: RegExp[] = [
  /((?:authorization|x-api-key|api[-_]?key|proxy-authorization)["']?\s*[:=]\s*["']?)(?!\[REDACTED\])(?:(?:Bearer|Basic)\s+)?[^\s"',;}]+/gi,
  /sk-ant-[A-Za-z0-9_-]{6,}/g,
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic)\s+(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{6,}/gi,
  // Credentials in URLs: postgres://user:password@host, https://user:token@host.
  /([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi,
];

// One cheap test before the patterns: most strings hold no credential shape at all.
const MAYBE_CREDENTIAL = /sk-|bearer|basic|authorization|api[-_]?key|:\/\/[^\s/@]+@/i;

const SENSITIVE_KEYS =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|apikey|password|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|cookie|set-cookie)$/i;

/** Removes credentials from strings and structured values. */
export interface Redactor {
  /** The string with every API-key shape and configured secret replaced by `[REDACTED]`. */
  redactString(value: string): string;
  /** A deep copy with every string redacted and sensitive keys' values replaced. Errors become plain objects. */
  redactValue<T>(value: T): T;
  /** Adds exact values to redact (configured keys). */
  addSecrets(secrets: Iterable<string | Secret>): void;
}

/** Creates a redactor that knows the given secrets' exact values, on top of the built-in API-key shapes. */
export function createRedactor(secrets: Iterable<string | Secret> = []): Redactor {
  const exact = new Set<string>();

  function addSecrets(values: Iterable<string | Secret>): void {
    for (const value of values) {
      const text = isSecret(value) ? value.reveal() : value;
      // Very short values would redact ordinary words; real keys are long.
      if (typeof text === 'string' && text.length >= 6) exact.add(text);
    }
  }
  addSecrets(secrets);

  function redactString(value: string): string {
    let out = value;
    for (const secret of exact) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    if (!MAYBE_CREDENTIAL.test(out)) return out;
    for (const pattern of PATTERNS) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, (_match, prefix: unknown) => {
        if (typeof prefix === 'string' && /[:=]\s*["']?$/.test(prefix)) return `${prefix}${REDACTED}`;
        if (typeof prefix === 'string' && /^(Bearer|Basic)$/i.test(prefix)) return `${prefix} ${REDACTED}`;
        if (typeof prefix === 'string' && prefix.endsWith('://')) return `${prefix}${REDACTED}@`;
        return REDACTED;
      });
    }
    return out;
  }

  function redactValue<T>(value: T): T {
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
        out[key] = SENSITIVE_KEYS.test(key) ? REDACTED : walk((value as unknown as Record<string, unknown>)[key], seen);
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
      out[key] = SENSITIVE_KEYS.test(key) ? REDACTED : walk(item, seen);
    }
    return out;
  }

  return { redactString, redactValue, addSecrets };
}
