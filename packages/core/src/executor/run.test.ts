import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import type { ProviderAdapter, ProviderEvent } from '../providers';
import { createExecutor } from './create-executor';
import type { ExecutionEvent } from './types';

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
