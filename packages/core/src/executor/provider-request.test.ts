import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { liveAvailability } from './live-availability';
import type { PreparedRun } from './prepare';
import { buildProviderRequest, providerOptionsOf } from './provider-request';

const plain = defineAgent({
  id: 'plain-agent',
  name: 'Plain',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
});
const detailedMock = () => ({ ok: true });
const detailed = defineAgent({
  id: 'detailed-agent',
  name: 'Detailed',
  input: z.object({ text: z.string() }),
  output: z.object({ ok: z.boolean() }),
  model: {
    provider: 'openai',
    model: 'gpt-4.1-mini',
    maxOutputTokens: 64,
    temperature: 0.2,
    providerOptions: { openai: { store: false } },
  },
  prompt: ({ text }) => text,
  mock: detailedMock,
});

function prepared(agent: typeof plain | typeof detailed, extra: Partial<PreparedRun> = {}): PreparedRun {
  return {
    agent,
    input: { text: 'hi' },
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    outputSchema: undefined,
    seed: undefined,
    ...extra,
  } as PreparedRun;
}

describe('buildProviderRequest', () => {
  it('carries only what the run has: no seed, tools, limits or schema keys for a plain agent', () => {
    const request = buildProviderRequest(prepared(plain), 'exe_1', 1);
    expect(request).toStrictEqual({
      agentId: 'plain-agent',
      input: { text: 'hi' },
      messages: [{ role: 'user', content: 'hi' }],
      model: 'm',
      executionId: 'exe_1',
      attempt: 1,
      providerOptions: { mock: { agentName: 'Plain', hasOutputSchema: false } },
    });
    // A step of a tool loop that offers no tools sends none (an empty list is refused by some APIs).
    const step = buildProviderRequest(prepared(plain), 'exe_1', 2, { messages: [], tools: [] });
    expect('tools' in step).toBe(false);
    expect(step.messages).toEqual([]);
  });

  it("carries the agent's model settings, output schema, seed and the step's tools", () => {
    const tool = { name: 'add', description: 'Adds one.', inputSchema: { type: 'object' } };
    const request = buildProviderRequest(
      prepared(detailed, { outputSchema: { type: 'object' }, seed: 7 }),
      'exe_2',
      3,
      { messages: [{ role: 'user', content: 'step' }], tools: [tool] },
    );
    expect(request).toMatchObject({
      agentId: 'detailed-agent',
      attempt: 3,
      maxOutputTokens: 64,
      temperature: 0.2,
      outputSchema: { name: 'detailed_agent', schema: { type: 'object' } },
      seed: 7,
      tools: [tool],
      messages: [{ role: 'user', content: 'step' }],
    });
    expect(request.providerOptions).toEqual({
      openai: { store: false },
      mock: { agentName: 'Detailed', hasOutputSchema: true, mock: detailedMock },
    });
  });

  it('builds the provider options once per agent, frozen', () => {
    const first = providerOptionsOf(detailed);
    expect(providerOptionsOf(detailed)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.mock)).toBe(true);
    expect('mock' in (providerOptionsOf(plain).mock as object)).toBe(false);
  });
});

describe('liveAvailability', () => {
  const configured = { openai: { configured: true } } as unknown as Parameters<typeof liveAvailability>[0]['providers'];

  it('says an agent without a model cannot run live, before asking about providers', () => {
    expect(liveAvailability({ enabled: true, disabledReason: '', providers: configured, agent: plain })).toEqual({
      available: false,
      reason: 'This agent has no live model configured.',
    });
    expect(liveAvailability({ enabled: true, disabledReason: '', providers: configured, agent: detailed })).toEqual({
      available: true,
    });
  });

  it('answers for a provider by key when there is no agent', () => {
    expect(
      liveAvailability({ enabled: true, disabledReason: '', providers: configured, providerKey: 'openai' }),
    ).toEqual({
      available: true,
    });
    expect(
      liveAvailability({ enabled: true, disabledReason: '', providers: configured, providerKey: 'anthropic' }),
    ).toMatchObject({
      available: false,
      reason: expect.stringContaining('the "anthropic" provider is not configured'),
    });
  });
});
