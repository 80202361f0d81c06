import { describe, expect, it } from 'vitest';
import { createExecutor } from './create-executor';
import { backoffDelay, resolvePolicy } from './policy';
import type { LimitOptions } from './types';

// The limits are checked when the executor is made: an impossible setting is refused then, in
// words that name it, never silently replaced by a default.

const refusal = (limits: LimitOptions) => () => createExecutor({ limits });

describe('createExecutor({ limits })', () => {
  it.each<[string, LimitOptions, string]>([
    ['a negative retry count', { maxRetries: -1 }, 'limits.maxRetries must be an integer >= 0, got -1.'],
    ['a fractional retry count', { maxRetries: 1.5 }, 'limits.maxRetries must be an integer >= 0, got 1.5.'],
    ['a retry count that is text', { maxRetries: '2' as never }, 'limits.maxRetries must be an integer >= 0, got 2.'],
    ['a cap that is text', { maxRetryAfterMs: '5' as never }, 'limits.maxRetryAfterMs must be a number >= 0, got 5.'],
    ['NaN', { backoff: { initialMs: Number.NaN } }, 'limits.backoff.initialMs must be a number >= 0, got NaN.'],
    ['a backoff that shrinks', { backoff: { factor: 0.5 } }, 'limits.backoff.factor must be a number >= 1, got 0.5.'],
    ['a negative backoff cap', { backoff: { maxMs: -1 } }, 'limits.backoff.maxMs must be a number >= 0, got -1.'],
    ['a negative retry-after cap', { maxRetryAfterMs: -1 }, 'limits.maxRetryAfterMs must be a number >= 0, got -1.'],
    ['an input limit of one byte', { maxInputBytes: 1 }, 'limits.maxInputBytes must be an integer >= 2, got 1.'],
    ['a fractional input limit', { maxInputBytes: 100.5 }, 'limits.maxInputBytes must be an integer >= 2, got 100.5.'],
    ['a depth of 0', { maxDepth: 0 }, 'limits.maxDepth must be an integer >= 1, got 0.'],
    ['no concurrency', { concurrencyPerTenant: 0 }, 'limits.concurrencyPerTenant must be an integer >= 1, got 0.'],
    ['half a run', { concurrencyPerTenant: 1.5 }, 'limits.concurrencyPerTenant must be an integer >= 1, got 1.5.'],
    ['half a step', { maxSteps: 2.5 }, 'limits.maxSteps must be an integer >= 1, got 2.5.'],
    ['half a tool', { toolConcurrency: 1.5 }, 'limits.toolConcurrency must be an integer >= 1, got 1.5.'],
    [
      'half an invalid call',
      { maxInvalidToolCalls: 0.5 },
      'limits.maxInvalidToolCalls must be an integer >= 0, got 0.5.',
    ],
    ['a timeout of 0 for both modes', { timeoutMs: 0 }, 'limits.timeoutMs.mock must be a number >= 1, got 0.'],
    ['a live timeout of 0', { timeoutMs: { live: 0 } }, 'limits.timeoutMs.live must be a number >= 1, got 0.'],
    [
      'an idle timeout of 0',
      { timeoutMs: { mock: { idleMs: 0 } } },
      'limits.timeoutMs.mock.idleMs must be a number >= 1, got 0.',
    ],
    [
      'an unknown jitter',
      { backoff: { jitter: 'half' as never } },
      'limits.backoff.jitter must be "full" or "none", got half.',
    ],
  ])('refuses %s', (_what, limits, message) => {
    expect(refusal(limits)).toThrow(new TypeError(`createExecutor: ${message}`));
  });

  it('accepts the smallest allowed values, and fractions where time allows them', () => {
    const policy = resolvePolicy({
      maxRetries: 0,
      backoff: { initialMs: 0.5, factor: 1.5, maxMs: 0, jitter: 'none' },
      maxRetryAfterMs: 0.5,
      maxInputBytes: 2,
      maxDepth: 1,
      concurrencyPerTenant: 1,
      maxSteps: 1,
      toolConcurrency: 1,
      maxInvalidToolCalls: 0,
      timeoutMs: { mock: { totalMs: 1.5, idleMs: 1 } },
    });
    expect(policy).toMatchObject({
      maxRetries: 0,
      backoff: { initialMs: 0.5, factor: 1.5, maxMs: 0, jitter: 'none' },
      maxRetryAfterMs: 0.5,
      maxInputBytes: 2,
      maxDepth: 1,
      timeouts: { mock: { totalMs: 1.5, idleMs: 1 }, live: { totalMs: 30_000 } },
    });
  });

  it('keeps the default total when a config spells it out as undefined: a run must always end', () => {
    // E.g. `totalMs: process.env.RUN_TIMEOUT_MS ? Number(…) : undefined` in a JavaScript config.
    const timeouts = { live: { totalMs: undefined, idleMs: 1_000 } } as LimitOptions['timeoutMs'];
    expect(resolvePolicy({ timeoutMs: timeouts }).timeouts.live).toEqual({ totalMs: 30_000, idleMs: 1_000 });
  });

  it('one number for timeoutMs is both modes’ total; a phase timeout keeps the default total', () => {
    expect(resolvePolicy({ timeoutMs: 1234 }).timeouts).toEqual({ mock: { totalMs: 1234 }, live: { totalMs: 1234 } });
    expect(resolvePolicy({ timeoutMs: { live: { idleMs: 50 } } }).timeouts).toEqual({
      mock: { totalMs: 500 },
      live: { totalMs: 30_000, idleMs: 50 },
    });
  });
});

describe('backoffDelay', () => {
  const backoff = { initialMs: 100, factor: 3, maxMs: 1_000, jitter: 'none' as const };

  it('grows by the factor from the initial delay, up to the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(backoff, attempt))).toEqual([100, 300, 900, 1_000]);
  });

  it('with full jitter, waits a random part of that delay', () => {
    const jittered = { ...backoff, jitter: 'full' as const };
    expect(backoffDelay(jittered, 2, () => 0.5)).toBe(150);
    expect(backoffDelay(jittered, 2, () => 0)).toBe(0);
    // Without jitter the random source is not used.
    expect(backoffDelay(backoff, 2, () => 0)).toBe(300);
  });
});
