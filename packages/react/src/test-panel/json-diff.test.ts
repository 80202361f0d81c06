import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonDiff, jsonDiff, lineDiff, signedDelta } from './json-diff';

const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

describe('jsonDiff', () => {
  it('is empty for a value compared with itself', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(jsonDiff(value, structuredClone(value))).toEqual([]);
      }),
    );
  });

  it('covers every changed path: applying the diff to the first value gives the second', () => {
    fc.assert(
      fc.property(json, json, (before, after) => {
        expect(applyJsonDiff(before, jsonDiff(before, after))).toEqual(after);
      }),
    );
  });

  it('treats a `__proto__` key as the JSON key it is', () => {
    const after = JSON.parse('{"__proto__": null, "a": {"__proto__": {"b": 1}}}') as unknown;
    const changes = jsonDiff({ a: {} }, after);
    expect(changes.map((change) => change.path)).toEqual([['a', '__proto__'], ['__proto__']]);
    expect(applyJsonDiff({ a: {} }, changes)).toEqual(after);
    expect(Object.getPrototypeOf(applyJsonDiff({}, changes.slice(1)))).toBe(Object.prototype);
  });

  it('names added, removed and changed paths', () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] } }, { a: 2, b: { c: [1] }, d: true })).toEqual([
      { kind: 'changed', path: ['a'], before: 1, after: 2 },
      { kind: 'removed', path: ['b', 'c', 1], before: 2 },
      { kind: 'added', path: ['d'], after: true },
    ]);
  });
});

describe('lineDiff', () => {
  it('keeps common lines and marks the rest', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
    ]);
  });
  it('rebuilds both texts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', '')), fc.array(fc.constantFrom('a', 'b', 'd')), (x, y) => {
        const lines = lineDiff(x.join('\n'), y.join('\n'));
        const side = (kind: string) =>
          lines
            .filter((line) => line.kind !== kind)
            .map((line) => line.text)
            .join('\n');
        expect(side('added')).toBe(x.join('\n'));
        expect(side('removed')).toBe(y.join('\n'));
      }),
    );
  });
});

describe('signedDelta', () => {
  it('signs the difference', () => {
    expect(signedDelta(100, 112, 'ms')).toBe('+12 ms');
    expect(signedDelta(5, 3)).toBe('−2');
    expect(signedDelta(1, 1)).toBe('±0');
    expect(signedDelta(undefined, 1)).toBe('—');
  });
});
