// The OpenAI provider inside the executor, for what is OpenAI's own: its pricing, its SSE
// framing, its structured-output request. The behaviours every adapter shares (errors by
// status, retries, timeouts, cancel, redaction) are in `openai-contract.test.ts`.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, type LimitOptions } from '../../index';
import { createOpenAIMock } from '../../testing';
import { openaiProvider } from './openai-provider';

const API_KEY = 'sk-proj-exec0123456789abcdefSECRET';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };

const mock = createOpenAIMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 64 },
  prompt: ({ text }) => text,
});

const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarize',
  input: z.object({ text: z.string() }),
  output: z.object({ summary: z.string(), words: z.number().int() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text }) => [
    { role: 'system', content: 'Summarize as JSON.' },
    { role: 'user', content: text },
  ],
});

const fastPolicy: LimitOptions = {
  maxRetries: 2,
  backoff: { initialMs: 100, factor: 2, maxMs: 1000, jitter: 'none' },
  timeoutMs: { live: 30_000 },
};

function setup(limits: LimitOptions = fastPolicy) {
  return createExecutor({
    agents: [echo, summarize],
    providers: { openai: openaiProvider({ apiKey: API_KEY }) },
    limits,
  });
}

/** Lets I/O run (msw, the SDK) without moving fake time. */
async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let turn = 0; turn < 500; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fakeTime() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
}

async function collect(iterable: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const events: ExecutionEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

describe('OpenAI live runs through the executor', () => {
  it('succeeds with output, provider-reported usage, cost and one attempt', async () => {
    mock.reply({
      type: 'text',
      text: 'hello back',
      usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 },
    });
    const result = await setup().execute({ agentId: 'echo', input: { text: 'hello' }, mode: 'live', tenant });
    expect(result).toMatchObject({
      status: 'succeeded',
      mode: 'live',
      output: 'hello back',
      metrics: {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        inputTokens: 1000,
        outputTokens: 500,
        cachedInputTokens: 200,
        attempts: 1,
        simulated: false,
      },
    });
    // gpt-4.1-mini: 800 × $0.40 + 200 × $0.10 + 500 × $1.60 per million.
    expect(result.metrics.costUsd).toBeCloseTo(0.00114, 9);
    expect(mock.requests).toHaveLength(1);
  });

  it('a malformed SSE stream fails with a clear provider_error', async () => {
    mock.reply({
      type: 'raw',
      body: [
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n',
        'data: {not json}\n\n',
      ],
    });
    const events = await collect(setup().stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant }));
    expect(events.at(-1)).toMatchObject({
      type: 'execution-error',
      error: { code: 'provider_error' },
      result: { status: 'failed', output: 'Hi' },
    });
    const last = events.at(-1);
    expect(last?.type === 'execution-error' && last.error.message).toMatch(/malformed stream event/);
  });

  it('a stream truncated before any output is retried; after output it fails', async () => {
    fakeTime();
    mock.reply(
      {
        type: 'raw',
        body: 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n',
      },
      { type: 'text', text: 'whole' },
    );
    const events: ExecutionEvent[] = [];
    const done = (async () => {
      for await (const event of setup().stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant }))
        events.push(event);
    })();
    await until(() => mock.requests.length === 1);
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(events.at(-1)).toMatchObject({
      type: 'execution-finish',
      result: { output: 'whole', metrics: { attempts: 2 } },
    });

    vi.useRealTimers();
    mock.reset([{ type: 'text', text: ['cut', ' off'], truncate: true }]);
    const failed = await collect(setup().stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant }));
    expect(failed.at(-1)).toMatchObject({
      type: 'execution-error',
      error: { code: 'provider_error' },
      result: { output: 'cut off', metrics: { attempts: 1 } },
    });
  });

  it('structured output: the request asks for the schema, the object comes back', async () => {
    mock.reply({ type: 'object', object: { summary: 'Short.', words: 1 } });
    const executor = setup();
    const valid = await executor.execute({
      agentId: 'summarize',
      input: { text: 'A long text.' },
      mode: 'live',
      tenant,
    });
    expect(valid).toMatchObject({ status: 'succeeded', output: { summary: 'Short.', words: 1 } });
    expect(mock.requests[0]?.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'summarize', strict: true } },
    });
  });

  it('health(): the executor reports the provider reachable', async () => {
    const report = await setup().health();
    expect(report.providers.openai).toMatchObject({ status: 'ok', configured: true });
    expect(mock.modelRequests).toBe(1);
  });
});
