// A replayed call's key text (requestKeyText) costs more than the rest of the replay: every
// string is redacted, quoted and written, every object's keys sorted. A test suite replays the
// same requests again and again, so a tape provider remembers the key texts of requests it met:
// a request is found by a fingerprint (a walk that allocates nothing and reads a few characters
// of each string) and confirmed by comparing it, member by member, with a copy of the one
// remembered. Equal data gives the same key text (the text is a function of the data alone, and
// the provider's redactor never changes), so a confirmed request answers the remembered text.
//
// Only plain data is remembered (strings, finite numbers, booleans, null, arrays and plain
// objects); a request with anything else (a `Secret`, an `Error`, a `Date`, a class instance)
// takes the full path every time. Nor is a request remembered when redaction changed anything
// in its key: the copy kept here must never hold a secret. Bounded in entries, in the size of
// each key text and in the work per request.
import type { Redactor } from '../logging';
import type { ProviderRequest } from '../providers';
import { keyFieldValue, requestKeyText, sortedKeyFields, unredactedKeyText } from './tape-key';
import type { TapeKeyField } from './tape-types';

const NOT_PLAIN = -1;

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A hash of a string's length and a few of its characters: O(1), confirmed by comparing. */
function mixString(hash: number, text: string): number {
  const { length } = text;
  let mixed = Math.imul(hash ^ length, 0x9e3779b1);
  if (length > 0) {
    mixed = Math.imul(mixed ^ text.charCodeAt(0), 0x85ebca6b);
    mixed = Math.imul(mixed ^ text.charCodeAt(length >> 1), 0xc2b2ae35);
    mixed = Math.imul(mixed ^ text.charCodeAt(length - 1), 0x27d4eb2f);
  }
  return mixed >>> 1;
}

/** Fingerprints plain data, or answers NOT_PLAIN (anything else, or more than `budget.left` values). */
class Fingerprint {
  left = 0;

  of(value: unknown, hash: number): number {
    this.left -= 1;
    if (this.left < 0) return NOT_PLAIN;
    switch (typeof value) {
      case 'string':
        return mixString(hash ^ 0x5bd1e995, value);
      case 'number':
        if (!Number.isFinite(value)) return NOT_PLAIN;
        return mixString(hash ^ 0x1b873593, String(value));
      case 'boolean':
        return Math.imul(hash ^ (value ? 0x3 : 0x5), 0x9e3779b1) >>> 1;
      case 'undefined':
        return Math.imul(hash ^ 0x7, 0x9e3779b1) >>> 1;
      case 'object': {
        if (value === null) return Math.imul(hash ^ 0xb, 0x9e3779b1) >>> 1;
        if (Array.isArray(value)) {
          let mixed = Math.imul(hash ^ (value.length + 0x11), 0x85ebca6b) >>> 1;
          for (let index = 0; index < value.length; index += 1) {
            mixed = this.of(value[index], mixed);
            if (mixed === NOT_PLAIN) return NOT_PLAIN;
          }
          return mixed;
        }
        if (!isPlainObject(value)) return NOT_PLAIN;
        // Members in any order write the same text: their hashes are added, not chained.
        let sum = 0;
        let count = 0;
        for (const key in value) {
          if (!Object.hasOwn(value, key)) continue;
          const member = this.of((value as Record<string, unknown>)[key], mixString(0x13, key));
          if (member === NOT_PLAIN) return NOT_PLAIN;
          sum = (sum + member) | 0;
          count += 1;
        }
        return Math.imul(hash ^ sum ^ (count << 8), 0xc2b2ae35) >>> 1;
      }
      default:
        return NOT_PLAIN;
    }
  }
}

/** Whether `value` (plain data, fingerprinted) equals `kept` (a copy of plain data), members in any order. */
function sameData(value: unknown, kept: unknown): boolean {
  if (value === kept) return true;
  if (typeof value !== 'object' || value === null || typeof kept !== 'object' || kept === null) return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(kept) || kept.length !== value.length) return false;
    for (let index = 0; index < value.length; index += 1) if (!sameData(value[index], kept[index])) return false;
    return true;
  }
  if (Array.isArray(kept)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!Object.hasOwn(kept, key)) return false;
    if (!sameData((value as Record<string, unknown>)[key], (kept as Record<string, unknown>)[key])) return false;
    count += 1;
  }
  for (const key in kept) if (Object.hasOwn(kept, key)) count -= 1;
  return count === 0;
}

interface Remembered {
  /** A copy of the request's key field values, in the order of `fields`. */
  readonly values: readonly unknown[];
  readonly text: string;
}

/** A request's key text, remembered (see the top of this file). */
export class RequestKeyMemo {
  readonly #redactor: Redactor;
  readonly #keyFields: readonly TapeKeyField[];
  readonly #fields: readonly TapeKeyField[];
  readonly #remembered = new Map<number, Remembered>();
  readonly #fingerprint = new Fingerprint();

  constructor(
    redactor: Redactor,
    keyFields: readonly TapeKeyField[],
    readonly maxEntries = 256,
    readonly maxValues = 512,
    readonly maxTextLength = 16_384,
  ) {
    this.#redactor = redactor;
    this.#keyFields = keyFields;
    this.#fields = sortedKeyFields(keyFields);
  }

  /** How many requests are remembered (for tests). */
  get size(): number {
    return this.#remembered.size;
  }

  /** `requestKeyText(request, redactor, keyFields)`, from memory when this request was met before. */
  keyText(request: ProviderRequest): string {
    const fields = this.#fields;
    const fingerprint = this.#fingerprint;
    fingerprint.left = this.maxValues;
    let hash = 0x2f;
    for (const field of fields) {
      hash = fingerprint.of(keyFieldValue(request, field), hash);
      if (hash === NOT_PLAIN) return requestKeyText(request, this.#redactor, this.#keyFields);
    }
    const remembered = this.#remembered.get(hash);
    if (remembered !== undefined && this.#matches(request, remembered)) return remembered.text;
    const text = requestKeyText(request, this.#redactor, this.#keyFields);
    // Remembered only when redaction changed nothing (the copy must never hold a secret).
    if (text.length <= this.maxTextLength && text === unredactedKeyText(request, this.#keyFields)) {
      if (this.#remembered.size >= this.maxEntries) this.#remembered.clear();
      this.#remembered.set(hash, {
        values: structuredClone(fields.map((field) => keyFieldValue(request, field))),
        text,
      });
    }
    return text;
  }

  #matches(request: ProviderRequest, remembered: Remembered): boolean {
    const fields = this.#fields;
    for (let index = 0; index < fields.length; index += 1) {
      if (!sameData(keyFieldValue(request, fields[index] as TapeKeyField), remembered.values[index])) return false;
    }
    return true;
  }
}
