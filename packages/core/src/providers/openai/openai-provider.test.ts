import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../agent';
import { type AgentryError, isAgentryError } from '../../errors';
import { type LogFields, type Logger, silentLogger } from '../../logging';
import { createOpenAIMock } from '../../testing';
import type { ProviderAdapter, ProviderEvent, ProviderRequest } from '../types';
import { openaiProvider } from './openai-provider';

const API_KEY = 'sk-proj-test0123456789abcdefSECRET';
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/openai/${name}`, import.meta.url), 'utf8');

const mock = createOpenAIMock();
const compatible = createOpenAIMock({ baseURL: 'http://127.0.0.1:11434/v1' });
const server = setupServer(...mock.handlers, ...compatible.handlers);

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  compatible.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

const textAgent = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 64 },
  prompt: ({ text }) => [
    { role: 'system', content: 'Repeat the text.' },
    { role: 'user', content: text },
  ],
});

const summarySchema = z.object({ summary: z.string(), words: z.number() });

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    agent: textAgent,
    input: { text: 'hello' },
    messages: [
      { role: 'system', content: 'Repeat the text.' },
      { role: 'user', content: 'hello' },
    ],
    model: 'gpt-4.1-mini',
    maxOutputTokens: 64,
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

function expectNoKey(value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain('test0123456789');
}

describe('openaiProvider: execute', () => {
  it('sends a Chat Completions request and maps text, usage, finish reason, model and request id', async () => {
    mock.reply({
      type: 'text',
      text: 'hello back',
      usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 8, reasoningTokens: 1 },
      model: 'gpt-4.1-mini-2025-04-14',
    });
    const provider = openaiProvider({ apiKey: API_KEY });
    const response = await provider.execute(request(), context());

    expect(response).toEqual({
      text: 'hello back',
      usage: { inputTokens: 21, outputTokens: 3, cachedInputTokens: 8, reasoningTokens: 1 },
      finishReason: 'stop',
      rawFinishReason: 'stop',
      model: 'gpt-4.1-mini-2025-04-14',
      requestId: 'req_mock_1',
    });
    expect(mock.requests).toHaveLength(1);
    const [sent] = mock.requests;
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.body).toEqual({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'Repeat the text.' },
        { role: 'user', content: 'hello' },
      ],
      max_completion_tokens: 64,
      stream: false,
    });
  });

  it('maps the finish reasons length, content_filter and tool_calls', async () => {
    mock.reply(
      { type: 'text', text: 'cut', finishReason: 'length' },
      { type: 'text', text: '', finishReason: 'content_filter' },
      { type: 'text', text: '', finishReason: 'tool_calls' },
    );
    const provider = openaiProvider({ apiKey: API_KEY });
    const reasons = [];
    for (let index = 0; index < 3; index += 1)
      reasons.push((await provider.execute(request(), context())).finishReason);
    expect(reasons).toEqual(['length', 'content_filter', 'tool_calls']);
  });

  it('works with an OpenAI-compatible server through baseURL, with max_tokens when asked', async () => {
    compatible.reply({ type: 'text', text: 'local answer' });
    const provider = openaiProvider({
      apiKey: 'local-key-unused',
      baseURL: 'http://127.0.0.1:11434/v1',
      maxTokensParameter: 'max_tokens',
      defaultHeaders: { 'x-gateway-route': 'local' },
    });
    const response = await provider.execute(request(), context());
    expect(response.text).toBe('local answer');
    expect(compatible.requests[0]?.body).toMatchObject({ max_tokens: 64 });
    expect(compatible.requests[0]?.body).not.toHaveProperty('max_completion_tokens');
    expect(compatible.requests[0]?.headers['x-gateway-route']).toBe('local');
    expect(mock.requests).toHaveLength(0);
  });

  it('uses a client instance it is given, with the SDK retries still off per request', async () => {
    mock.reply({ type: 'error', status: 500 }, { type: 'text', text: 'too late' });
    const client = new OpenAI({ apiKey: API_KEY, maxRetries: 5 });
    const provider = openaiProvider({ client });
    expect(provider.secrets?.map((secret) => secret.reveal())).toEqual([API_KEY]);
    const error = await failure(provider.execute(request(), context()));
    expect(error.code).toBe('provider_error');
    expect(mock.requests).toHaveLength(1);
  });

  it('fails with provider_not_configured when there is no key, naming the fix', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    try {
      const provider = openaiProvider();
      const error = await failure(provider.execute(request(), context()));
      expect(error.code).toBe('provider_not_configured');
      expect(error.message).toContain('OPENAI_API_KEY');
      expect(mock.requests).toHaveLength(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reads OPENAI_API_KEY when no key is passed, and lists it as a secret', async () => {
    vi.stubEnv('OPENAI_API_KEY', API_KEY);
    try {
      mock.reply({ type: 'text', text: 'from env' });
      const provider = openaiProvider();
      expect(provider.secrets?.map((secret) => secret.reveal())).toEqual([API_KEY]);
      expectNoKey(provider);
      expect((await provider.execute(request(), context())).text).toBe('from env');
      expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('openaiProvider: stream', () => {
  it('streams deltas in order, asks for usage and reports it before finish', async () => {
    mock.reply({ type: 'text', text: ['Hel', 'lo', ' world'], usage: { inputTokens: 12, outputTokens: 3 } });
    const provider = openaiProvider({ apiKey: API_KEY });
    const events = await collect(provider, request());

    expect(events).toEqual([
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'text-delta', delta: ' world' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', model: 'gpt-4.1-mini', requestId: 'req_mock_1' },
    ]);
    expect(mock.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(mock.requests[0]?.bodyCompleted).toBe(true);
  });

  it('fails clearly when the stream ends before the model finished (truncated)', async () => {
    mock.reply({ type: 'text', text: ['partial', ' answer'], truncate: true });
    const provider = openaiProvider({ apiKey: API_KEY });
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of provider.stream!(request(), context())) events.push(event);
      })(),
    );
    expect(events).toEqual([
      { type: 'text-delta', delta: 'partial' },
      { type: 'text-delta', delta: ' answer' },
    ]);
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/stream ended before the model finished/);
    expect(error.requestId).toBe('req_mock_1');
  });

  it('fails clearly on a malformed SSE event', async () => {
    mock.reply({
      type: 'raw',
      body: [
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}\n\n',
        'data: {"id":"c1","choices":[{"index":0,"delta":{"content":\n\n',
      ],
    });
    const provider = openaiProvider({ apiKey: API_KEY });
    const error = await failure(collect(provider, request()));
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/malformed stream event/);
  });

  it('cancel mid-stream aborts the HTTP request and ends with cancelled', async () => {
    // The second chunk would come a minute later: the test aborts long before, without waiting.
    mock.reply({ type: 'text', text: ['first', ' second'], chunkDelayMs: [0, 60_000] });
    const provider = openaiProvider({ apiKey: API_KEY });
    const controller = new AbortController();
    const seen: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of provider.stream!(request(), context(controller.signal))) {
          seen.push(event);
          if (event.type === 'text-delta') controller.abort();
        }
      })(),
    );
    expect(seen).toEqual([{ type: 'text-delta', delta: 'first' }]);
    expect(error.code).toBe('cancelled');
    await vi.waitFor(() => expect(mock.requests[0]?.aborted || mock.requests[0]?.bodyCancelled).toBe(true));
    expect(mock.requests[0]?.bodyCompleted).toBe(false);
  });

  it('breaking out of the loop closes the request', async () => {
    mock.reply({ type: 'text', text: ['one', ' two', ' three'], chunkDelayMs: [0, 60_000] });
    const provider = openaiProvider({ apiKey: API_KEY });
    for await (const event of provider.stream!(request(), context())) {
      if (event.type === 'text-delta') break;
    }
    await vi.waitFor(() => expect(mock.requests[0]?.aborted || mock.requests[0]?.bodyCancelled).toBe(true));
  });
});

describe('openaiProvider: structured output', () => {
  const schemaRequest = () =>
    request({ outputSchema: { name: 'summary', schema: z.toJSONSchema(summarySchema) as Record<string, unknown> } });

  it('asks for a strict json_schema response and returns the parsed object', async () => {
    mock.reply({ type: 'object', object: { summary: 'short', words: 1 } });
    const provider = openaiProvider({ apiKey: API_KEY });
    const response = await provider.execute(schemaRequest(), context());
    expect(response.object).toEqual({ summary: 'short', words: 1 });
    expect(JSON.parse(response.text)).toEqual({ summary: 'short', words: 1 });
    expect(mock.requests[0]?.body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'summary',
          strict: true,
          schema: {
            type: 'object',
            properties: { summary: { type: 'string' }, words: { type: 'number' } },
            required: ['summary', 'words'],
            additionalProperties: false,
          },
        },
      },
    });
    const sentFormat = mock.requests[0]?.body as { response_format?: { json_schema?: { schema?: object } } };
    expect(sentFormat.response_format?.json_schema?.schema).not.toHaveProperty('$schema');
  });

  it('streams the JSON text and puts the parsed object on finish', async () => {
    mock.reply({ type: 'object', object: { summary: 'streamed summary', words: 2 } });
    const provider = openaiProvider({ apiKey: API_KEY });
    const events = await collect(provider, schemaRequest());
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(events.filter((event) => event.type === 'text-delta').length).toBeGreaterThan(1);
    expect(JSON.parse(text)).toEqual({ summary: 'streamed summary', words: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'finish', object: { summary: 'streamed summary', words: 2 } });
  });

  it('turns strict off for schemas with optional fields, and wraps non-object schemas', async () => {
    mock.reply({ type: 'object', object: { value: ['a', 'b'] } });
    const provider = openaiProvider({ apiKey: API_KEY });
    const response = await provider.execute(
      request({
        outputSchema: { name: 'tags list!', schema: z.toJSONSchema(z.array(z.string())) as Record<string, unknown> },
      }),
      context(),
    );
    expect(response.object).toEqual(['a', 'b']);
    expect(response.text).toBe('["a","b"]');
    expect(mock.requests[0]?.body).toMatchObject({
      response_format: {
        json_schema: { name: 'tags_list_', strict: true, schema: { type: 'object', required: ['value'] } },
      },
    });

    mock.reply({ type: 'object', object: { summary: 'x' } });
    await provider.execute(
      request({
        outputSchema: {
          name: 'optional',
          schema: z.toJSONSchema(z.object({ summary: z.string(), note: z.string().optional() })) as Record<
            string,
            unknown
          >,
        },
      }),
      context(),
    );
    expect(mock.requests[1]?.body).toMatchObject({ response_format: { json_schema: { strict: false } } });
  });

  it('answers output_invalid when the model returns text that is not JSON, keeping the billed usage', async () => {
    mock.reply({ type: 'text', text: 'Sorry, here is prose.', usage: { inputTokens: 30, outputTokens: 5 } });
    const provider = openaiProvider({ apiKey: API_KEY });
    const response = await provider.execute(schemaRequest(), context());
    expect(response.error?.code).toBe('output_invalid');
    expect(response.error?.retryable).toBe(false);
    expect(response.usage).toMatchObject({ inputTokens: 30, outputTokens: 5 });
  });
});

describe('openaiProvider: errors', () => {
  it.each([
    [401, 'provider_auth_failed', false],
    [403, 'provider_auth_failed', false],
    [400, 'provider_error', false],
    [404, 'provider_error', false],
    [422, 'provider_error', false],
    [408, 'provider_error', true],
    [409, 'provider_error', true],
    [500, 'provider_error', true],
    [503, 'provider_error', true],
    [429, 'rate_limited', true],
  ] as const)('HTTP %i → %s (retryable: %s), one request only', async (status, code, retryable) => {
    mock.reply({ type: 'error', status });
    const provider = openaiProvider({ apiKey: API_KEY });
    const error = await failure(provider.execute(request(), context()));
    expect({ code: error.code, retryable: error.retryable, provider: error.provider }).toEqual({
      code,
      retryable,
      provider: 'openai',
    });
    expect(error.requestId).toBe('req_mock_1');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(mock.requests).toHaveLength(1);
  });

  it('429 carries the server retry-after (seconds, HTTP date, or retry-after-ms)', async () => {
    mock.reply(
      { type: 'error', status: 429, headers: { 'retry-after': '2' } },
      { type: 'error', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '2' } },
      { type: 'error', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota.' },
    );
    const provider = openaiProvider({ apiKey: API_KEY });
    const first = await failure(provider.execute(request(), context()));
    const second = await failure(provider.execute(request(), context()));
    const quota = await failure(provider.execute(request(), context()));
    expect(first.retryAfterMs).toBe(2000);
    expect(second.retryAfterMs).toBe(1500);
    expect(quota).toMatchObject({ code: 'rate_limited', retryable: false });
    expect(quota.message).toMatch(/quota/);
  });

  it('a network error is a retryable provider_error', async () => {
    mock.reply({ type: 'network-error' });
    const provider = openaiProvider({ apiKey: API_KEY });
    const error = await failure(provider.execute(request(), context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toMatch(/Could not reach OpenAI/);
  });

  it('an abort before the answer is cancelled, and the server sees the request aborted', async () => {
    mock.reply({ type: 'hang' });
    const provider = openaiProvider({ apiKey: API_KEY });
    const controller = new AbortController();
    const pending = failure(provider.execute(request(), context(controller.signal)));
    await vi.waitFor(() => expect(mock.requests).toHaveLength(1));
    controller.abort();
    expect((await pending).code).toBe('cancelled');
    await vi.waitFor(() => expect(mock.requests[0]?.aborted).toBe(true));
  });

  it("does not repeat a network error's own words (they can name internal hosts): it logs them", async () => {
    const logged: { event: string; fields: LogFields | undefined }[] = [];
    const logger: Logger = { ...silentLogger, error: (event, fields) => logged.push({ event, fields }) };
    const unreachable: typeof fetch = async () => {
      throw new TypeError('connect ECONNREFUSED 10.0.0.7:443 through proxy.corp.internal');
    };
    const provider = openaiProvider({ apiKey: API_KEY, fetch: unreachable });
    const error = await failure(provider.execute(request(), { ...context(), logger }));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toMatch(/network error/);
    expect(JSON.stringify(error)).not.toMatch(/proxy\.corp\.internal|10\.0\.0\.7/);
    expect(logged).toEqual([
      {
        event: 'agentry.provider.network_error',
        fields: expect.objectContaining({
          provider: 'openai',
          error_message: expect.stringContaining('ECONNREFUSED 10.0.0.7:443 through proxy.corp.internal'),
        }),
      },
    ]);
  });

  it('never puts the API key in an error, even when the provider echoes it', async () => {
    mock.reply(
      { type: 'error', status: 401, message: `Incorrect API key provided: ${API_KEY}.` },
      { type: 'error', status: 400, message: `Bad value ${API_KEY} in header Authorization: Bearer ${API_KEY}` },
    );
    const provider = openaiProvider({ apiKey: API_KEY });
    const auth = await failure(provider.execute(request(), context()));
    const bad = await failure(provider.execute(request(), context()));
    for (const error of [auth, bad]) {
      expectNoKey(error.message);
      expectNoKey(error.toJSON());
      expectNoKey(String(error.cause ?? ''));
    }
    expect(bad.message).toContain('[REDACTED]');
  });
});

describe('openaiProvider: health', () => {
  it('is ok when GET /models answers', async () => {
    const provider = openaiProvider({ apiKey: API_KEY });
    const health = await provider.health!({ signal: new AbortController().signal });
    expect(health).toMatchObject({ status: 'ok', configured: true });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(mock.modelRequests).toBe(1);
  });

  it('is unconfigured without a key, and makes no call', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    try {
      const health = await openaiProvider().health!({ signal: new AbortController().signal });
      expect(health).toMatchObject({ status: 'unconfigured', configured: false });
      expect(mock.modelRequests).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is down when the key is rejected, without echoing it', async () => {
    const rejecting = createOpenAIMock({ models: { type: 'error', status: 401, message: `bad key ${API_KEY}` } });
    server.use(...rejecting.handlers);
    try {
      const health = await openaiProvider({ apiKey: API_KEY }).health!({ signal: new AbortController().signal });
      expect(health.status).toBe('down');
      expect(health.message).toMatch(/rejected the credentials/);
      expectNoKey(health);
    } finally {
      server.resetHandlers();
    }
  });

  it('is down when GET /models does not answer within healthTimeoutMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hanging = createOpenAIMock({ models: { type: 'hang' } });
    server.use(...hanging.handlers);
    try {
      const pending = openaiProvider({ apiKey: API_KEY, healthTimeoutMs: 500 }).health!({
        signal: new AbortController().signal,
      });
      await vi.advanceTimersByTimeAsync(500);
      const health = await pending;
      expect(health).toMatchObject({
        status: 'down',
        configured: true,
        message: 'OpenAI did not answer within 500 ms.',
      });
    } finally {
      server.resetHandlers();
    }
  });
});

describe('openaiProvider: replaying real recordings', () => {
  it('a recorded JSON completion: text, usage with cached and reasoning tokens', async () => {
    const body = JSON.parse(fixture('chat-completion-text.json'));
    mock.reply({ type: 'json', body });
    const response = await openaiProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response.text).toBe(body.choices[0].message.content);
    expect(response.usage).toEqual({
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
      cachedInputTokens: body.usage.prompt_tokens_details.cached_tokens,
      reasoningTokens: body.usage.completion_tokens_details.reasoning_tokens,
    });
    expect(response.model).toBe(body.model);
  });

  it('a recorded stream with include_usage (obfuscation field, usage chunk with choices: [])', async () => {
    mock.reply({ type: 'raw', body: fixture('chat-completion-stream-include-usage.sse') });
    const events = await collect(openaiProvider({ apiKey: API_KEY }), request());
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(text.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 78, outputTokens: 9, cachedInputTokens: 0, reasoningTokens: 0 } },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', model: 'gpt-4o-mini-2024-07-18' });
  });

  it('a recorded stream with cached tokens and finish_reason length', async () => {
    mock.reply({ type: 'raw', body: fixture('chat-completion-stream-cached-tokens.sse') });
    const events = await collect(openaiProvider({ apiKey: API_KEY }), request());
    const usage = events.find((event) => event.type === 'usage');
    expect(usage).toMatchObject({ usage: { cachedInputTokens: 1280 } });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });

  it('a recorded Azure stream whose first chunk has no choices', async () => {
    mock.reply({ type: 'raw', body: fixture('azure-chat-completion-stream-content-filter.sse') });
    const events = await collect(openaiProvider({ apiKey: API_KEY }), request());
    expect(events.some((event) => event.type === 'text-delta')).toBe(true);
    expect(events.find((event) => event.type === 'usage')).toMatchObject({ usage: { reasoningTokens: 64 } });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('a recorded tool-call stream finishes with tool_calls and no text', async () => {
    mock.reply({ type: 'raw', body: fixture('chat-completion-tool-call-stream.sse') });
    const events = await collect(openaiProvider({ apiKey: API_KEY }), request());
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('a recorded structured-output completion parses into the object', async () => {
    const body = JSON.parse(fixture('chat-completion-json-schema.json'));
    mock.reply({ type: 'json', body });
    const response = await openaiProvider({ apiKey: API_KEY }).execute(
      request({
        outputSchema: { name: 'answer', schema: { type: 'object', properties: {}, additionalProperties: true } },
      }),
      context(),
    );
    expect(response.object).toEqual(JSON.parse(body.choices[0].message.content));
  });

  it('recorded 401 and 400 error bodies map to auth failure and a non-retryable error', async () => {
    mock.reply(
      {
        type: 'raw',
        status: 401,
        contentType: 'application/json; charset=utf-8',
        body: fixture('error-401-invalid-api-key.json'),
      },
      {
        type: 'raw',
        status: 400,
        contentType: 'application/json',
        body: fixture('error-400-unsupported-parameter.json'),
      },
    );
    const provider = openaiProvider({ apiKey: API_KEY });
    const auth = await failure(provider.execute(request(), context()));
    const bad = await failure(provider.execute(request(), context()));
    expect(auth).toMatchObject({ code: 'provider_auth_failed', retryable: false });
    expect(auth.message).toContain('invalid_api_key');
    expect(bad).toMatchObject({ code: 'provider_error', retryable: false });
    expect(bad.message).toContain('unsupported_parameter');
    expect(bad.message).toContain('max_tokens');
  });
});
