// The fast check in front of the depth walk must never answer "fine" where the walk finds a
// problem (too deep, a cycle, too many values), for any value and limits. Property-based;
// fast-check prints the seed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDepthProblem, walkDepthProblem } from './json-depth';

// Values nested up to ~45 levels (past the fast check's 32), with shared and cyclic references.
function nested(depth: number, leaf: unknown, arrays: boolean[]): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = arrays[level % arrays.length] ? [value] : { k: value };
  return value;
}

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.integer(),
    fc.string({ maxLength: 3 }),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 2 }), tie('value'), { maxKeys: 4 }),
}));

const values = fc
  .record({
    base: json.value,
    depth: fc.nat({ max: 45 }),
    arrays: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    cycle: fc.boolean(),
    share: fc.boolean(),
  })
  .map(({ base, depth, arrays, cycle, share }) => {
    const deep = nested(depth, base, arrays) as unknown;
    const holder: Record<string, unknown> = { deep, other: share ? deep : [1, 2] };
    if (cycle) (holder.other as unknown[] | Record<string, unknown>) = holder;
    return holder;
  });

describe('findDepthProblem', () => {
  it('answers as the walk does, for any value, depth limit and value budget', () => {
    fc.assert(
      fc.property(
        // Also the plain dictionaries alone: many are flat (every value a scalar), the common input.
        fc.oneof(values, json.object),
        fc.integer({ min: 1, max: 60 }),
        fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
        (value, maxDepth, maxValues) => {
          const budget = maxValues ?? Number.POSITIVE_INFINITY;
          expect(findDepthProblem(value, maxDepth, budget)).toEqual(walkDepthProblem(value, maxDepth, budget));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds a cycle, a depth past the limit and past the fast check, and too many values', () => {
    const cyclic: Record<string, unknown> = { a: [1] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(findDepthProblem(cyclic, 256)).toEqual({ type: 'cycle', path: ['a', 1] });
    expect(findDepthProblem(nested(40, 1, [true]), 256)).toBeUndefined();
    expect(findDepthProblem(nested(40, 1, [true]), 39)?.type).toBe('too_deep');
    expect(findDepthProblem(nested(10, 1, [false]), 5)?.type).toBe('too_deep');
    expect(findDepthProblem({ a: [1, 2, 3] }, 256, 3)).toEqual({ type: 'too_many_values' });
    expect(findDepthProblem({ a: [1, 2] }, 256, 3)).toBeUndefined();
    expect(findDepthProblem({ a: 1, b: 'x', c: null }, 256, 2)).toEqual({ type: 'too_many_values' });
    expect(findDepthProblem({ a: 1, b: 'x', c: null }, 256, 3)).toBeUndefined();
  });
});
