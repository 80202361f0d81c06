// A tape provider remembers the key texts of requests it met (request-key-memo.ts). What it
// answers must be what requestKeyText answers, for any request asked again, changed in place,
// or met for the first time; it must never keep a request whose key redaction changed (its copy
// would hold a secret), nor one that is not plain data. Property-based; fast-check prints the seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../logging';
import { configured } from '../logging/redaction-generators.test-support';
import type { ProviderRequest } from '../providers';
import { requests } from './request-generators.test-support';
import { RequestKeyMemo } from './request-key-memo';
import { DEFAULT_TAPE_KEY_FIELDS, requestKeyText } from './tape-key';
import type { TapeKeyField } from './tape-types';
import { request } from './tapes.test-support';

const ALL_FIELDS: readonly TapeKeyField[] = ([...DEFAULT_TAPE_KEY_FIELDS, 'seed'] as TapeKeyField[]).sort();

/** Plain requests (no Date, Secret or Error), most without secrets: the ones that are remembered. */
const plainRequests = fc
  .record({
    question: fc.string({ maxLength: 12 }),
    system: fc.constantFrom('Answer in one sentence.', 'Be brief.', 'Summarize in five words.'),
    input: fc.jsonValue({ maxDepth: 3 }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    options: fc.option(fc.dictionary(fc.constantFrom('openai', 'mock', 'other'), fc.jsonValue({ maxDepth: 2 })), {
      nil: undefined,
    }),
  })
  .map(({ question, system, input, temperature, options }) =>
    request({
      input,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: question },
      ],
      ...(temperature === undefined ? {} : { temperature }),
      ...(options === undefined ? {} : { providerOptions: options as ProviderRequest['providerOptions'] }),
    }),
  );

/** A copy of plain arrays and objects, anything else kept as it is (a Date, a Secret, a function). */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, copyPlain(item)]));
}

/** A new request with the same data (as each run makes), not the same objects. */
const copyOf = (sample: ProviderRequest): ProviderRequest => copyPlain(sample) as ProviderRequest;

describe('RequestKeyMemo', () => {
  it('answers requestKeyText for requests asked again in any order, as copies, with any secrets and key fields', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(plainRequests, requests), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        configured,
        fc.subarray([...ALL_FIELDS], { minLength: 1 }),
        (samples, order, secrets, fields) => {
          const redactor = createRedactor(secrets);
          const memo = new RequestKeyMemo(redactor, fields);
          for (const pick of order) {
            const sample = copyOf(samples[pick % samples.length] as ProviderRequest);
            expect(memo.keyText(sample)).toBe(requestKeyText(sample, redactor, fields));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers the new key of a request changed in place after it was remembered', () => {
    fc.assert(
      fc.property(plainRequests, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), (sample, text, data) => {
        const redactor = createRedactor();
        const memo = new RequestKeyMemo(redactor, DEFAULT_TAPE_KEY_FIELDS);
        memo.keyText(sample);
        (sample.messages[1] as { content: string }).content = text;
        expect(memo.keyText(sample)).toBe(requestKeyText(sample, redactor, DEFAULT_TAPE_KEY_FIELDS));
        sample.input = data;
        expect(memo.keyText(sample)).toBe(requestKeyText(sample, redactor, DEFAULT_TAPE_KEY_FIELDS));
      }),
      { numRuns: 200 },
    );
  });

  it('tells apart requests whose fingerprints agree (same lengths and sampled characters)', () => {
    const redactor = createRedactor();
    const memo = new RequestKeyMemo(redactor, DEFAULT_TAPE_KEY_FIELDS);
    // Length 7: the first, middle and last characters are sampled; these differ elsewhere.
    const first = request({ messages: [{ role: 'user', content: 'abcdefg' }] });
    const second = request({ messages: [{ role: 'user', content: 'aXcdeYg' }] });
    const members = request({ input: { a: 'x', b: 'y' } });
    const swapped = request({ input: { a: 'y', b: 'x' } });
    for (const sample of [first, second, first, second, members, swapped, members, swapped]) {
      expect(memo.keyText(copyOf(sample))).toBe(requestKeyText(sample, redactor, DEFAULT_TAPE_KEY_FIELDS));
    }
    expect(memo.keyText(first)).not.toBe(memo.keyText(second));
    expect(memo.keyText(members)).not.toBe(memo.keyText(swapped));
  });

  it('never remembers a request whose key redaction changed, nor one that is not plain data', () => {
    const redactor = createRedactor(['hunter2-very-secret']);
    const memo = new RequestKeyMemo(redactor, DEFAULT_TAPE_KEY_FIELDS);
    const secretInText = request({ messages: [{ role: 'user', content: 'my password is hunter2-very-secret' }] });
    const keyShape = request({ input: { note: 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6' } });
    const sensitiveKey = request({ input: { apiKey: 'whatever-value' } });
    const withDate = request({ input: { when: new Date(0) } });
    for (const sample of [secretInText, keyShape, sensitiveKey, withDate]) {
      expect(memo.keyText(sample)).toBe(requestKeyText(sample, redactor, DEFAULT_TAPE_KEY_FIELDS));
      expect(memo.size).toBe(0);
    }
    memo.keyText(request());
    expect(memo.size).toBe(1);
  });

  it('keeps at most its number of entries, and no key text longer than its limit', () => {
    const redactor = createRedactor();
    const memo = new RequestKeyMemo(redactor, DEFAULT_TAPE_KEY_FIELDS, 4, 512, 400);
    for (let index = 0; index < 10; index += 1) {
      memo.keyText(request({ input: { index } }));
      expect(memo.size).toBeLessThanOrEqual(4);
    }
    memo.keyText(request({ input: { text: 'x'.repeat(500) } }));
    expect(memo.size).toBeLessThanOrEqual(4);
    const before = memo.size;
    memo.keyText(request({ input: { text: 'y'.repeat(500) } }));
    expect(memo.size).toBe(before);
  });
});
