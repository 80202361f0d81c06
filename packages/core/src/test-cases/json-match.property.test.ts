// equals / contains over JSON values, probed at random; fast-check prints the seed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findContainsMismatch, findEqualsMismatch } from './json-match';

const json = fc.jsonValue({ maxDepth: 4 });

/** JSON with object keys sorted: two values are equal as JSON when these strings are. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** The same value with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reordered(item)]),
    );
  }
  return value;
}

/** A part of a value that it must contain: some keys dropped, some array items dropped, strings cut. */
function part(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.filter(() => random() < 0.6).map((item) => part(item, random));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(() => random() < 0.6)
        .map(([key, item]) => [key, part(item, random)]),
    );
  }
  if (typeof value === 'string') {
    const start = Math.floor(random() * value.length);
    return value.slice(start, start + Math.floor(random() * (value.length - start + 1)));
  }
  return value;
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  // Own members only: a `__proto__` key is a member of JSON, and reading it from an object
  // without it would answer Object.prototype.
  for (const segment of path)
    current =
      current !== null && typeof current === 'object' && Object.hasOwn(current, segment)
        ? (current as Record<string | number, unknown>)[segment]
        : undefined;
  return current;
}

describe('equals over JSON values (property)', () => {
  it('agrees with comparing canonical JSON, and is symmetric', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const equal = canonical(a) === canonical(b);
        expect(findEqualsMismatch(a, b) === undefined).toBe(equal);
        expect(findEqualsMismatch(b, a) === undefined).toBe(equal);
      }),
      { numRuns: 500 },
    );
  });

  it('holds for a value and itself with its keys in another order', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(findEqualsMismatch(value, reordered(value))).toBeUndefined();
      }),
    );
  });

  it('points at a `__proto__` key one side lacks as a missing key', () => {
    const withKey = JSON.parse('{"__proto__": null}') as unknown;
    expect(findEqualsMismatch(withKey, {})).toMatchObject({ path: ['__proto__'], expected: null, received: undefined });
    expect(findEqualsMismatch({}, withKey)).toMatchObject({ path: ['__proto__'], expected: undefined, received: null });
  });

  it('points at a place where the two really differ', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const found = findEqualsMismatch(a, b);
        if (found === undefined) return;
        expect(canonical(at(a, found.path))).toBe(canonical(found.expected));
        expect(canonical(at(b, found.path))).toBe(canonical(found.received));
        expect(canonical(found.expected)).not.toBe(canonical(found.received));
      }),
      { numRuns: 300 },
    );
  });
});

describe('contains over JSON values (property)', () => {
  it('every value contains itself and anything equal to it', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(findContainsMismatch(value, value)).toBeUndefined();
        expect(findContainsMismatch(reordered(value), value)).toBeUndefined();
      }),
    );
  });

  it('every value contains its parts (keys or items dropped, substrings)', () => {
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        let state = seed;
        const random = () => {
          state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
          return Math.abs(state) / 2 ** 31;
        };
        expect(findContainsMismatch(part(value, random), value)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('a key the output lacks, or a different number, fails at that key', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), json),
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.integer(),
        (output, key, number) => {
          const missing = findContainsMismatch({ [`${key}-absent`]: 1 }, { ...output, [`${key}-absent`]: undefined });
          // undefined is not JSON: a key holding it counts as a different value, never a pass.
          expect(missing).toBeDefined();
          const withNumber = { ...output, [key]: number };
          const found = findContainsMismatch({ [key]: number + 1 }, withNumber);
          expect(found?.path).toEqual([key]);
          expect(found?.received).toBe(number);
        },
      ),
    );
  });

  it('contains is implied by equals, and equals by contains both ways', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        if (findEqualsMismatch(a, b) === undefined) expect(findContainsMismatch(a, b)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('json-match examples', () => {
  it('says where equals differs', () => {
    expect(findEqualsMismatch({ a: [1, 2] }, { a: [1, 3] })).toEqual({
      path: ['a', 1],
      expected: 2,
      received: 3,
      reason: 'a different value',
    });
    expect(findEqualsMismatch({ a: 1 }, { a: 1, b: 2 })).toMatchObject({ path: ['b'], reason: 'an extra key' });
    expect(findEqualsMismatch([1], [1, 2])).toMatchObject({ path: [1], reason: expect.stringMatching(/extra item/) });
    expect(findEqualsMismatch('1', 1)).toMatchObject({ path: [], reason: 'number instead of string' });
  });

  it('contains: substrings, subsets of keys, items in any order', () => {
    expect(findContainsMismatch('ell', 'hello')).toBeUndefined();
    expect(findContainsMismatch({ tags: ['b', 'a'] }, { tags: ['a', 'b', 'c'], extra: 1 })).toBeUndefined();
    expect(findContainsMismatch({ tags: ['z'] }, { tags: ['a'] })).toMatchObject({
      path: ['tags', 0],
      reason: 'no item that contains it',
    });
    expect(findContainsMismatch('xyz', 'hello')).toMatchObject({ reason: 'text that does not include it' });
  });
});
