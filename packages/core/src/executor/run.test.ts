import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import type { ProviderAdapter, ProviderEvent } from '../providers';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutionStep } from './types';

// The order a streamed run's events come in while the stream redactor holds back text that may
// be the start of a secret: every delta before the usage that follows it, and usage once.

const tenant = { tenantId: 'acme' };
const agent = defineAgent({ id: 'talker', name: 'Talker', input: z.object({}), prompt: () => 'x', mock: () => 'x' });

function streaming(events: ProviderEvent[]): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    async execute() {
      throw new Error('streamed only');
    },
    async *stream() {
      for (const event of events) yield event;
    },
  };
}

async function typesOf(provider: ProviderAdapter) {
  const executor = createExecutor({ agents: [agent], providers: { mock: provider } });
  const seen: ExecutionEvent[] = [];
  for await (const event of executor.stream({ agentId: 'talker', input: {}, tenant })) seen.push(event);
  return seen;
}

describe('a streamed run’s usage and held text', () => {
  it('sends usage that arrives while text is held after that text, once', async () => {
    // "sk-" may start a key: the redactor holds it until it knows.
    const seen = await typesOf(
      streaming([
        { type: 'text-delta', delta: 'Use the key sk-' },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
        { type: 'text-delta', delta: 'later' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    const types = seen.map((event) => event.type);
    expect(types.filter((type) => type === 'usage')).toHaveLength(1);
    expect(types.lastIndexOf('output-delta')).toBeLessThan(types.indexOf('usage'));
    const text = seen.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : [])).join('');
    expect(text).toBe('Use the key sk-later');
    expect(seen.find((event) => event.type === 'usage')).toMatchObject({ usage: { inputTokens: 3, outputTokens: 4 } });
  });

  it('sends usage at once when nothing is held, and no usage event when none was reported', async () => {
    const seen = await typesOf(
      streaming([
        { type: 'text-delta', delta: 'Plain words. ' },
        { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
        { type: 'text-delta', delta: 'More.' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    const types = seen.map((event) => event.type);
    expect(types.filter((type) => type === 'usage')).toHaveLength(1);
    // Usage came between the two deltas, as it arrived.
    expect(types.indexOf('usage')).toBeLessThan(types.lastIndexOf('output-delta'));
    const silent = await typesOf(
      streaming([
        { type: 'text-delta', delta: 'No usage.' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    expect(silent.map((event) => event.type)).not.toContain('usage');
  });
});

describe('an agent service’s own steps', () => {
  const PROVIDER_KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
  const step: ExecutionStep = {
    index: 0,
    text: 'Looking it up.',
    toolCalls: [{ id: 'call_1', name: 'lookup', args: { q: 'order 42' } }],
    toolResults: [{ id: 'call_1', name: 'lookup', durationMs: 3, status: 'succeeded', output: { key: PROVIDER_KEY } }],
    usage: { inputTokens: 2, outputTokens: 1 },
    durationMs: 5,
    finishReason: 'tool_calls',
  };
  const events = (executionId: string): ProviderEvent[] => [
    { type: 'service-step', event: { type: 'step-start', executionId, index: 0 } },
    {
      type: 'service-step',
      event: { type: 'tool-call', executionId, stepIndex: 0, toolCall: step.toolCalls[0] as never },
    },
    {
      type: 'service-step',
      event: { type: 'tool-result', executionId, stepIndex: 0, toolResult: step.toolResults[0] as never },
    },
    { type: 'service-step', event: { type: 'step-finish', executionId, step } },
  ];

  it('keeps each finished step on the record, redacted', async () => {
    const provider: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'mock',
      simulated: true,
      async execute() {
        return {
          text: 'Order 42 shipped.',
          usage: { inputTokens: 3, outputTokens: 4 },
          finishReason: 'stop',
          steps: [step],
        };
      },
    };
    const executor = createExecutor({ agents: [agent], providers: { mock: provider } });
    const result = await executor.execute({ agentId: 'talker', input: {}, tenant });
    expect(result.steps).toEqual([
      { ...step, toolResults: [{ ...step.toolResults[0], output: { key: '[REDACTED]' } }] },
    ]);
  });

  it('streams its step events under this run’s id, redacted, after the text said before them', async () => {
    const seen = await typesOf(
      streaming([
        { type: 'text-delta', delta: 'Checking sk-' },
        ...events('exe_of_the_service'),
        { type: 'text-delta', delta: 'done' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    const runId = seen[0]?.executionId;
    const stepEvents = seen.filter((event) => event.type.startsWith('step-') || event.type.startsWith('tool-'));
    expect(stepEvents.map((event) => [event.type, event.executionId])).toEqual([
      ['step-start', runId],
      ['tool-call', runId],
      ['tool-result', runId],
      ['step-finish', runId],
    ]);
    expect(JSON.stringify(stepEvents)).not.toContain(PROVIDER_KEY);
    // The held "sk-" went out before the step began.
    const types = seen.map((event) => event.type);
    const before = seen.slice(0, types.indexOf('step-start'));
    expect(before.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : [])).join('')).toBe(
      'Checking sk-',
    );
    const last = seen.at(-1);
    expect(last?.type === 'execution-finish' && last.result.steps).toHaveLength(1);
  });
});
