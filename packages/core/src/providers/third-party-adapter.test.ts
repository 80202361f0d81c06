// The worked example of docs/providers.md ("Writing an adapter"), run as a user would: through
// createExecutor, against an OpenAI-compatible server imitated with msw at the wire.
import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localModelProvider } from '../../test/third-party-adapter';
import { createExecutor, defineAgent, type ExecutionEvent } from '../index';

const BASE = 'http://127.0.0.1:8080/v1';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const bodies: Record<string, unknown>[] = [];
let status = 200;

const sse = (chunks: unknown[]) =>
  new HttpResponse(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`, {
    headers: { 'content-type': 'text/event-stream' },
  });

const server = setupServer(
  http.post(`${BASE}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as Record<string, unknown>;
    bodies.push(body);
    if (status !== 200)
      return HttpResponse.json({ error: { message: 'busy' } }, { status, headers: { 'retry-after': '1' } });
    if (body.stream) {
      return sse([
        { choices: [{ delta: { content: 'Hello ' } }] },
        { choices: [{ delta: { content: 'there' }, finish_reason: 'stop' }] },
        { choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } },
      ]);
    }
    return HttpResponse.json({
      model: 'qwen3-8b',
      choices: [{ message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2 },
    });
  }),
  http.get(`${BASE}/models`, () => HttpResponse.json({ data: [] })),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  bodies.length = 0;
  status = 200;
});
afterAll(() => server.close());

const greet = defineAgent({
  id: 'greet',
  name: 'Greeter',
  input: z.object({ name: z.string() }),
  model: { provider: 'local', model: 'qwen3-8b', maxOutputTokens: 50 },
  prompt: ({ name }) => `Greet ${name}.`,
});

const executor = () =>
  createExecutor({
    agents: [greet],
    providers: { local: localModelProvider({ baseUrl: BASE }) },
    limits: { maxRetries: 0 },
  });

describe('a third-party adapter written from docs/providers.md', () => {
  it('execute(): sends the v1 request as Chat Completions and maps the answer, usage and model', async () => {
    const result = await executor().execute({ agentId: 'greet', input: { name: 'Ada' }, mode: 'live', tenant });
    expect(result).toMatchObject({
      status: 'succeeded',
      output: 'Hello there',
      metrics: { inputTokens: 5, outputTokens: 2, provider: 'local', model: 'qwen3-8b', finishReason: 'stop' },
    });
    expect(bodies[0]).toEqual({
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: 'Greet Ada.' }],
      stream: false,
      max_tokens: 50,
    });
  });

  it('stream(): deltas, then usage, then the record', async () => {
    const events: ExecutionEvent[] = [];
    for await (const event of executor().stream({ agentId: 'greet', input: { name: 'Ada' }, mode: 'live', tenant })) {
      events.push(event);
    }
    expect(events.map((event) => event.type)).toEqual([
      'execution-start',
      'output-delta',
      'output-delta',
      'usage',
      'execution-finish',
    ]);
    expect(events.at(-1)).toMatchObject({ result: { output: 'Hello there', metrics: { outputTokens: 2 } } });
  });

  it("a 429 becomes rate_limited with the server's retry-after, and health() answers ok", async () => {
    status = 429;
    const result = await executor().execute({ agentId: 'greet', input: { name: 'Ada' }, mode: 'live', tenant });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'rate_limited', retryAfterMs: 1000 } });
    const health = await executor().health();
    expect(health.providers.local).toMatchObject({ status: 'ok' });
  });

  it('docs/providers.md shows this very file', () => {
    const source = readFileSync(new URL('../../test/third-party-adapter.ts', import.meta.url), 'utf8');
    const docs = readFileSync(new URL('../../../../docs/providers.md', import.meta.url), 'utf8');
    const shown = /<!-- example: packages\/core\/test\/third-party-adapter\.ts -->\n```ts\n([\s\S]*?)```/.exec(
      docs,
    )?.[1];
    expect(shown).toBe(source.replace("from '../src/index';", "from '@agentry/core';"));
  });
});
