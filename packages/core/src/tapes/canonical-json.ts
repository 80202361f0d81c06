// JSON with its object keys sorted, so that equal data always has one text: the input of a
// tape key (compact) and the on-disk form of a tape (pretty, diff-friendly).

import { isSecret, REDACTED, type Redactor } from '../logging';
import { setOwn } from '../logging/own-property';
import { isSensitiveKey } from '../logging/redact';

function sortedCopy(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`${path} is ${String(value)}, which JSON cannot hold.`);
    }
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot hold.`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => (item === undefined ? null : sortedCopy(item, `${path}[${index}]`)));
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sortedCopy((value as { toJSON(): unknown }).toJSON(), path);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    // As JSON.stringify: absent, never `null`, so `{ a: undefined }` and `{}` are one text.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    setOwn(out, key, sortedCopy(item, `${path}.${key}`));
  }
  return out;
}

/**
 * The canonical JSON text of `value`: object keys sorted by code unit, no whitespace, `undefined`
 * members left out. Throws a `TypeError` naming the path for what JSON cannot hold (`NaN`, a
 * BigInt, a function in an array). Linear in the size of the value (plus each object's key sort).
 *
 * With `redactor`, the text is that of `redactor.redactValue(value)` (what a tape keeps), written
 * in the same pass without making the redacted copy: every string redacted, a sensitive key's
 * value and a `Secret` written as the redaction mark, an `Error` or another object with `toJSON`
 * (a `Date`) redacted as `redactValue` does and then written.
 */
export function canonicalJson(value: unknown, redactor?: Redactor): string {
  try {
    return write(value, redactor);
  } catch {
    // The fast pass keeps no paths; the copying pass names the one that failed.
    sortedCopy(redactor === undefined ? value : redactor.redactValue(value), '$');
    throw new TypeError('canonicalJson: the value cannot be written as JSON.');
  }
}

const REDACTED_JSON = JSON.stringify(REDACTED);

/**
 * {@link canonicalJson} of an object whose keys are `fields` (given in code-unit order) and whose
 * values `valueAt` answers, without making that object: a replayed call's key is written this way.
 */
export function canonicalFieldsJson(
  fields: readonly string[],
  valueAt: (field: string) => unknown,
  redactor?: Redactor,
): string {
  try {
    let out = '{';
    for (const field of fields) out += entry(out.length === 1, field, valueAt(field), redactor);
    return `${out}}`;
  } catch {
    const picked: Record<string, unknown> = {};
    for (const field of fields) picked[field] = valueAt(field);
    return canonicalJson(picked, redactor);
  }
}

// A key's text as a member starts (`"key":`), and whether it is sensitive (its value redacted
// whatever it holds), remembered: requests repeat the same few keys on every call, and each is a
// quote and two regular expressions. Bounded, so keys made of data cannot grow it without limit.
interface MemberStart {
  readonly text: string;
  readonly sensitive: boolean;
}
const memberStarts = new Map<string, MemberStart>();
function memberStart(key: string): MemberStart {
  let known = memberStarts.get(key);
  if (known === undefined) {
    if (memberStarts.size >= 1024) memberStarts.clear();
    known = { text: `${quote(key)}:`, sensitive: isSensitiveKey(key) };
    memberStarts.set(key, known);
  }
  return known;
}

// What JSON.stringify escapes in a string: the quote, the backslash, control characters, and
// lone surrogates (any surrogate here: a paired one takes the slow path, which keeps it as it is).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without its call for the common string that needs no escape. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * An object's keys in code-unit order (as `sort()` orders strings). A few keys out of order (a
 * message's `role` and `content`) are put in order by insertion, several times cheaper than
 * `sort()` for so few; many keys take `sort()`.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index] as string;
    let at = index - 1;
    if ((keys[at] as string) <= key) continue;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at -= 1;
    }
    keys[at + 1] = key;
  }
  return keys;
}

// One pass that writes the text directly (no sorted copy first): this runs on every replayed call.
function write(value: unknown, redactor: Redactor | undefined): string {
  if (typeof value === 'string') return quote(redactor === undefined ? value : redactor.redactString(value));
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError('not finite');
      return JSON.stringify(value);
    }
    if (value === null || value === undefined) return 'null';
    throw new TypeError(typeof value);
  }
  if (redactor !== undefined) {
    if (isSecret(value)) return REDACTED_JSON;
    if (
      value instanceof Error ||
      (!Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function')
    ) {
      return write(redactor.redactValue(value), undefined);
    }
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ',';
      const item = value[index];
      out +=
        item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : write(item, redactor);
    }
    return `${out}]`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON(): unknown }).toJSON(), redactor);
  }
  let out = '{';
  for (const key of sortedKeys(value))
    out += entry(out.length === 1, key, (value as Record<string, unknown>)[key], redactor);
  return `${out}}`;
}

/** One member of an object's text (with its leading comma unless `first`), or '' for a value JSON leaves out. */
function entry(first: boolean, key: string, item: unknown, redactor: Redactor | undefined): string {
  const member = memberStart(key);
  // As redactValue: a sensitive key's value is the mark, whatever it was (undefined included).
  if (redactor !== undefined && member.sensitive) return `${first ? '' : ','}${member.text}${REDACTED_JSON}`;
  if (item === undefined || typeof item === 'function' || typeof item === 'symbol') return '';
  return `${first ? '' : ','}${member.text}${write(item, redactor)}`;
}

/** As {@link canonicalJson}, pretty-printed with two spaces and a final newline: the tape file form. */
export function prettyCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortedCopy(value, '$'), null, 2)}\n`;
}
