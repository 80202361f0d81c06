import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatMs, histogram, percentile } from './statistics';

describe('statistics', () => {
  test('percentile by nearest rank', () => {
    expect(percentile([], 0.5)).toBeUndefined();
    expect(percentile([30, 10, 20], 0.5)).toBe(20);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });

  test('formatMs', () => {
    expect(formatMs(212.4)).toBe('212 ms');
    expect(formatMs(1480)).toBe('1.48 s');
    expect(formatMs(undefined)).toBe('—');
  });

  test('a histogram counts every sample once and always shows the target (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100_000, noNaN: true })),
        fc.integer({ min: 1, max: 10_000 }),
        (samples, target) => {
          const buckets = histogram(samples, target);
          const counted = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
          const end = buckets.at(-1)?.to ?? 0;
          return counted === samples.length && end >= target && buckets.length <= 60;
        },
      ),
      { seed: 15, verbose: true },
    );
  });
});
