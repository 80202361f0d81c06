import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createClient } from '../client';
import { createRunStore } from '../client/run-store';
import { createExecutor, defineAgent, defineTool, type ExecutionEvent } from '../index';
import { decodeServerSentEvents } from '../protocol';
import { createHandler } from './create-handler';

// A 5-step run: four steps of two tool calls each, then the answer.
const HANDLER_SECRET = 'handler-only-token-5e1f0a9b3c';

const add = defineTool({
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});
const note = defineTool({
  description: 'Returns a note that holds a secret only the handler knows.',
  input: z.object({}),
  execute: () => `token ${HANDLER_SECRET}`,
});

const counter = defineAgent({
  id: 'counter',
  name: 'Counter',
  input: z.object({ rounds: z.number() }),
  prompt: ({ rounds }) => `count ${rounds}`,
  tools: { add, note },
  mock: {
    steps: (_input, history) =>
      history.step < 4
        ? {
            toolCalls: [
              { name: 'add', args: { a: history.step, b: 1 } },
              { name: 'note', args: {} },
            ],
          }
        : { text: `Counted to ${history.steps.length}.` },
  },
});

function setup() {
  const executor = createExecutor({ agents: [counter] });
  const handler = createHandler({
    executor,
    resolveTenant: () => ({ tenantId: 'ws_a', userId: 'u1' }),
    secrets: [HANDLER_SECRET],
  });
  return { executor, handler };
}

const post = () =>
  new Request('http://localhost/agents/counter/executions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ input: { rounds: 4 }, mode: 'mock' }),
  });

function expectStepOrder(types: string[]) {
  const expected: string[] = ['execution-start'];
  for (let step = 0; step < 4; step += 1)
    expected.push('step-start', 'usage', 'tool-call', 'tool-call', 'tool-result', 'tool-result', 'step-finish');
  expected.push(
    'step-start',
    'output-delta',
    'output-delta',
    'output-delta',
    'usage',
    'step-finish',
    'execution-finish',
  );
  expect(types).toEqual(expected);
}

describe('a tool-using run over the wire', () => {
  it('arrives over SSE in order and complete: every event once, ids without gaps, secrets redacted', async () => {
    const { handler } = setup();
    const response = await handler(post());
    expect(response.status).toBe(200);
    const messages: { event: string; data: string; id?: string }[] = [];
    for await (const message of decodeServerSentEvents(response.body as ReadableStream<Uint8Array>))
      messages.push(message);
    expectStepOrder(messages.map((message) => message.event));
    expect(messages.map((message) => Number(message.id))).toEqual(messages.map((_, index) => index + 1));
    const body = messages.map((message) => message.data).join('\n');
    expect(body).not.toContain(HANDLER_SECRET);
    const finish = JSON.parse(messages.at(-1)?.data as string) as Extract<ExecutionEvent, { type: 'execution-finish' }>;
    expect(finish.result.steps).toHaveLength(5);
    expect(finish.result.steps?.[3]?.toolResults[0]).toMatchObject({ status: 'succeeded', output: { sum: 4 } });
    expect(finish.result.output).toBe('Counted to 4.');
  });

  it('reaches the typed client and the run store with every step event', async () => {
    const { handler } = setup();
    const client = createClient({
      baseUrl: 'http://localhost',
      fetch: (input, init) => handler(new Request(input, init)),
    });
    const events: ExecutionEvent[] = [];
    for await (const event of client.stream({ agentId: 'counter', input: { rounds: 4 }, mode: 'mock' }))
      events.push(event);
    expectStepOrder(events.map((event) => event.type));
    const toolResult = events.find((event) => event.type === 'tool-result');
    expect(toolResult?.type === 'tool-result' && toolResult.toolResult.name).toBe('add');

    const store = createRunStore({ service: client, streamThrottleMs: 0 });
    const entry = await store.run({ agentId: 'counter', input: { rounds: 4 } });
    expect(entry?.status).toBe('succeeded');
    const kinds = entry?.events.map((event) => event.type) ?? [];
    expect(kinds.filter((kind) => kind === 'step-finish')).toHaveLength(5);
    expect(kinds.filter((kind) => kind === 'tool-result')).toHaveLength(8);
    expect(entry?.result?.steps).toHaveLength(5);
  });
});
