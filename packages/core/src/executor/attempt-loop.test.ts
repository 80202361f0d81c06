import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { AgentryError } from '../errors';
import type { ProviderAdapter } from '../providers';
import { type RetryFacts, retryDecision } from './attempt-loop';
import { createExecutor } from './create-executor';
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
    // Exactly the cap is still waited.
    expect(retryDecision(facts({ failure: limited(policy.maxRetryAfterMs) }))).toEqual({
      retry: true,
      delayMs: policy.maxRetryAfterMs,
    });
  });
});

describe('a retried run', () => {
  const agent = defineAgent({ id: 'flaky', name: 'Flaky', input: z.object({}), prompt: () => 'x', mock: () => 'x' });
  /** A mock provider that fails once with a retryable error, then answers. */
  function flaky(): ProviderAdapter {
    let calls = 0;
    return {
      specificationVersion: 'v1',
      id: 'mock',
      simulated: true,
      async execute() {
        calls += 1;
        if (calls === 1) throw new AgentryError('provider_error', 'Server error.', { retryable: true });
        return { text: 'ok', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
      },
    };
  }
  const tenant = { tenantId: 'acme' };

  afterEach(() => {
    vi.useRealTimers();
  });

  async function run(onRetry?: () => void) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const executor = createExecutor({
      agents: [agent],
      providers: { mock: flaky() },
      logger,
      ...(onRetry ? { onRetry } : {}),
      limits: { backoff: { initialMs: 100, jitter: 'none' }, timeoutMs: { mock: 60_000 } },
    });
    const pending = executor.execute({ agentId: 'flaky', input: {}, tenant });
    await vi.advanceTimersByTimeAsync(100);
    return { result: await pending, logger };
  }

  it('logs the retry for operators, and nothing else when there is no onRetry hook', async () => {
    const { result, logger } = await run();
    expect(result).toMatchObject({ status: 'succeeded', metrics: { attempts: 2 } });
    expect(logger.info).toHaveBeenCalledWith('agentry.execution.retry', {
      tenant_id: 'acme',
      agent_id: 'flaky',
      execution_id: result.id,
      attempt: 1,
      error_code: 'provider_error',
      delay_ms: 100,
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('logs an onRetry hook that throws, where and for whom, and retries anyway', async () => {
    const { result, logger } = await run(() => {
      throw new Error('hook broke');
    });
    expect(result.status).toBe('succeeded');
    expect(logger.error).toHaveBeenCalledWith(
      'agentry.user_code.failed',
      expect.objectContaining({ site: 'onRetry', tenant_id: 'acme', execution_id: result.id }),
    );
  });
});
