import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../agent';
import { type AgentryError, isAgentryError } from '../../errors';
import { type LogFields, type Logger, silentLogger } from '../../logging';
import { createAnthropicMock } from '../../testing';
import type { ProviderAdapter, ProviderEvent, ProviderRequest } from '../types';
import { anthropicProvider } from './anthropic-provider';

const API_KEY = 'sk-ant-api03-test0123456789abcdefSECRET';
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/anthropic/${name}`, import.meta.url), 'utf8');

const mock = createAnthropicMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

const agent = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  prompt: ({ text }) => text,
});

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    agent,
    input: { text: 'hello' },
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in English.' },
      { role: 'user', content: 'hello' },
    ],
    model: 'claude-sonnet-4-5',
    mode: 'live',
    executionId: 'exe_test',
    attempt: 1,
    ...overrides,
  };
}

function context(signal: AbortSignal = new AbortController().signal) {
  return { signal, tenant: { tenantId: 'ws_1', userId: 'user_1' }, logger: silentLogger };
}

async function collect(
  provider: ProviderAdapter,
  req: ProviderRequest,
  signal?: AbortSignal,
): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const event of provider.stream!(req, context(signal))) events.push(event);
  return events;
}

async function failure(promise: Promise<unknown>): Promise<AgentryError> {
  try {
    await promise;
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw new Error(`expected an AgentryError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

const summarySchema = z.object({ summary: z.string(), words: z.number() });
const schemaRequest = () =>
  request({ outputSchema: { name: 'summary', schema: z.toJSONSchema(summarySchema) as Record<string, unknown> } });

