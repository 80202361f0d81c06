import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import { createLocalConcurrency } from './concurrency';

describe('createLocalConcurrency', () => {
  it('gives each tenant its own slots and refuses past the limit with limit_exceeded', () => {
    const slots = createLocalConcurrency(2);
    slots.acquire('a');
    slots.acquire('a');
    slots.acquire('b');
    let refusal: unknown;
    try {
      slots.acquire('a');
    } catch (error) {
      refusal = error;
    }
    expect(isAgentryError(refusal) && refusal.code).toBe('limit_exceeded');
    slots.release('a');
    expect(() => slots.acquire('a')).not.toThrow();
  });

  it('a release without a slot does not create one', () => {
    const slots = createLocalConcurrency(1);
    slots.release('a');
    slots.acquire('a');
    expect(() => slots.acquire('a')).toThrow(/limit 1/);
  });
});
