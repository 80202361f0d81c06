import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import type { ProviderAdapter } from '../providers';
import { createMemoryStore } from '../store';
import { createExecutor } from './create-executor';
import { buildMetrics } from './finish';
import { createRunState } from './run-state';
import type { ExecutorOptions } from './types';

describe('buildMetrics', () => {
  it('measures from the run start, rounds to microseconds, and keeps unknown tokens unknown', () => {
    const state = createRunState('exe_1', 'gpt-4.1-mini', 1000);
    state.attempts = 2;
    state.firstOutputAt = 1012.3456789;
    const metrics = buildMetrics(state, { providerId: 'openai', simulated: false, costUsd: null, end: 1050.0004 });
    // Strict: what was not reported has no field at all (not one holding undefined).
    expect(metrics).toStrictEqual({
      durationMs: 50,
      timeToFirstOutputMs: 12.346,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      attempts: 2,
      simulated: false,
    });
  });

  it('adds cached and reasoning tokens and the finish reasons only when reported', () => {
    const state = createRunState('exe_1', 'm', 0);
    state.usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 };
    state.finishReason = 'length';
    state.rawFinishReason = 'max_tokens';
    state.model = 'm-2025';
    const metrics = buildMetrics(state, { providerId: 'p', simulated: true, costUsd: 0.5, end: -1 });
    expect(metrics).toMatchObject({
      durationMs: 0,
      timeToFirstOutputMs: null,
      inputTokens: 10,
      outputTokens: 5,
      cachedInputTokens: 4,
      reasoningTokens: 2,
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      model: 'm-2025',
      costUsd: 0.5,
      simulated: true,
    });
  });
});

const agent = defineAgent({
  id: 'answer',
  name: 'Answer',
  input: z.object({}),
  prompt: () => 'go',
  mock: () => 'unused',
});

/** An executor whose mock provider answers `answer` (or throws it), with a recording logger. */
function setup(
  answer: () => Promise<Awaited<ReturnType<ProviderAdapter['execute']>>>,
  options: Partial<ExecutorOptions> = {},
) {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    execute: answer,
    ...options.providers?.mock,
  };
  const executor = createExecutor({
    agents: [agent],
    logger,
    limits: { maxRetries: 0 },
    ...options,
    providers: { mock: provider },
  });
  const completed = () => {
    const calls = [...logger.info.mock.calls, ...logger.error.mock.calls].filter(
      ([event]) => event === 'agentry.execution.completed',
    );
    return calls.map(([, fields]) => fields as Record<string, unknown>);
  };
  return { executor, logger, completed };
}

const answered = async () => ({
  text: 'Hi.',
  usage: { inputTokens: 1, outputTokens: 2 },
  finishReason: 'stop' as const,
});
const failing = async (): Promise<never> => {
  throw new Error('upstream 500');
};

describe('the record and the completion log', () => {
  it('a record has the fields its run has, and no key for what it does not (no user, no finish reason)', async () => {
    const { executor } = setup(answered);
    const withUser = await executor.execute({
      agentId: 'answer',
      input: {},
      tenant: { tenantId: 'acme', userId: 'u' },
    });
    const without = await executor.execute({ agentId: 'answer', input: {}, tenant: { tenantId: 'acme' } });
    expect(withUser.userId).toBe('u');
    expect('userId' in without).toBe(false);
    expect(without.metrics.finishReason).toBe('stop');
    const { executor: failingExecutor } = setup(failing);
    const failed = await failingExecutor.execute({ agentId: 'answer', input: {}, tenant: { tenantId: 'acme' } });
    expect(failed.status).toBe('failed');
    expect(Object.keys(failed)).not.toContain('userId');
    expect(Object.keys(failed.metrics)).not.toContain('finishReason');
  });

  it('a succeeded run: logged as info, with its user and finish reason', async () => {
    const { executor, logger, completed } = setup(answered);
    const result = await executor.execute({
      agentId: 'answer',
      input: {},
      tenant: { tenantId: 'acme', userId: 'alice' },
    });
    expect(result).toMatchObject({ status: 'succeeded', userId: 'alice', output: 'Hi.' });
    expect(logger.info).toHaveBeenCalledWith('agentry.execution.completed', expect.anything());
    expect(completed()).toEqual([
      expect.objectContaining({ status: 'succeeded', user_id: 'alice', finish_reason: 'stop', input_tokens: 1 }),
    ]);
    expect(completed()[0]).not.toHaveProperty('error_code');
  });

  it('a failed run without output: output null, logged as error with its code', async () => {
    const { executor, logger, completed } = setup(failing);
    const result = await executor.execute({ agentId: 'answer', input: {}, tenant: { tenantId: 'acme' } });
    expect(result).toMatchObject({ status: 'failed', output: null });
    // No user: no field on the record, null in the log.
    expect(result).not.toHaveProperty('userId');
    expect(logger.error).toHaveBeenCalledWith('agentry.execution.completed', expect.anything());
    expect(logger.info).not.toHaveBeenCalledWith('agentry.execution.completed', expect.anything());
    expect(completed()).toEqual([
      expect.objectContaining({ status: 'failed', user_id: null, finish_reason: null, error_code: 'provider_error' }),
    ]);
  });

  it('a cancelled run is logged as info, not as an error', async () => {
    const { executor, logger } = setup(failing);
    const result = await executor.execute({
      agentId: 'answer',
      input: {},
      tenant: { tenantId: 'acme' },
      signal: AbortSignal.abort(),
    });
    expect(result.status).toBe('cancelled');
    expect(logger.info).toHaveBeenCalledWith(
      'agentry.execution.completed',
      expect.objectContaining({ status: 'cancelled' }),
    );
    expect(logger.error).not.toHaveBeenCalledWith('agentry.execution.completed', expect.anything());
  });

  it('a record the store cannot save: failed, retryable, output null when there was none', async () => {
    const store = createMemoryStore();
    const { executor, logger } = setup(failing, {
      store: {
        ...store,
        async save() {
          throw new Error('database down');
        },
      },
    });
    const result = await executor.execute({ agentId: 'answer', input: {}, tenant: { tenantId: 'acme' } });
    expect(result).toMatchObject({ status: 'failed', output: null, error: { code: 'internal', retryable: true } });
    expect(logger.error).toHaveBeenCalledWith(
      'agentry.store.save_failed',
      expect.objectContaining({ error_message: 'database down' }),
    );
  });

  it('a tape replay marks its usage as recorded; a provider that reports its own usage does not', async () => {
    for (const [source, expected] of [
      ['recorded', 'recorded'],
      ['reported', undefined],
    ] as const) {
      const { executor } = setup(answered, {
        providers: { mock: { usageSourceOf: () => source } as unknown as ProviderAdapter },
      });
      const result = await executor.execute({ agentId: 'answer', input: {}, tenant: { tenantId: 'acme' } });
      expect(result.metrics.usageSource).toBe(expected);
      if (expected === undefined) expect(result.metrics).not.toHaveProperty('usageSource');
    }
  });
});