describe('anthropicProvider: execute', () => {
  it('sends system messages as `system`, max_tokens by default, and maps the answer', async () => {
    mock.reply({ type: 'text', text: 'Hi!', usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 20 } });
    const provider = anthropicProvider({ apiKey: API_KEY });
    const response = await provider.execute(request(), context());
    expect(response).toEqual({
      text: 'Hi!',
      usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 20 },
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      model: 'claude-sonnet-4-5',
      requestId: 'req_mock_1',
    });
    const [sent] = mock.requests;
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: 'Be brief.\n\nAnswer in English.',
      messages: [{ role: 'user', content: 'hello' }],
      stream: false,
    });
    // SDK 1.x authenticates with a bearer token: the redactor covers it.
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(mock.requests).toHaveLength(1);
  });

  it('uses the agent maxOutputTokens, else the defaultMaxTokens option', async () => {
    mock.reply({ type: 'text', text: 'a' }, { type: 'text', text: 'b' });
    await anthropicProvider({ apiKey: API_KEY }).execute(request({ maxOutputTokens: 256 }), context());
    await anthropicProvider({ apiKey: API_KEY, defaultMaxTokens: 2048 }).execute(request(), context());
    expect(mock.requests.map((sent) => (sent.body as { max_tokens: number }).max_tokens)).toEqual([256, 2048]);
  });

  it('maps stop reasons: max_tokens → length, refusal → content_filter, tool_use → tool_calls', async () => {
    mock.reply(
      { type: 'text', text: 'cut', finishReason: 'max_tokens' },
      { type: 'text', text: '', finishReason: 'refusal' },
      { type: 'text', text: '', finishReason: 'tool_use' },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    const responses = [];
    for (let index = 0; index < 3; index += 1) responses.push(await provider.execute(request(), context()));
    expect(responses.map((response) => response.finishReason)).toEqual(['length', 'content_filter', 'tool_calls']);
    expect(responses.map((response) => response.rawFinishReason)).toEqual(['max_tokens', 'refusal', 'tool_use']);
    // A refusal is never an (empty) success: the response carries the refusal error.
    expect(responses.map((response) => response.error?.code)).toEqual([undefined, 'output_invalid', undefined]);
  });

  it('refuses a temperature setting with a clear error instead of dropping it', async () => {
    const error = await failure(
      anthropicProvider({ apiKey: API_KEY }).execute(request({ temperature: 0.2 }), context()),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: false });
    expect(error.message).toMatch(/temperature/);
    expect(mock.requests).toHaveLength(0);
  });

  it('uses a client instance it is given, with the SDK retries still off per request', async () => {
    mock.reply({ type: 'error', status: 529 }, { type: 'text', text: 'too late' });
    const client = new Anthropic({ apiKey: API_KEY, maxRetries: 5, baseURL: 'https://api.anthropic.com' });
    const provider = anthropicProvider({ client });
    expect(provider.secrets?.map((secret) => secret.reveal())).toEqual([API_KEY]);
    const error = await failure(provider.execute(request(), context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(mock.requests).toHaveLength(1);
  });

  it('fails with provider_not_configured without a key', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    try {
      const error = await failure(anthropicProvider().execute(request(), context()));
      expect(error.code).toBe('provider_not_configured');
      expect(error.message).toContain('ANTHROPIC_API_KEY');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('anthropicProvider: stream', () => {
  it('streams text deltas in order; usage takes the latest value of each field', async () => {
    mock.reply({
      type: 'text',
      text: ['Hel', 'lo', '!'],
      usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 10 },
    });
    const events = await collect(anthropicProvider({ apiKey: API_KEY }), request());
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 40, outputTokens: 1, cachedInputTokens: 10 } },
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'text-delta', delta: '!' },
      { type: 'usage', usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 10 } },
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'end_turn',
        model: 'claude-sonnet-4-5',
        requestId: 'req_mock_1',
      },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('fails clearly when the stream ends before message_stop', async () => {
    mock.reply({ type: 'text', text: ['partial'], truncate: true });
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of anthropicProvider({ apiKey: API_KEY }).stream!(request(), context()))
          events.push(event);
      })(),
    );
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: 'partial' }]);
    expect(error).toMatchObject({ code: 'provider_error', retryable: true, requestId: 'req_mock_1' });
    expect(error.message).toMatch(/ended before message_stop/);
  });

  it('fails clearly on a malformed SSE event', async () => {
    mock.reply({
      type: 'raw',
      body: 'event: message_start\ndata: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta",\n\n',
    });
    const error = await failure(collect(anthropicProvider({ apiKey: API_KEY }), request()));
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/malformed stream event/);
  });

  it('an error event mid-stream (overloaded) is a retryable provider_error; rate_limit_error is rate_limited', async () => {
    const start =
      'event: message_start\ndata: {"type":"message_start","message":{"model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}\n\n';
    mock.reply(
      {
        type: 'raw',
        body: `${start}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n`,
      },
      {
        type: 'raw',
        body: `${start}event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}\n\n`,
      },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    expect(await failure(collect(provider, request()))).toMatchObject({ code: 'provider_error', retryable: true });
    expect(await failure(collect(provider, request()))).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('cancel mid-stream aborts the HTTP request and ends with cancelled', async () => {
    mock.reply({ type: 'text', text: ['first', ' second'], chunkDelayMs: [0, 60_000] });
    const controller = new AbortController();
    const seen: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of anthropicProvider({ apiKey: API_KEY }).stream!(
          request(),
          context(controller.signal),
        )) {
          seen.push(event);
          if (event.type === 'text-delta') controller.abort();
        }
      })(),
    );
    expect(seen.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: 'first' }]);
    expect(error.code).toBe('cancelled');
    await vi.waitFor(() => expect(mock.requests[0]?.aborted || mock.requests[0]?.bodyCancelled).toBe(true));
    expect(mock.requests[0]?.bodyCompleted).toBe(false);
  });
});

describe('anthropicProvider: structured output through a forced tool', () => {
  it('forces the output tool and returns its input as the object (JSON and streamed)', async () => {
    mock.reply(
      { type: 'object', object: { summary: 'short', words: 1 } },
      { type: 'object', object: { summary: 'streamed', words: 1 } },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    const response = await provider.execute(schemaRequest(), context());
    expect(response).toMatchObject({ object: { summary: 'short', words: 1 }, finishReason: 'stop' });
    expect(JSON.parse(response.text)).toEqual({ summary: 'short', words: 1 });
    expect(mock.requests[0]?.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'summary' },
      tools: [
        {
          name: 'summary',
          input_schema: {
            type: 'object',
            properties: { summary: { type: 'string' }, words: { type: 'number' } },
            required: ['summary', 'words'],
          },
        },
      ],
    });

    const events = await collect(provider, schemaRequest());
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(JSON.parse(text)).toEqual({ summary: 'streamed', words: 1 });
    expect(events.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      object: { summary: 'streamed', words: 1 },
    });
  });

  it('wraps a non-object schema as { value } and unwraps the answer', async () => {
    mock.reply({ type: 'object', object: { value: ['a', 'b'] } });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(
      request({
        outputSchema: { name: 'tags', schema: z.toJSONSchema(z.array(z.string())) as Record<string, unknown> },
      }),
      context(),
    );
    expect(response.object).toEqual(['a', 'b']);
    expect(mock.requests[0]?.body).toMatchObject({
      tools: [{ input_schema: { type: 'object', required: ['value'] } }],
    });
  });

  it('answers output_invalid when Claude answers text instead of calling the tool, keeping the billed usage', async () => {
    mock.reply({ type: 'text', text: 'I would rather chat.', usage: { inputTokens: 25, outputTokens: 6 } });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(schemaRequest(), context());
    expect(response.error?.code).toBe('output_invalid');
    expect(response.error?.message).toContain('did not call the output tool');
    expect(response.usage).toMatchObject({ inputTokens: 25, outputTokens: 6 });
  });
});

