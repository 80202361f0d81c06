import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import { silentLogger } from '../logging';
import type { ProviderAdapter, ProviderRequest } from '../providers';
import { mockProvider } from '../providers/mock';
import { recordingMockProvider } from '../testing';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const answer = async () => ({ text: 'ok', usage: null, finishReason: 'stop' as const });

describe('provider specification v1, checked at createExecutor', () => {
  it('refuses an adapter without a specificationVersion, naming the key and the fix', () => {
    const legacy = { id: 'legacy', execute: answer } as unknown as ProviderAdapter;
    expect(() => createExecutor({ providers: { legacy } })).toThrow(
      /providers\.legacy has no specificationVersion.*add specificationVersion: 'v1'/,
    );
  });

  it('refuses a version it does not run, saying which it runs', () => {
    const future = { specificationVersion: 'v2', id: 'future', execute: answer } as unknown as ProviderAdapter;
    expect(() => createExecutor({ providers: { future } })).toThrow(
      /providers\.future implements provider specification "v2".*runs 'v1'.*upgrade @agentry\/core/,
    );
  });

  it('every built-in adapter declares v1', () => {
    expect(mockProvider().specificationVersion).toBe('v1');
    expect(recordingMockProvider().specificationVersion).toBe('v1');
  });
});

describe('the v1 request', () => {
  it("carries the agent's id and settings, not the agent, and the mock's behaviour in providerOptions.mock", async () => {
    const seen: ProviderRequest[] = [];
    const agent = defineAgent({
      id: 'pick-one',
      name: 'Pick one',
      input: z.object({ text: z.string() }),
      output: z.object({ text: z.string() }),
      model: { provider: 'spy', model: 'm-1', maxOutputTokens: 32, temperature: 0.2 },
      prompt: ({ text }) => text,
      mock: ({ text }) => ({ text }),
    });
    const spy: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'spy',
      async execute(request) {
        seen.push(request);
        return { text: '{"text":"live"}', usage: null, finishReason: 'stop' };
      },
    };
    const executor = createExecutor({ agents: [agent], providers: { spy } });
    await executor.execute({ agentId: 'pick-one', input: { text: 'hi' }, mode: 'live', seed: 7, tenant });
    const [request] = seen;
    expect(request).not.toHaveProperty('agent');
    expect(request).not.toHaveProperty('mode');
    expect(request).toMatchObject({
      agentId: 'pick-one',
      input: { text: 'hi' },
      model: 'm-1',
      maxOutputTokens: 32,
      temperature: 0.2,
      seed: 7,
      attempt: 1,
      outputSchema: { name: 'pick_one' },
      providerOptions: { mock: { agentName: 'Pick one', hasOutputSchema: true, mock: agent.mock } },
    });
  });

  it('the mock provider runs from providerOptions.mock alone, called directly', async () => {
    const provider = mockProvider();
    const response = await provider.execute(
      {
        agentId: 'echo',
        input: { text: 'hi' },
        messages: [{ role: 'user', content: 'hi' }],
        model: 'mock',
        executionId: 'exe_1',
        attempt: 1,
        providerOptions: {
          mock: { agentName: 'Echo', hasOutputSchema: false, mock: ({ text }: { text: string }) => `said ${text}` },
        },
      },
      { signal: new AbortController().signal, tenant, logger: silentLogger },
    );
    expect(response.text).toBe('said hi');
  });
});
