// A remote Agentry server that runs a tool-using agent: its steps pass through to this side's
// events and record, under this side's execution id, streamed or not.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../agent';
import { createExecutor } from '../../executor';
import type { ExecutionEvent } from '../../protocol';
import { createHandler } from '../../server/create-handler';
import { defineTool } from '../../tools';
import { remoteProvider } from './remote-provider';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const SECRET = 'service-a-only-secret-7d1c9e';

const lookup = defineTool({
  description: 'Looks a ticket up.',
  input: z.object({ id: z.string() }),
  execute: ({ id }) => ({ id, note: `see ${SECRET}` }),
});

const serviceB = createHandler({
  executor: createExecutor({
    agents: [
      defineAgent({
        id: 'support',
        name: 'Support',
        input: z.object({ q: z.string() }),
        prompt: ({ q }) => q,
        tools: { lookup },
        mock: { steps: [{ toolCalls: [{ name: 'lookup', args: { id: 't1' } }] }, { text: 'Ticket t1 is open.' }] },
      }),
    ],
  }),
  resolveTenant: () => tenant,
  basePath: '/api',
});

function serviceA(stream: boolean) {
  return createExecutor({
    agents: [
      defineAgent({
        id: 'support',
        name: 'Support',
        input: z.object({ q: z.string() }),
        prompt: ({ q }) => q,
        model: { provider: 'remote', model: 'remote' },
      }),
    ],
    providers: {
      remote: remoteProvider({
        baseUrl: 'http://service-b/api',
        remoteMode: 'mock',
        stream,
        fetch: (input, init) => serviceB(new Request(input, init)),
      }),
    },
    secrets: [SECRET],
  });
}

describe('the remote provider passes a remote run’s steps through', () => {
  it.each([true, false])('stream: %s', async (stream) => {
    const executor = serviceA(stream);
    const events: ExecutionEvent[] = [];
    for await (const event of executor.stream({ agentId: 'support', input: { q: 'status?' }, mode: 'live', tenant }))
      events.push(event);
    const start = events[0];
    const types = events.map((event) => event.type).filter((type) => type !== 'output-delta' && type !== 'usage');
    expect(types).toEqual([
      'execution-start',
      'step-start',
      'tool-call',
      'tool-result',
      'step-finish',
      'step-start',
      'step-finish',
      'execution-finish',
    ]);
    expect(events.every((event) => event.executionId === start?.executionId)).toBe(true);
    const final = events.at(-1) as Extract<ExecutionEvent, { type: 'execution-finish' }>;
    expect(final.result.output).toBe('Ticket t1 is open.');
    expect(final.result.steps).toHaveLength(2);
    expect(final.result.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'succeeded', output: { id: 't1' } });
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});
