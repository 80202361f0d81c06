import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { echo } from '../../test/agents';
import { defineAgent } from '../agent';
import type { ProviderAdapter, ProviderRequest } from '../providers';
import { mockProvider } from '../providers/mock/mock-provider';
import { defineTool } from '../tools';
import { createExecutor } from './create-executor';
import { describeAgent } from './describe-agent';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

describe('listAgents publishes the input limit', () => {
  it('says the executor’s maxInputBytes on every agent, so a UI can show a size counter', async () => {
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider() },
      limits: { maxInputBytes: 12_345 },
    });
    const [summary] = await executor.listAgents(tenant);
    expect(summary?.maxInputBytes).toBe(12_345);
  });

  it('uses the default limit when none is set', async () => {
    const executor = createExecutor({ agents: [echo], providers: { mock: mockProvider() } });
    expect((await executor.listAgents(tenant))[0]?.maxInputBytes).toBe(64_000);
  });
});

describe('describeAgent: what a summary holds, and nothing else', () => {
  const bare = defineAgent({
    id: 'bare',
    name: 'Bare',
    input: z.object({ q: z.string() }),
    prompt: () => 'x',
    mock: () => 'ok',
  });

  it('leaves out every optional field an agent does not have', () => {
    // Strictly: a key set to undefined is not the same as no key for a caller that reads `in`.
    expect(describeAgent(bare, { available: true })).toStrictEqual({
      id: 'bare',
      name: 'Bare',
      inputSchema: expect.objectContaining({ type: 'object', required: ['q'] }),
      modes: ['mock', 'live'],
      live: { available: true },
    });
  });

  it('carries the description, output schema, example, model, input limit and the reason live is off', () => {
    const full = defineAgent({
      id: 'full',
      name: 'Full',
      description: 'Answers everything.',
      input: z.object({ q: z.string() }),
      output: z.object({ a: z.number() }),
      example: { q: 'why?' },
      prompt: () => 'x',
      model: { provider: 'openai', model: 'gpt-test', temperature: 0.2 },
      modes: ['mock', 'live'],
      mock: () => ({ a: 1 }),
    });
    const summary = describeAgent(full, { available: false, reason: 'Off for maintenance.' }, 100);
    expect(summary).toEqual({
      id: 'full',
      name: 'Full',
      description: 'Answers everything.',
      inputSchema: expect.objectContaining({ type: 'object' }),
      outputSchema: expect.objectContaining({ type: 'object', required: ['a'] }),
      example: { q: 'why?' },
      maxInputBytes: 100,
      modes: ['mock', 'live'],
      model: { provider: 'openai', model: 'gpt-test' },
      live: { available: false, reason: 'Off for maintenance.' },
    });
  });

  it('gives each caller its own copy: editing one summary changes no other', () => {
    const agent = defineAgent({
      id: 'copy',
      name: 'Copy',
      input: z.object({ q: z.string() }),
      output: z.object({ a: z.number() }),
      example: { q: 'x' },
      prompt: () => 'x',
      mock: () => ({ a: 1 }),
    });
    const first = describeAgent(agent, { available: true });
    (first.inputSchema as Record<string, unknown>).title = 'edited';
    (first.outputSchema as Record<string, unknown>).title = 'edited';
    (first.example as Record<string, unknown>).q = 'edited';
    (first.modes as string[]).pop();
    const second = describeAgent(agent, { available: true });
    expect(second.inputSchema).not.toHaveProperty('title');
    expect(second.outputSchema).not.toHaveProperty('title');
    expect(second.example).toEqual({ q: 'x' });
    expect(second.modes).toEqual(['mock', 'live']);
    expect(agent.modes).toEqual(['mock', 'live']);
  });

  it('passes an example that cannot be copied as it is', () => {
    const call = () => 1;
    const agent = defineAgent({
      id: 'fn',
      name: 'Fn',
      input: z.object({ run: z.any() }),
      example: { run: call },
      prompt: () => 'x',
      mock: () => 'ok',
    });
    expect(describeAgent(agent, { available: true }).example).toEqual({ run: call });
  });
});

describe('the tools a provider is offered', () => {
  it('each tool of the mode once, by its name, with its description and input schema (no $schema)', async () => {
    const requests: ProviderRequest[] = [];
    const provider: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'scripted',
      capabilities: { tools: true },
      execute: async (request) => {
        requests.push(request);
        return { text: 'done', usage: null, finishReason: 'stop' };
      },
    };
    const lookup = defineTool({ description: 'Looks up.', input: z.object({ id: z.string() }), execute: () => 1 });
    const named = defineTool({ name: 'find_order', description: 'Finds.', input: z.object({}), execute: () => 1 });
    const mockOnly = defineTool({ description: 'Mock only.', input: z.object({}), modes: ['mock'], execute: () => 1 });
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      model: { provider: 'scripted', model: 'm' },
      modes: ['live'],
      tools: { lookup, named, mockOnly },
    });
    const executor = createExecutor({ agents: [agent], providers: { scripted: provider } });
    await executor.execute({ agentId: 'agent', input: {}, tenant, mode: 'live' });
    expect(requests[0]?.tools).toEqual([
      {
        name: 'lookup',
        description: 'Looks up.',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
      {
        name: 'find_order',
        description: 'Finds.',
        inputSchema: { type: 'object', properties: {} },
      },
    ]);
  });
});
