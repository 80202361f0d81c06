// The Anthropic provider inside the executor: the one retry/timeout policy, metrics, redaction,
// with the real `@anthropic-ai/sdk` talking to msw.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, jsonLogger, type LimitOptions } from '../../index';
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

function setup(
  limits: LimitOptions = fastPolicy,
  extra: { lines?: string[]; onRetry?: (state: unknown) => void } = {},
) {
  return createExecutor({
    agents: [echo, summarize],
    providers: { anthropic: anthropicProvider({ apiKey: API_KEY }) },
    limits,
    ...(extra.lines ? { logger: jsonLogger({ level: 'debug', write: (line) => extra.lines?.push(line) }) } : {}),
    ...(extra.onRetry ? { onRetry: extra.onRetry } : {}),
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

  it('streams deltas in order, then usage, then the finish; time to first output is measured', async () => {
    fakeTime();
    mock.reply({
      type: 'text',
      text: ['The', ' answer', ' is', ' 42'],
      chunkDelayMs: [250, 10, 10, 10],
      usage: { inputTokens: 5, outputTokens: 4 },
    });
    const events: ExecutionEvent[] = [];
    const done = (async () => {
      for await (const event of setup().stream({ agentId: 'echo', input: { text: 'q' }, mode: 'live', tenant }))
        events.push(event);
    })();
    await until(() => mock.requests.length === 1, 'the request');
    await vi.advanceTimersByTimeAsync(280);
    await done;

    // Anthropic reports input usage at message_start, then the final counts at message_delta.
    expect(events.map((event) => event.type)).toEqual([
      'execution-start',
      'usage',
      'output-delta',
      'output-delta',
      'output-delta',
      'output-delta',
      'usage',
      'execution-finish',
    ]);
    // Deltas are redacted as one stream, so a chunk may end earlier (a trailing `s` could start `sk-`).
    expect(events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : [])).join('')).toBe(
      'The answer is 42',
    );
    const finish = events.at(-1);
    if (finish?.type !== 'execution-finish') throw new Error('expected a finish');
    expect(finish.result.output).toBe('The answer is 42');
    expect(finish.result.metrics.timeToFirstOutputMs).toBe(250);
    expect(finish.result.metrics).toMatchObject({ inputTokens: 5, outputTokens: 4, attempts: 1 });
  });

  it('401 fails at once with provider_auth_failed (no retry)', async () => {
    mock.reply({ type: 'error', status: 401 });
    const result = await setup().execute({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_auth_failed', provider: 'anthropic' } });
    expect(result.metrics.attempts).toBe(1);
    expect(mock.requests).toHaveLength(1);
  });

  it('429 with retry-after: waits exactly the server delay, then succeeds on attempt 2', async () => {
    fakeTime();
    const retries: { attempt: number; delayMs: number; code: string }[] = [];
    mock.reply({ type: 'error', status: 429, headers: { 'retry-after': '2' } }, { type: 'text', text: 'finally' });
    const executor = setup(fastPolicy, {
      onRetry: (state) => {
        const { attempt, delayMs, error } = state as { attempt: number; delayMs: number; error: { code: string } };
        retries.push({ attempt, delayMs, code: error.code });
      },
    });
    const pending = executor.execute({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant });
    await until(() => retries.length === 1, 'the retry');
    expect(retries).toEqual([{ attempt: 1, delayMs: 2000, code: 'rate_limited' }]);

    await vi.advanceTimersByTimeAsync(1999);
    expect(mock.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(mock.requests).toHaveLength(2);
    expect(result).toMatchObject({ status: 'succeeded', output: 'finally', metrics: { attempts: 2 } });
  });

  it('a retry-after above maxRetryAfterMs fails instead of waiting', async () => {
    mock.reply({ type: 'error', status: 429, headers: { 'retry-after': '120' } });
    const result = await setup({ ...fastPolicy, maxRetryAfterMs: 5000 }).execute({
      agentId: 'echo',
      input: { text: 'x' },
      mode: 'live',
      tenant,
    });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'rate_limited', retryAfterMs: 120_000 } });
    expect(mock.requests).toHaveLength(1);
  });

  it('529 overloaded then success: one backoff delay, two attempts', async () => {
    fakeTime();
    const delays: number[] = [];
    mock.reply({ type: 'error', status: 529 }, { type: 'text', text: 'recovered' });
    const pending = setup(fastPolicy, {
      onRetry: (state) => delays.push((state as { delayMs: number }).delayMs),
    }).execute({
      agentId: 'echo',
      input: { text: 'x' },
      mode: 'live',
      tenant,
    });
    await until(() => delays.length === 1, 'the retry');
    expect(delays).toEqual([100]);
    await vi.advanceTimersByTimeAsync(99);
    expect(mock.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({ status: 'succeeded', output: 'recovered', metrics: { attempts: 2 } });
    expect(mock.requests).toHaveLength(2);
  });

  it('500 every time: 1 + maxRetries attempts with exponential backoff, then failed', async () => {
    fakeTime();
    const delays: number[] = [];
    mock.reset(() => ({ type: 'error', status: 503 }));
    const pending = setup(fastPolicy, {
      onRetry: (state) => delays.push((state as { delayMs: number }).delayMs),
    }).execute({
      agentId: 'echo',
      input: { text: 'x' },
      mode: 'live',
      tenant,
    });
    await until(() => delays.length === 1);
    await vi.advanceTimersByTimeAsync(100);
    await until(() => delays.length === 2);
    await vi.advanceTimersByTimeAsync(200);
    const result = await pending;
    expect(delays).toEqual([100, 200]);
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'provider_error', retryable: true },
      metrics: { attempts: 3 },
    });
    expect(mock.requests).toHaveLength(3);
  });

  it('400 is not retried', async () => {
    mock.reply({ type: 'error', status: 400, message: 'messages.0: Input does not match the expected shape.' });
    const result = await setup().execute({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_error', retryable: false } });
    expect(result.status === 'failed' && result.error.message).toContain('expected shape');
    expect(mock.requests).toHaveLength(1);
  });

  it('a timeout aborts the HTTP request and fails with timeout', async () => {
    fakeTime();
    mock.reset(() => ({ type: 'hang' }));
    const pending = setup({ ...fastPolicy, maxRetries: 0, timeoutMs: { live: 1000 } }).execute({
      agentId: 'echo',
      input: { text: 'x' },
      mode: 'live',
      tenant,
    });
    await until(() => mock.requests.length === 1, 'the request');
    await vi.advanceTimersByTimeAsync(1000);
    const result = await pending;
    expect(result).toMatchObject({ status: 'failed', error: { code: 'timeout' }, metrics: { attempts: 1 } });
    await until(() => mock.requests[0]?.aborted === true, 'the server to see the abort');
  });

  it('an idle stream times out after idleMs and the server sees the stream closed', async () => {
    fakeTime();
    mock.reply({ type: 'text', text: ['first', ' second'], chunkDelayMs: [0, 60_000] });
    const events: ExecutionEvent[] = [];
    const done = (async () => {
      const stream = setup({ ...fastPolicy, timeoutMs: { live: { totalMs: 30_000, idleMs: 500 } } }).stream({
        agentId: 'echo',
        input: { text: 'x' },
        mode: 'live',
        tenant,
      });
      for await (const event of stream) events.push(event);
    })();
    await until(() => events.some((event) => event.type === 'output-delta'), 'the first delta');
    await vi.advanceTimersByTimeAsync(500);
    await done;
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: 'execution-error',
      error: { code: 'timeout' },
      result: { status: 'failed', output: 'first' },
    });
    // Output was already sent, so the stream is not retried.
    expect(mock.requests).toHaveLength(1);
    await until(
      () => mock.requests[0]?.aborted === true || mock.requests[0]?.bodyCancelled === true,
      'the stream to close',
    );
  });

  it('cancel mid-stream: status cancelled, partial output kept, the request closed', async () => {
    mock.reply({ type: 'text', text: ['partial', ' rest'], chunkDelayMs: [0, 60_000] });
    const controller = new AbortController();
    const events: ExecutionEvent[] = [];
    for await (const event of setup().stream({
      agentId: 'echo',
      input: { text: 'x' },
      mode: 'live',
      tenant,
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === 'output-delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({
      type: 'execution-error',
      error: { code: 'cancelled' },
      result: { status: 'cancelled', output: 'partial' },
    });
    await until(
      () => mock.requests[0]?.aborted === true || mock.requests[0]?.bodyCancelled === true,
      'the stream to close',
    );
    expect(mock.requests[0]?.bodyCompleted).toBe(false);
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

  it('structured output: a valid object succeeds, an invalid one is output_invalid', async () => {
    mock.reply(
      { type: 'object', object: { summary: 'Short.', words: 1 } },
      { type: 'object', object: { summary: 'Short.', words: 'one' } },
    );
    const executor = setup();
    const valid = await executor.execute({
      agentId: 'summarize',
      input: { text: 'A long text.' },
      mode: 'live',
      tenant,
    });
    expect(valid).toMatchObject({ status: 'succeeded', output: { summary: 'Short.', words: 1 } });
    expect(mock.requests[0]?.body).toMatchObject({ tool_choice: { type: 'tool', name: 'summarize' } });
    const invalid = await executor.execute({
      agentId: 'summarize',
      input: { text: 'A long text.' },
      mode: 'live',
      tenant,
    });
    expect(invalid).toMatchObject({ status: 'failed', error: { code: 'output_invalid' } });
    expect(invalid.status === 'failed' && invalid.error.issues?.[0]?.path).toEqual(['words']);
  });

  it('health(): the executor reports the provider reachable', async () => {
    const report = await setup().health();
    expect(report.providers.anthropic).toMatchObject({ status: 'ok', configured: true });
    expect(mock.modelRequests).toBe(1);
  });

  it('the API key never appears in any log line, error or result', async () => {
    const lines: string[] = [];
    mock.reply(
      { type: 'error', status: 401, message: `invalid x-api-key: ${API_KEY}` },
      { type: 'error', status: 400, message: `Authorization: Bearer ${API_KEY} is not valid here` },
      { type: 'text', text: `echo of ${API_KEY}` },
    );
    const executor = setup({ ...fastPolicy, maxRetries: 0 }, { lines });
    const results = [];
    for (let index = 0; index < 3; index += 1) {
      results.push(await executor.execute({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant }));
    }
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const text of [...lines, JSON.stringify(results)]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('exec0123456789');
    }
    expect(JSON.stringify(results)).toContain('[REDACTED]');
  });
});
