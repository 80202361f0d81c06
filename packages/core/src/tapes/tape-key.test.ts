// The replay's one-pass key (`requestKeyText`) must be the key of the redacted copy a recording
// keeps (`keyText(toTapeRequest(…))`), for any request: otherwise a replay misses its recording,
// or a secret changes which recording answers. Property-based; fast-check prints the seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../logging';
import { configured } from '../logging/redaction-generators.test-support';
import { canonicalJson } from './canonical-json';
import { requests } from './request-generators.test-support';
import { DEFAULT_TAPE_KEY_FIELDS, keyText, requestKeyText, toTapeRequest } from './tape-key';
import type { TapeKeyField } from './tape-types';
import { request } from './tapes.test-support';

const ALL_FIELDS: readonly TapeKeyField[] = ([...DEFAULT_TAPE_KEY_FIELDS, 'seed'] as TapeKeyField[]).sort();

describe('requestKeyText', () => {
  it('is the key text of the redacted copy, for any request, secrets and key fields', () => {
    fc.assert(
      fc.property(requests, configured, fc.subarray([...ALL_FIELDS], { minLength: 1 }), (sample, secrets, fields) => {
        const redactor = createRedactor(secrets);
        expect(requestKeyText(sample, redactor, fields)).toBe(keyText(toTapeRequest(sample, redactor), fields));
      }),
      { numRuns: 300 },
    );
  });

  it('never holds a configured secret or a key shape, and sensitive keys hold the mark', () => {
    const redactor = createRedactor(['hunter2-very-secret']);
    const text = requestKeyText(
      request({
        input: { note: 'pw hunter2-very-secret', apiKey: 'plain', nested: [{ token: undefined }] },
        messages: [{ role: 'user', content: 'use sk-proj-0123456789abcdefghijklmnop please' }],
      }),
      redactor,
      ALL_FIELDS,
    );
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-proj-0123456789');
    expect(text).toContain('"apiKey":"[REDACTED]"');
    expect(text).toContain('"token":"[REDACTED]"');
  });

  it('fails as the copying key does for what JSON cannot hold, naming the path', () => {
    const redactor = createRedactor();
    const bad = request({ input: { a: [1, Number.NaN] } });
    expect(() => requestKeyText(bad, redactor, ALL_FIELDS)).toThrow('$.input.a[1] is NaN');
    expect(() => canonicalJson({ a: 1n }, redactor)).toThrow('$.a is a bigint');
  });
});

describe('canonicalJson', () => {
  /** The reference: a copy with every object's keys sorted, then JSON.stringify. */
  const sortedDeep = (input: unknown): unknown =>
    Array.isArray(input)
      ? input.map(sortedDeep)
      : input !== null && typeof input === 'object'
        ? Object.fromEntries(
            Object.keys(input)
              .sort()
              .map((name) => [name, sortedDeep((input as Record<string, unknown>)[name])]),
          )
        : input;

  it('writes what JSON.stringify writes of the sorted value, for any JSON (full Unicode: lone surrogates, controls, quotes)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(
      fc.property(json, (sample) => {
        expect(canonicalJson(sample)).toBe(JSON.stringify(sortedDeep(sample)));
      }),
      { numRuns: 500 },
    );
    // Each needing its escape alone: a lone surrogate, a control, a quote, a backslash; a pair kept as is.
    for (const alone of ['\udc00', 'a\ud800', '\u001f', '"', '\\', '\ud83d\ude00', '\u007f\u2028']) {
      expect(canonicalJson({ [alone]: alone })).toBe(JSON.stringify({ [alone]: alone }));
    }
  });

  it('orders any number of keys as sort() does, index-like keys among them (a few by insertion, many by sort)', () => {
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.nat({ max: 2000 }).map(String));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(key, fc.integer(), { maxKeys: 16 }),
          fc.dictionary(key, fc.integer(), { minKeys: 17, maxKeys: 40 }),
        ),
        (sample) => {
          // Written by hand: an object made in sorted order still lists index-like keys first.
          const members = Object.keys(sample)
            .sort()
            .map((name) => `${JSON.stringify(name)}:${sample[name]}`);
          const expected = `{${members.join(',')}}`;
          expect(canonicalJson(sample)).toBe(expected);
          expect(canonicalJson([sample, { nested: sample }])).toBe(`[${expected},{"nested":${expected}}]`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
