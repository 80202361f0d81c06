// Input validation in live mode: schema-invalid (or too deeply nested) input is refused with
// its issue paths before any provider request is made, so it costs nothing. The OpenAI API is
// imitated with msw at the wire; every request msw sees is counted, matched or not.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, isAgentryError } from '../index';
import { openaiProvider } from '../providers/openai';
import { createHandler } from '../server';
import { createOpenAIMock } from '../testing';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const mock = createOpenAIMock();
const server = setupServer(...mock.handlers);
const seen: string[] = [];
server.events.on('request:start', ({ request }) => {
  seen.push(`${request.method} ${request.url}`);
});

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  seen.length = 0;
});
afterAll(() => server.close());

const order = defineAgent({
  id: 'order',
  name: 'Order',
  input: z.object({
    customer: z.object({ email: z.email() }),
    items: z.array(z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })).min(1),
    note: z.string().max(10).optional(),
  }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 32 },
  prompt: ({ items }) => `Confirm ${items.length} items.`,
});

const INVALID = {
  customer: { email: 'not-an-email' },
  items: [
    { sku: 'A1', quantity: 2 },
    { sku: '', quantity: 1.5 },
  ],
  note: 'far too long for this field',
};
const EXPECTED_PATHS = [['customer', 'email'], ['items', 1, 'sku'], ['items', 1, 'quantity'], ['note']];

function setup(events: ExecutionEvent[] = []) {
  // A valid reply is scripted: were a request to slip through, it would succeed and be seen.
  mock.reply({ type: 'text', text: 'confirmed', usage: { inputTokens: 10, outputTokens: 2 } });
  return createExecutor({
    agents: [order],
    providers: { openai: openaiProvider({ apiKey: 'sk-proj-live0123456789abcdef' }) },
    limits: { maxRetries: 0, concurrencyPerTenant: 1 },
    onEvent: (event) => events.push(event),
  });
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

function pathsOf(error: unknown): unknown[] {
  return ((error as { issues?: { path: unknown[] }[] }).issues ?? []).map((issue) => issue.path);
}

describe('live mode refuses schema-invalid input before calling the provider', () => {
  it('execute(): validation_failed with every issue path, no provider request, no record, no usage', async () => {
    const events: ExecutionEvent[] = [];
    const executor = setup(events);
    const error = await refusal(executor.execute({ agentId: 'order', input: INVALID, mode: 'live', tenant }));
    expect(isAgentryError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400, retryable: false });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(EXPECTED_PATHS));
    expect(pathsOf(error)).toHaveLength(EXPECTED_PATHS.length);
    expect(seen).toEqual([]);
    expect(mock.requests).toHaveLength(0);
    expect((await executor.listExecutions(tenant)).items).toEqual([]);
    expect(events).toEqual([]);
  });

  it('stream(): the same refusal before any event, and no provider request', async () => {
    const events: ExecutionEvent[] = [];
    const executor = setup();
    const error = await refusal(
      (async () => {
        for await (const event of executor.stream({ agentId: 'order', input: INVALID, mode: 'live', tenant }))
          events.push(event);
      })(),
    );
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(EXPECTED_PATHS));
    expect(events).toEqual([]);
    expect(seen).toEqual([]);
  });

  it.each([
    ['a missing input', undefined],
    ['a string instead of an object', 'order two'],
    [
      'input nested 10,000 levels deep',
      { customer: { email: 'a@b.co' }, items: JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) },
    ],
  ])('refuses %s in live mode without a provider request', async (_name, input) => {
    const executor = setup();
    const error = await refusal(executor.execute({ agentId: 'order', input: input as never, mode: 'live', tenant }));
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(seen).toEqual([]);
  });

  it('holds no concurrency slot for a refused run: a valid run still goes through, with one request', async () => {
    const executor = setup();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await refusal(executor.execute({ agentId: 'order', input: INVALID, mode: 'live', tenant }));
    }
    expect(seen).toEqual([]);
    const valid = { customer: { email: 'ada@example.com' }, items: [{ sku: 'A1', quantity: 2 }] };
    const result = await executor.execute({ agentId: 'order', input: valid, mode: 'live', tenant });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', output: 'confirmed' });
    expect(seen).toEqual(['POST https://api.openai.com/v1/chat/completions']);
    expect(mock.requests).toHaveLength(1);
  });
});

describe('live mode over HTTP', () => {
  function handlerFor(executor: ReturnType<typeof setup>) {
    return createHandler({ executor, resolveTenant: () => tenant, basePath: '/api' });
  }
  function post(handler: ReturnType<typeof handlerFor>, body: unknown, accept = 'application/json') {
    return handler(
      new Request('http://localhost/api/agents/order/executions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify(body),
      }),
    );
  }

  it.each([
    ['JSON', 'application/json'],
    ['SSE', 'text/event-stream'],
  ])(
    'answers 400 problem+json validation_failed with the issue paths (%s), no provider request',
    async (_name, accept) => {
      const executor = setup();
      const response = await post(handlerFor(executor), { input: INVALID, mode: 'live' }, accept);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ code: 'validation_failed', type: 'urn:agentry:error:validation_failed' });
      expect(pathsOf(problem)).toEqual(expect.arrayContaining(EXPECTED_PATHS));
      expect(seen).toEqual([]);
      expect((await executor.listExecutions(tenant)).items).toEqual([]);
    },
  );

  it('a valid live request over HTTP does reach the provider (the control)', async () => {
    const executor = setup();
    const valid = { customer: { email: 'ada@example.com' }, items: [{ sku: 'A1', quantity: 1 }] };
    const response = await post(handlerFor(executor), { input: valid, mode: 'live' });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});
