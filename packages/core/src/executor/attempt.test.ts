import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import type { ProviderAdapter, ProviderContext, ProviderEvent } from '../providers';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutionResult, LimitOptions } from './types';

// One provider call, as a custom provider sees it: what it is told when the run stops (its
// signal, its stream closed) and what the record says, whatever the provider threw on the way.

const tenant = { tenantId: 'acme', userId: 'alice' };

const agent = defineAgent({
  id: 'talker',
  name: 'Talker',
  input: z.object({}),
  prompt: () => 'talk',
  mock: () => 'unused',
});

/** Rejects with the provider's own error (as an HTTP client does) once its signal aborts. */
function failsOnAbort(context: ProviderContext): Promise<never> {
  return new Promise((_resolve, reject) => {
    context.signal.addEventListener('abort', () => reject(new Error('socket hang up')), { once: true });
  });
}

/**
 * A stream that yields `deltas`, one per `everyMs`, then waits until aborted; it records
 * whether it was closed (`return()`), as an HTTP body reader would be.
 */
function slowStream(deltas: string[], everyMs: number) {
  const closed: number[] = [];
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    execute: (_request, context) => failsOnAbort(context),
    stream(_request, context): AsyncIterable<ProviderEvent> {
      let index = 0;
      return {
        [Symbol.asyncIterator]: () => ({
          next: async (): Promise<IteratorResult<ProviderEvent>> => {
            if (index >= deltas.length) return failsOnAbort(context);
            await new Promise((resolve) => setTimeout(resolve, everyMs));
            const delta = deltas[index] as string;
            index += 1;
            return { done: false, value: { type: 'text-delta', delta } };
          },
          return: async (): Promise<IteratorResult<ProviderEvent>> => {
            closed.push(index);
            return { done: true, value: undefined };
          },
        }),
      };
    },
  };
  return { provider, closed };
}

function executorWith(provider: ProviderAdapter, timeoutMs: LimitOptions['timeoutMs']) {
  return createExecutor({ agents: [agent], providers: { mock: provider }, limits: { maxRetries: 0, timeoutMs } });
}

async function streamed(events: AsyncIterable<ExecutionEvent>, onEvent?: (event: ExecutionEvent) => void) {
  const seen: ExecutionEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    onEvent?.(event);
  }
  const last = seen.at(-1);
  if (last?.type !== 'execution-error' && last?.type !== 'execution-finish') throw new Error('no final event');
  return { seen, result: last.result as ExecutionResult };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a provider call that is stopped', () => {
  it('records the deadline, not the error the provider rejects with when its signal aborts', async () => {
    const { provider } = slowStream([], 10);
    const executor = executorWith(provider, { mock: 1_000 });
    const pending = executor.execute({ agentId: 'talker', input: {}, tenant });
    await vi.advanceTimersByTimeAsync(1_000);
    const result = await pending;
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'timeout',
      message: 'The execution did not finish within 1000 ms.',
      executionId: result.id,
      provider: 'mock',
      limit: { kind: 'total_time', value: 1_000, unit: 'ms' },
    });
  });

  it('also with a phase deadline armed around execute(): the first output never came', async () => {
    const { provider } = slowStream([], 10);
    const executor = executorWith(provider, { mock: { totalMs: 60_000, firstOutputMs: 300 } });
    const pending = executor.execute({ agentId: 'talker', input: {}, tenant });
    await vi.advanceTimersByTimeAsync(300);
    const result = await pending;
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'timeout',
      message: 'The first output did not arrive within 300 ms.',
      limit: { kind: 'first_output_time', value: 300, unit: 'ms' },
    });
    expect(result.metrics.durationMs).toBe(300);
  });

  it('closes the provider’s stream once when the caller cancels, and records the cancel', async () => {
    const { provider, closed } = slowStream(['one ', 'two '], 10);
    const executor = executorWith(provider, { mock: 60_000 });
    const controller = new AbortController();
    const pending = streamed(executor.stream({ agentId: 'talker', input: {}, tenant, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(20);
    controller.abort();
    const { seen, result } = await pending;
    expect(closed).toEqual([2]);
    const deltas = seen.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : []));
    expect(deltas.join('')).toBe('one two ');
    expect(result.status === 'cancelled' && result.error).toMatchObject({
      code: 'cancelled',
      message: 'The execution was cancelled by its caller.',
    });
    expect(result.output).toBe('one two ');
  });

  it('times out a stream whose chunks stop coming (idleMs), where empty chunks do not count as output', async () => {
    const { provider, closed } = slowStream(['one ', '', '', '', 'late'], 100);
    const executor = executorWith(provider, { mock: { totalMs: 60_000, idleMs: 250 } });
    const pending = streamed(executor.stream({ agentId: 'talker', input: {}, tenant }));
    await vi.advanceTimersByTimeAsync(1_000);
    const { result } = await pending;
    // 'one ' at 100 ms; the empty chunks at 200, 300 and 400 ms do not reset the idle deadline.
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'timeout',
      message: 'The next output chunk did not arrive within 250 ms.',
      limit: { kind: 'idle_time', value: 250, unit: 'ms' },
    });
    expect(result.metrics.durationMs).toBe(350);
    expect(result.output).toBe('one ');
    expect(closed).toHaveLength(1);
  });

  it('a phase deadline stops the stream that misses it, not the next attempt', async () => {
    let calls = 0;
    const { provider: slow } = slowStream(['late'], 500);
    const provider: ProviderAdapter = {
      ...slow,
      stream(request, context) {
        calls += 1;
        if (calls === 1) return slow.stream?.(request, context) as AsyncIterable<ProviderEvent>;
        return (async function* () {
          yield { type: 'text-delta', delta: 'fast' } as ProviderEvent;
          yield { type: 'finish', finishReason: 'stop' } as ProviderEvent;
        })();
      },
    };
    const executor = createExecutor({
      agents: [agent],
      providers: { mock: provider },
      limits: {
        maxRetries: 1,
        backoff: { initialMs: 10, jitter: 'none' },
        timeoutMs: { mock: { totalMs: 60_000, firstOutputMs: 200 } },
      },
    });
    const pending = streamed(executor.stream({ agentId: 'talker', input: {}, tenant }));
    await vi.advanceTimersByTimeAsync(1_000);
    const { result } = await pending;
    expect(result).toMatchObject({ status: 'succeeded', output: 'fast', metrics: { attempts: 2 } });
  });
});
