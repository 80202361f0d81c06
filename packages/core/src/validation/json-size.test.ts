// The size bound must never say "fits" for a value whose JSON is larger, nor for anything
// JSON.stringify treats specially; and it must say "fits" for the common input, or it saves
// nothing. fast-check prints the seed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsAsJson } from './json-size';

const bytesOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe('fitsAsJson', () => {
  it('never answers "fits" for JSON larger than the limit (random values, full Unicode, random limits)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.string({ unit: 'binary' }),
        fc.nat({ max: 4096 }),
        (value, text, limit) => {
          for (const candidate of [value, { text, value }, [text, value]]) {
            if (fitsAsJson(candidate, limit)) expect(bytesOf(candidate)).toBeLessThanOrEqual(limit);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('holds at the worst cases: escaped control characters, lone surrogates, long numbers', () => {
    const worst = ['\u0001'.repeat(50), '\udc00'.repeat(50), '😀'.repeat(25), '"\\'.repeat(25)];
    for (const text of worst) {
      const value = { [text]: text, list: [text, -1.2345678901234567e-308, Number.MAX_VALUE] };
      const size = bytesOf(value);
      expect(fitsAsJson(value, size - 1)).toBe(false);
    }
    // The longest a number prints as, alone: the bound's slack is one comma.
    const numbers = [-1.2345678901234567e-308, -2.2250738585072014e-308];
    expect(fitsAsJson(numbers, bytesOf(numbers) - 2)).toBe(false);
  });

  it('answers "fits" for the common input: plain data well under the limit', () => {
    expect(fitsAsJson({ question: 'What is the capital of France?' }, 1_000)).toBe(true);
    expect(fitsAsJson({ a: [1, true, null, { b: 'c' }], d: undefined }, 1_000)).toBe(true);
    expect(fitsAsJson(Object.assign(Object.create(null), { a: 'b' }), 1_000)).toBe(true);
    expect(fitsAsJson('text', 100)).toBe(true);
    // A bound, not the size: 6 bytes a character is the worst case, so a value close to the limit is serialized.
    expect(fitsAsJson({ question: 'x'.repeat(200) }, 1_000)).toBe(false);
  });

  it('cannot tell for what JSON.stringify treats specially, nor past its depth', () => {
    class Point {
      x = 1;
    }
    class List extends Array {
      toJSON() {
        return 'x'.repeat(10_000);
      }
    }
    const throwing = {
      get boom() {
        throw new Error('getter');
      },
    };
    let deep: unknown = 1;
    for (let level = 0; level < 40; level += 1) deep = [deep];
    for (const value of [
      undefined,
      1n,
      () => 1,
      Symbol('s'),
      { toJSON: () => 'x' },
      new Date(0),
      new Point(),
      List.from([1]),
      { nested: { big: 1n } },
      [Symbol('s')],
      throwing,
      deep,
    ]) {
      expect(fitsAsJson(value, 1_000_000)).toBe(false);
    }
  });
});
