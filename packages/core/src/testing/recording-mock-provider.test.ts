import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentryError, createExecutor, defineAgent, type ExecutionEvent } from '../index';
import { recordingMockProvider } from './index';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 32 },
  prompt: ({ text }) => [
    { role: 'system', content: 'Echo.' },
    { role: 'user', content: text },
  ],
});

const typed = defineAgent({
  id: 'typed',
  name: 'Typed',
  input: z.object({ n: z.number() }),
  output: z.object({ double: z.number() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ n }) => `Double ${n}`,
});

async function collect(iterable: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const events: ExecutionEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('recordingMockProvider', () => {
  it('answers a value and records what the executor sent, with the tenant', async () => {
    const provider = recordingMockProvider({ execute: 'hi', usage: { inputTokens: 3, outputTokens: 1 } });
    const executor = createExecutor({ agents: [echo], providers: { openai: provider } });
    const result = await executor.execute({ agentId: 'echo', input: { text: 'hello' }, mode: 'live', tenant });

    expect(result).toMatchObject({ status: 'succeeded', output: 'hi', metrics: { inputTokens: 3, outputTokens: 1 } });
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]).toMatchObject({
      method: 'execute',
      tenant,
      aborted: false,
      request: {
        model: 'gpt-4.1-mini',
        maxOutputTokens: 32,
        attempt: 1,
        messages: [
          { role: 'system', content: 'Echo.' },
          { role: 'user', content: 'hello' },
        ],
      },
    });
  });

  it('walks a list of results (errors included) and repeats the last', async () => {
    const provider = recordingMockProvider({
      execute: [new AgentryError('provider_error', 'flaky', { retryable: true }), 'second', 'third'],
    });
    const executor = createExecutor({
      agents: [echo],
      providers: { openai: provider },
      limits: { maxRetries: 1, backoff: { initialMs: 0, jitter: 'none' } },
    });
    const first = await executor.execute({ agentId: 'echo', input: { text: 'a' }, mode: 'live', tenant });
    const second = await executor.execute({ agentId: 'echo', input: { text: 'b' }, mode: 'live', tenant });
    const third = await executor.execute({ agentId: 'echo', input: { text: 'c' }, mode: 'live', tenant });
    expect(first).toMatchObject({ status: 'succeeded', output: 'second', metrics: { attempts: 2 } });
    expect([second, third].map((result) => result.status === 'succeeded' && result.output)).toEqual(['third', 'third']);
    expect(provider.calls.map((call) => call.request.attempt)).toEqual([1, 2, 1, 1]);
    provider.reset();
    expect(provider.calls).toEqual([]);
  });

  it('answers from a function of the request, including structured objects', async () => {
    const provider = recordingMockProvider({
      execute: (request) => {
        const n = (request.input as { n: number }).n;
        return {
          text: JSON.stringify({ double: n * 2 }),
          object: { double: n * 2 },
          usage: { inputTokens: 1, outputTokens: 1 },
          finishReason: 'stop',
        };
      },
    });
    const executor = createExecutor({ agents: [typed], providers: { openai: provider } });
    const result = await executor.execute({ agentId: 'typed', input: { n: 21 }, mode: 'live', tenant });
    expect(result).toMatchObject({ status: 'succeeded', output: { double: 42 } });
    expect(provider.calls[0]?.request.outputSchema?.schema).toMatchObject({ type: 'object' });
  });

  it('streams scripted events (strings are text deltas) and adds usage and finish', async () => {
    const provider = recordingMockProvider({ stream: ['Hel', 'lo'], usage: { inputTokens: 2, outputTokens: 2 } });
    const executor = createExecutor({ agents: [echo], providers: { openai: provider } });
    const events = await collect(executor.stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant }));
    expect(events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : []))).toEqual(['Hel', 'lo']);
    expect(events.at(-1)).toMatchObject({
      type: 'execution-finish',
      result: { output: 'Hello', metrics: { outputTokens: 2 } },
    });
    expect(provider.calls[0]?.method).toBe('stream');
  });

  it('has no stream method unless one is scripted, so the executor falls back to execute', () => {
    expect(recordingMockProvider().stream).toBeUndefined();
    expect(typeof recordingMockProvider({ stream: [['a'], ['b']] }).stream).toBe('function');
  });
});
