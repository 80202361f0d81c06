import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acme, echo } from '../../test/agents';
import {
  AgentryError,
  createExecutor,
  type ExecutionEvent,
  type ExecutionResult,
  type ProviderAdapter,
} from '../index';

// Cancelling while the executor waits between two attempts (the retry backoff): the run must end
// `cancelled` at once, never start the next attempt, and give its concurrency slot back.

const BACKOFF_MS = 1_000;

/** A live provider whose first call fails with a retryable error and whose later calls succeed. */
function failsOnce() {
  const calls = { count: 0 };
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'flaky',
    async execute() {
      calls.count += 1;
      if (calls.count === 1) throw new AgentryError('provider_error', 'Upstream 502.', { provider: 'flaky' });
      return { text: 'second time lucky', usage: { inputTokens: 2, outputTokens: 3 }, finishReason: 'stop' };
    },
  };
  return { provider, calls };
}

function executorWith(provider: ProviderAdapter, onRetry = vi.fn()) {
  const agent = { ...echo, model: { provider: 'flaky', model: 'flaky-1' } } as typeof echo;
  return createExecutor({
    agents: [agent],
    providers: { flaky: provider },
    onRetry,
    limits: {
      maxRetries: 2,
      backoff: { initialMs: BACKOFF_MS, jitter: 'none' },
      concurrencyPerTenant: 1,
      timeoutMs: { live: 60_000 },
    },
  });
}

/** Runs through `execute` or `stream`, and resolves with the final record either way. */
const runners: Record<
  'execute' | 'stream',
  (executor: ReturnType<typeof executorWith>, signal: AbortSignal) => Promise<ExecutionResult>
> = {
  execute: (executor, signal) =>
    executor.execute({ agentId: 'echo', input: { message: 'x' }, mode: 'live', tenant: acme, signal }),
  stream: async (executor, signal) => {
    let last: ExecutionEvent | undefined;
    for await (const event of executor.stream({
      agentId: 'echo',
      input: { message: 'x' },
      mode: 'live',
      tenant: acme,
      signal,
    }))
      last = event;
    if (last?.type !== 'execution-finish' && last?.type !== 'execution-error')
      throw new Error('the stream ended without a result');
    return last.result;
  },
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('cancel during a retry backoff wait', () => {
  it.each(['execute', 'stream'] as const)(
    '%s: ends cancelled at once, makes no further attempt, and frees the slot',
    async (how) => {
      const { provider, calls } = failsOnce();
      const onRetry = vi.fn();
      const executor = executorWith(provider, onRetry);
      const controller = new AbortController();
      let settled = false;
      const pending = runners[how](executor, controller.signal).finally(() => {
        settled = true;
      });

      // The first attempt failed; the executor now waits BACKOFF_MS before the second.
      await vi.advanceTimersByTimeAsync(400);
      expect(calls.count).toBe(1);
      expect(onRetry).toHaveBeenCalledTimes(1);
      expect(onRetry.mock.calls[0]?.[0]).toMatchObject({ attempt: 1, delayMs: BACKOFF_MS });
      expect(settled).toBe(false);

      controller.abort();
      // Promptly: without any more (fake) time passing.
      await vi.advanceTimersByTimeAsync(0);
      expect(settled).toBe(true);
      const record = await pending;
      expect(record.status).toBe('cancelled');
      expect(record.status === 'cancelled' && record.error.code).toBe('cancelled');
      expect(record.metrics.attempts).toBe(1);
      expect(record.metrics.durationMs).toBe(400);

      // The backoff timer is gone: nothing calls the provider when it would have fired.
      await vi.advanceTimersByTimeAsync(10 * BACKOFF_MS);
      expect(calls.count).toBe(1);
      expect(onRetry).toHaveBeenCalledTimes(1);
      expect((await executor.listExecutions(acme)).items.map((item) => item.status)).toEqual(['cancelled']);

      // The single slot is free again: the next run is not refused with limit_exceeded.
      const next = await executor.execute({ agentId: 'echo', input: { message: 'y' }, mode: 'live', tenant: acme });
      expect(next).toMatchObject({ status: 'succeeded', output: 'second time lucky' });
      expect(calls.count).toBe(2);
    },
  );

  it('without a cancel the same run retries after the backoff and succeeds (the setup above is real)', async () => {
    const { provider, calls } = failsOnce();
    const executor = executorWith(provider);
    const pending = runners.execute(executor, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(BACKOFF_MS - 1);
    expect(calls.count).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const record = await pending;
    expect(calls.count).toBe(2);
    expect(record).toMatchObject({ status: 'succeeded', metrics: { attempts: 2 } });
  });
});
