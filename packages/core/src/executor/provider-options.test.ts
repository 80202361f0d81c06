// Per-provider options declared on an agent reach the adapter under the adapter's own key.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import type { ProviderAdapter, ProviderRequest } from '../providers';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

function recordingAdapter(id: string, seen: ProviderRequest[]): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id,
    async execute(request) {
      seen.push(request);
      return { text: 'ok', usage: null, finishReason: 'stop' };
    },
  };
}

describe('model.providerOptions', () => {
  it('reaches the adapter as request.providerOptions[id], next to the mock key', async () => {
    const seen: ProviderRequest[] = [];
    const agent = defineAgent({
      id: 'tuned',
      name: 'Tuned',
      input: z.object({ q: z.string() }),
      model: {
        provider: 'local',
        model: 'm',
        providerOptions: { local: { reasoning_effort: 'low' }, other: { top_k: 5 } },
      },
      prompt: ({ q }) => q,
    });
    const executor = createExecutor({ agents: [agent], providers: { local: recordingAdapter('local', seen) } });
    const result = await executor.forTenant(tenant).execute({ agentId: 'tuned', input: { q: 'hi' }, mode: 'live' });
    expect(result.status).toBe('succeeded');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.providerOptions.local).toEqual({ reasoning_effort: 'low' });
    expect(seen[0]?.providerOptions.other).toEqual({ top_k: 5 });
    expect(seen[0]?.providerOptions.mock).toMatchObject({ agentName: 'Tuned', hasOutputSchema: false });
  });

  it('refuses the reserved mock key and options that are not an object, naming the agent and the key', () => {
    const base = { id: 'bad', name: 'Bad', input: z.object({}), prompt: () => 'x' } as const;
    expect(() =>
      defineAgent({ ...base, model: { provider: 'local', model: 'm', providerOptions: { mock: { latencyMs: 1 } } } }),
    ).toThrow(/defineAgent\(bad\): model\.providerOptions\.mock is reserved/);
    expect(() =>
      defineAgent({
        ...base,
        model: {
          provider: 'local',
          model: 'm',
          providerOptions: { local: 'fast' as unknown as Record<string, unknown> },
        },
      }),
    ).toThrow(/model\.providerOptions\.local must be an object/);
  });
});
