import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { AgentryError } from '../errors';
import { defineTool } from '../tools';
import { createExecutor } from './create-executor';
import type { ExecutionEvent } from './types';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const lookupOrder = defineTool({
  description: 'Looks up an order of this workspace.',
  input: z.object({ id: z.string(), verbose: z.boolean().default(false) }),
  execute: ({ id }, { tenant }) => ({ id, status: 'shipped', workspace: tenant.tenantId }),
});

const shipping = defineAgent({
  id: 'shipping',
  name: 'Shipping',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  tools: { lookupOrder },
  mock: {
    steps: [{ toolCalls: [{ name: 'lookupOrder', args: { id: '42' } }] }, { text: 'Your order ships Monday.' }],
  },
});

describe('the tool loop', () => {
  it('runs model → tool → model to the answer, with steps on the record', async () => {
    const executor = createExecutor({ agents: [shipping] });
    const result = await executor.execute({ agentId: 'shipping', input: { question: 'Where?' }, tenant });
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('Your order ships Monday.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps?.[0]?.toolCalls).toEqual([
      { id: 'call_0_0', name: 'lookupOrder', args: { id: '42', verbose: false } },
    ]);
    expect(result.steps?.[0]?.toolResults[0]).toMatchObject({
      status: 'succeeded',
      output: { id: '42', status: 'shipped', workspace: 'ws_a' },
    });
    expect(result.steps?.[0]?.finishReason).toBe('tool_calls');
    expect(result.steps?.[1]?.finishReason).toBe('stop');
    const sum = (result.steps ?? []).reduce((total, step) => total + (step.usage.inputTokens ?? 0), 0);
    expect(result.metrics.inputTokens).toBe(sum);
    expect(result.metrics.attempts).toBe(2);
  });

  it('streams step events in order', async () => {
    const executor = createExecutor({ agents: [shipping] });
    const types: string[] = [];
    for await (const event of executor.stream({ agentId: 'shipping', input: { question: 'Where?' }, tenant }))
      types.push(event.type);
    expect(types).toEqual([
      'execution-start',
      'step-start',
      'usage',
      'tool-call',
      'tool-result',
      'step-finish',
      'step-start',
      'output-delta',
      'output-delta',
      'output-delta',
      'output-delta',
      'usage',
      'step-finish',
      'execution-finish',
    ]);
  });
});
