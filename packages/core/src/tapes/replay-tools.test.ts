// On replay the agent's tools are not called (replayTools: 'recorded', the default): the tape's
// results are served. 'live' calls them. Usage and cost are marked as recorded.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, type ExecutionResult } from '../index';
import type { ProviderEvent } from '../providers';
import { recordingMockProvider } from '../testing';
import { defineTool } from '../tools';
import { recordTapes } from './record-tapes';
import { tapeProvider } from './tape-provider';
import { createMemoryTapeStore, type TapeStore } from './tape-store';

const tenant = { tenantId: 'ws_a', userId: 'user_a' };

function weatherAgent(calls: string[], { fail = false, celsius = 4 } = {}) {
  const weather = defineTool({
    description: 'Current weather of a city.',
    input: z.object({ city: z.string() }),
    execute: ({ city }) => {
      calls.push(city);
      if (fail) throw new Error('the weather service is down');
      return { city, celsius };
    },
  });
  return defineAgent({
    id: 'weather',
    name: 'Weather',
    input: z.object({ city: z.string() }),
    model: { provider: 'openai', model: 'gpt-4.1-mini' },
    prompt: ({ city }) => [{ role: 'user', content: `Weather in ${city}?` }],
    tools: { weather },
  });
}

/** A live provider that calls tools (as openaiProvider does). */
const toolModel = () => ({
  ...recordingMockProvider({ id: 'openai', stream: answers() }),
  capabilities: { tools: true },
});

const answers = (): ProviderEvent[][] => [
  [
    { type: 'tool-call', toolCall: { id: 'call_abc', name: 'weather', argsText: '{"city":"Oslo"}' } },
    { type: 'usage', usage: { inputTokens: 40, outputTokens: 9 } },
    { type: 'finish', finishReason: 'tool_calls' },
  ],
  [
    { type: 'text-delta', delta: 'It is 4 °C in Oslo.' },
    { type: 'usage', usage: { inputTokens: 70, outputTokens: 8 } },
    { type: 'finish', finishReason: 'stop' },
  ],
];

async function run(providers: Record<string, object>, calls: string[], tool: Parameters<typeof weatherAgent>[1] = {}) {
  const executor = createExecutor({ agents: [weatherAgent(calls, tool)], providers: providers as never });
  const events: ExecutionEvent[] = [];
  for await (const event of executor.stream({ agentId: 'weather', input: { city: 'Oslo' }, mode: 'live', tenant }))
    events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'execution-finish' && last?.type !== 'execution-error') throw new Error('the run did not end');
  return { result: last.result as ExecutionResult, events };
}

async function recordRun(store: TapeStore) {
  const calls: string[] = [];
  const live = toolModel();
  const { result } = await run({ openai: recordTapes(live, { store }) }, calls);
  expect(calls).toEqual(['Oslo']);
  return result;
}

describe('replayTools', () => {
  it("'recorded' (the default): the tools are not called, the recorded results are served, the run is the same", async () => {
    const store = createMemoryTapeStore();
    const recorded = await recordRun(store);
    expect(recorded.metrics.usageSource).toBeUndefined();

    const calls: string[] = [];
    const { result, events } = await run({ openai: tapeProvider({ store }, { speed: 0 }) }, calls);
    expect(calls).toEqual([]);
    expect(result.status).toBe('succeeded');
    expect(result.status === 'succeeded' && result.output).toBe('It is 4 °C in Oslo.');
    expect(result.steps?.[0]?.toolResults).toEqual([
      { id: 'call_abc', name: 'weather', durationMs: 0, status: 'succeeded', output: { city: 'Oslo', celsius: 4 } },
    ]);
    expect(events.filter((event) => event.type === 'tool-result')).toHaveLength(1);
    // Tokens and cost are the tape's, and the record says so.
    expect(result.metrics).toMatchObject({ inputTokens: 110, outputTokens: 17, usageSource: 'recorded' });
  });

  it("'live': the tools are called again (here they answer differently, so the next model call misses)", async () => {
    const store = createMemoryTapeStore();
    await recordRun(store);
    const calls: string[] = [];
    const { result } = await run({ openai: tapeProvider({ store }, { speed: 0, replayTools: 'live' }) }, calls, {
      celsius: 5,
    });
    expect(calls).toEqual(['Oslo']);
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.message).toContain('No recording on tape');
  });

  it('a recorded tool failure replays as that failure, without calling the tool', async () => {
    const store = createMemoryTapeStore();
    const failing: string[] = [];
    const { result: recorded } = await run({ openai: recordTapes(toolModel(), { store }) }, failing, { fail: true });
    expect(failing).toEqual(['Oslo']);
    expect(recorded.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'failed', error: { code: 'tool_failed' } });

    const calls: string[] = [];
    const { result } = await run({ openai: tapeProvider({ store }, { speed: 0 }) }, calls);
    expect(calls).toEqual([]);
    expect(result.status).toBe('succeeded');
    expect(result.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'failed', error: { code: 'tool_failed' } });
  });

  it('a tape without the next call has no recorded result: the call says so, the tool is not called, the run fails loudly', async () => {
    const store = createMemoryTapeStore();
    await recordRun(store);
    // Keep only the first model call (as if the recording stopped after it).
    const [tape] = store.tapes();
    if (tape === undefined) throw new Error('no tape');
    const first = tape.entries.filter((entry) => entry.request.messages.length === 1);
    const trimmed = createMemoryTapeStore();
    await trimmed.write(tape.address, first);
    const calls: string[] = [];
    const { result } = await run({ openai: tapeProvider({ store: trimmed }, { speed: 0 }) }, calls);
    expect(calls).toEqual([]);
    expect(result.steps?.[0]?.toolResults[0]).toMatchObject({
      status: 'failed',
      error: { message: expect.stringContaining('No recorded result for the call of tool "weather"') },
    });
    expect(result.status).toBe('failed');
  });

  it('a miss answered live (auto) runs its tools live, and the usage is not marked as recorded', async () => {
    const store = createMemoryTapeStore();
    const calls: string[] = [];
    const live = toolModel();
    const { result } = await run({ openai: tapeProvider({ store }, { speed: 0, live, onMiss: 'record' }) }, calls);
    expect(calls).toEqual(['Oslo']);
    expect(result.status).toBe('succeeded');
    expect(result.metrics.usageSource).toBeUndefined();
  });

  it('refuses an unknown replayTools value', () => {
    expect(() => tapeProvider({ store: createMemoryTapeStore() }, { replayTools: 'never' as never })).toThrow(
      "replayTools must be 'recorded' or 'live'",
    );
  });
});