describe('anthropicProvider: errors', () => {
  it.each([
    [401, 'provider_auth_failed', false],
    [403, 'provider_auth_failed', false],
    [400, 'provider_error', false],
    [404, 'provider_error', false],
    [413, 'provider_error', false],
    [408, 'provider_error', true],
    [409, 'provider_error', true],
    [500, 'provider_error', true],
    [529, 'provider_error', true],
    [429, 'rate_limited', true],
  ] as const)('HTTP %i → %s (retryable: %s), one request only', async (status, code, retryable) => {
    mock.reply({ type: 'error', status });
    const error = await failure(anthropicProvider({ apiKey: API_KEY }).execute(request(), context()));
    expect({ code: error.code, retryable: error.retryable, provider: error.provider }).toEqual({
      code,
      retryable,
      provider: 'anthropic',
    });
    expect(error.requestId).toBe('req_mock_1');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(mock.requests).toHaveLength(1);
  });

  it('529 says overloaded; 429 carries retry-after', async () => {
    mock.reply({ type: 'error', status: 529 }, { type: 'error', status: 429, headers: { 'retry-after': '3' } });
    const provider = anthropicProvider({ apiKey: API_KEY });
    expect((await failure(provider.execute(request(), context()))).message).toContain('overloaded_error');
    expect((await failure(provider.execute(request(), context()))).retryAfterMs).toBe(3000);
  });

  it('a network error is a retryable provider_error; an abort is cancelled', async () => {
    mock.reply({ type: 'network-error' }, { type: 'hang' });
    const provider = anthropicProvider({ apiKey: API_KEY });
    expect(await failure(provider.execute(request(), context()))).toMatchObject({
      code: 'provider_error',
      retryable: true,
    });
    const controller = new AbortController();
    const pending = failure(provider.execute(request(), context(controller.signal)));
    await vi.waitFor(() => expect(mock.requests).toHaveLength(2));
    controller.abort();
    expect((await pending).code).toBe('cancelled');
    await vi.waitFor(() => expect(mock.requests[1]?.aborted).toBe(true));
  });

  it("does not repeat a network error's own words (they can name internal hosts): it logs them", async () => {
    const logged: { event: string; fields: LogFields | undefined }[] = [];
    const logger: Logger = { ...silentLogger, error: (event, fields) => logged.push({ event, fields }) };
    const unreachable: typeof fetch = async () => {
      throw new TypeError('connect ECONNREFUSED 10.0.0.7:443 through proxy.corp.internal');
    };
    const provider = anthropicProvider({ apiKey: API_KEY, fetch: unreachable });
    const error = await failure(provider.execute(request(), { ...context(), logger }));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toMatch(/network error/);
    expect(JSON.stringify(error)).not.toMatch(/proxy\.corp\.internal|10\.0\.0\.7/);
    expect(logged).toEqual([
      {
        event: 'agentry.provider.network_error',
        fields: expect.objectContaining({
          provider: 'anthropic',
          error_message: expect.stringContaining('ECONNREFUSED 10.0.0.7:443 through proxy.corp.internal'),
        }),
      },
    ]);
  });

  it('never puts the API key in an error, even when the provider echoes it', async () => {
    mock.reply(
      { type: 'error', status: 401, message: `invalid x-api-key ${API_KEY}` },
      { type: 'error', status: 400, message: `header x-api-key: ${API_KEY} and Authorization: Bearer ${API_KEY}` },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    for (const error of [
      await failure(provider.execute(request(), context())),
      await failure(provider.execute(request(), context())),
    ]) {
      expect(JSON.stringify({ message: error.message, json: error.toJSON() })).not.toContain('test0123456789');
    }
  });
});

describe('anthropicProvider: health', () => {
  it('is ok when GET /v1/models answers, unconfigured without a key', async () => {
    expect(
      await anthropicProvider({ apiKey: API_KEY }).health!({ signal: new AbortController().signal }),
    ).toMatchObject({
      status: 'ok',
      configured: true,
    });
    expect(mock.modelRequests).toBe(1);
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    try {
      expect(await anthropicProvider().health!({ signal: new AbortController().signal })).toMatchObject({
        status: 'unconfigured',
        configured: false,
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is down after healthTimeoutMs when the API does not answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hanging = createAnthropicMock({ models: { type: 'hang' } });
    server.use(...hanging.handlers);
    try {
      const pending = anthropicProvider({ apiKey: API_KEY, healthTimeoutMs: 300 }).health!({
        signal: new AbortController().signal,
      });
      await vi.advanceTimersByTimeAsync(300);
      expect(await pending).toMatchObject({ status: 'down', message: 'Anthropic did not answer within 300 ms.' });
    } finally {
      server.resetHandlers();
    }
  });
});

describe('anthropicProvider: replaying real recordings', () => {
  it('a recorded JSON message', async () => {
    const body = JSON.parse(fixture('messages-text.json'));
    mock.reply({ type: 'json', body });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response).toMatchObject({
      text: body.content[0].text,
      usage: { inputTokens: 12, outputTokens: 29, cachedInputTokens: 0 },
      finishReason: 'stop',
      model: 'claude-sonnet-4-5-20250929',
    });
  });

  it('a recorded JSON message with cache reads (input counts cache reads) and max_tokens', async () => {
    mock.reply({ type: 'json', body: JSON.parse(fixture('messages-cache-read.json')) });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response.usage).toEqual({ inputTokens: 11 + 2055, outputTokens: 100, cachedInputTokens: 2055 });
    expect(response.finishReason).toBe('length');
  });

  it('a recorded text stream with ping and padded JSON', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-text-stream.sse') });
    const events = await collect(anthropicProvider({ apiKey: API_KEY }), request());
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: '2' }]);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 20, outputTokens: 5, cachedInputTokens: 0 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', model: 'claude-sonnet-4-5-20250929' });
  });

  it('a recorded stream whose message_delta carries only output_tokens keeps the cache reads from message_start', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-stream-cache-read.sse') });
    const events = await collect(anthropicProvider({ apiKey: API_KEY }), request());
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 11 + 1031, outputTokens: 100, cachedInputTokens: 1031 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });

  it('a recorded tool_use stream: text block streamed, tool block ignored in text mode', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-tool-use-stream.sse') });
    const events = await collect(anthropicProvider({ apiKey: API_KEY }), request());
    expect(events.some((event) => event.type === 'text-delta')).toBe(true);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 599, outputTokens: 135 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('a recorded current-format stream with server tools: unknown blocks ignored, latest usage wins', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-server-tool-and-tool-use-stream.sse') });
    const events = await collect(anthropicProvider({ apiKey: API_KEY }), request());
    expect(events.some((event) => event.type === 'text-delta')).toBe(true);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 1595, outputTokens: 143, cachedInputTokens: 0 },
    });
  });

  it('recorded 401 and 400 error bodies', async () => {
    mock.reply(
      {
        type: 'raw',
        status: 401,
        contentType: 'application/json',
        body: fixture('error-401-authentication-error.json'),
        headers: { 'x-should-retry': 'false' },
      },
      {
        type: 'raw',
        status: 400,
        contentType: 'application/json',
        body: fixture('error-400-invalid-request-error.json'),
      },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    const auth = await failure(provider.execute(request(), context()));
    const bad = await failure(provider.execute(request(), context()));
    expect(auth).toMatchObject({ code: 'provider_auth_failed', retryable: false, requestId: 'req_mock_1' });
    expect(bad).toMatchObject({ code: 'provider_error', retryable: false });
    expect(bad.message).toContain('Input does not match the expected shape');
  });
});
