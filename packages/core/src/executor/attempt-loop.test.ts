import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { type RetryFacts, retryDecision } from './attempt-loop';
import { resolvePolicy } from './policy';

const policy = resolvePolicy({ maxRetries: 2, backoff: { initialMs: 100, factor: 2, maxMs: 1000, jitter: 'none' } });

function facts(overrides: Partial<RetryFacts> = {}): RetryFacts {
  return {
    failure: new AgentryError('provider_error', 'Server error.'),
    attempts: 1,
    policy,
    runAborted: false,
    outputEmitted: false,
    ...overrides,
  };
}

describe('retryDecision', () => {
  it('retries a retryable failure with exponential backoff, up to maxRetries', () => {
    expect(retryDecision(facts({ attempts: 1 }))).toEqual({ retry: true, delayMs: 100 });
    expect(retryDecision(facts({ attempts: 2 }))).toEqual({ retry: true, delayMs: 200 });
    expect(retryDecision(facts({ attempts: 3 }))).toEqual({ retry: false });
  });

  it('does not retry what is not retryable, a cancel, a dead run, or output the caller already saw', () => {
    expect(retryDecision(facts({ failure: new AgentryError('validation_failed', 'Bad.') }))).toEqual({ retry: false });
    expect(retryDecision(facts({ failure: new AgentryError('cancelled', 'Stop.', { retryable: true }) }))).toEqual({
      retry: false,
    });
    expect(retryDecision(facts({ runAborted: true }))).toEqual({ retry: false });
    expect(retryDecision(facts({ outputEmitted: true }))).toEqual({ retry: false });
  });

  it("waits the server's retry-after, and gives up when it is over the cap", () => {
    const limited = (retryAfterMs: number) => new AgentryError('rate_limited', 'Slow down.', { retryAfterMs });
    expect(retryDecision(facts({ failure: limited(750) }))).toEqual({ retry: true, delayMs: 750 });
    expect(retryDecision(facts({ failure: limited(policy.maxRetryAfterMs + 1) }))).toEqual({ retry: false });
  });
});
