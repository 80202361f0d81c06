// The Anthropic provider inside the executor, for what is Anthropic's own: its pricing, its SSE
// framing, its forced-tool structured output. The behaviours every adapter shares (errors by
// status, retries, timeouts, cancel, redaction) are in `anthropic-contract.test.ts`.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, type LimitOptions } from '../../index';
import { createAnthropicMock } from '../../testing';
import { anthropicProvider } from './anthropic-provider';

const API_KEY = 'sk-ant-api03-exec0123456789abcdefSECRET';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };

const mock = createAnthropicMock();
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
  model: { provider: 'anthropic', model: 'claude-haiku-4-5', maxOutputTokens: 64 },
  prompt: ({ text }) => text,
});

const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarize',
  input: z.object({ text: z.string() }),
  output: z.object({ summary: z.string(), words: z.number().int() }),
  model: { provider: 'anthropic', model: 'claude-haiku-4-5' },
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
    providers: { anthropic: anthropicProvider({ apiKey: API_KEY }) },
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

describe('Anthropic live runs through the executor', () => {
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
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        inputTokens: 1000,
        outputTokens: 500,
        cachedInputTokens: 200,
        attempts: 1,
        simulated: false,
      },
    });
    // claude-haiku-4-5: 800 × $1 + 200 × $0.10 + 500 × $5 per million.
    expect(result.metrics.costUsd).toBeCloseTo(0.00332, 9);
    expect(mock.requests).toHaveLength(1);
  });

  it('a malformed SSE stream fails with a clear provider_error', async () => {
    mock.reply({
      type: 'raw',
      body: [
        'event: message_start\ndata: {"type":"message_start","message":{"model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}\n\n',
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
        'event: content_block_delta\ndata: {not json}\n\n',
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
        body: 'event: message_start\ndata: {"type":"message_start","message":{"model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}\n\n',
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
    expect(mock.requests[0]?.body).toMatchObject({ tool_choice: { type: 'tool', name: 'summarize' } });
  });

  it('health(): the executor reports the provider reachable', async () => {
    const report = await setup().health();
    expect(report.providers.anthropic).toMatchObject({ status: 'ok', configured: true });
    expect(mock.modelRequests).toBe(1);
  });
});
