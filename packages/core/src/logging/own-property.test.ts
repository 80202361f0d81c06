// Copies of JSON made by assignment lose a `__proto__` key and take its value as the copy's
// prototype (so `copy.isAdmin` can read a field the data never had at the top). Every copy of a
// caller's or a model's JSON in core goes through setOwn; these check each one keeps the key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHistoryEntryStale } from '../client/run-store/stale-check';
import { createRedactor } from '../logging/redact';
import { canonicalJson, prettyCanonicalJson } from '../tapes/canonical-json';
import { defaultsFromSchema } from '../validation/schema-defaults';
import { setOwn } from './own-property';

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'a'), fc.string({ maxLength: 3 }));
const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1'), maxLength: 6 });
// Objects made with own keys (Object.fromEntries defines them, as JSON.parse does).
const { value: json } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    text,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
}));

/** Every object in `value` is a plain object with Object.prototype (none took a value as its prototype). */
function plainThroughout(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(plainThroughout);
  if (value === null || typeof value !== 'object') return true;
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plainThroughout);
}

describe('JSON copies keep a `__proto__` key as a key', () => {
  it('setOwn defines it; other keys are assigned', () => {
    const out: Record<string, unknown> = {};
    setOwn(out, '__proto__', { isAdmin: true });
    setOwn(out, 'a', 1);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { isAdmin?: boolean }).isAdmin).toBe(undefined);
  });

  it('redactValue: a value without secrets comes back the same, key for key (property)', () => {
    const redactor = createRedactor(['sk-secret-value-0123456789']);
    fc.assert(
      fc.property(json, (value) => {
        const out = redactor.redactValue(value);
        expect(JSON.stringify(out)).toBe(JSON.stringify(value));
        expect(plainThroughout(out)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('prettyCanonicalJson writes every key canonicalJson does (property)', () => {
    fc.assert(
      fc.property(json, (value) => {
        // Both read back (JSON.parse puts integer-like keys first, whoever wrote them).
        const read = (text: string) => JSON.stringify(JSON.parse(text));
        expect(read(prettyCanonicalJson(value))).toBe(read(canonicalJson(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('defaultsFromSchema: a property named `__proto__` is a member of the defaults', () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"object","properties":{"isAdmin":{"type":"boolean","default":true}}},"a":{"type":"string","default":"x"}},"required":["__proto__"]}',
    );
    const defaults = defaultsFromSchema(schema) as Record<string, unknown>;
    expect(JSON.stringify(defaults)).toBe('{"__proto__":{"isAdmin":true},"a":"x"}');
    expect(plainThroughout(defaults)).toBe(true);
    const merged = defaultsFromSchema({ allOf: [schema, { properties: { b: { default: 1 } } }] });
    expect(JSON.stringify(merged)).toBe('{"__proto__":{"isAdmin":true},"a":"x","b":1}');
    expect(plainThroughout(merged)).toBe(true);
  });

  it('defaultsFromSchema: allOf merges its branches’ members, later ones winning', () => {
    expect(
      defaultsFromSchema({
        allOf: [
          { type: 'object', properties: { a: { default: 1 }, b: { default: 2 } } },
          { type: 'object', properties: { b: { default: 3 } } },
        ],
      }),
    ).toEqual({ a: 1, b: 3 });
  });

  it('the history stale check fills a `__proto__` default as a member', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"object","default":{"x":1}}}}');
    const input = JSON.parse('{"__proto__":{"x":1}}');
    expect(isHistoryEntryStale({ input }, '{}', schema)).toBe(false);
    expect(isHistoryEntryStale({ input }, '{"__proto__":{"x":2}}', schema)).toBe(true);
  });
});
