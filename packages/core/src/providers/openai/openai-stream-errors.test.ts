// Errors that arrive inside a 200 stream (or a 200 JSON body) from OpenAI-compatible servers are
// classified exactly as the same status over HTTP, and name the real server. Shapes, with sources:
// - OpenRouter: `{ id, object: 'chat.completion.chunk', provider, error: { code, message, metadata? },
//   choices: [{ delta: { content: '' }, finish_reason: 'error' }] }`, `code` an HTTP status or a string
//   (openrouter.ai/docs/api/reference/errors-and-debugging, "Streaming Error Formats").
// - Groq: `{ error: { message, type: 'invalid_request_error', code: 'tool_use_failed', failed_generation } }`
//   (groq-typescript src/core/streaming.ts throws on `data.error`; body as quoted in BerriAI/litellm#40566).
// - vLLM: `{ error: { message, type: 'BadRequestError', param, code: 400 } }` from
//   `create_streaming_error_response` (vllm/entrypoints/openai/serving_engine.py); older vLLM sent the
//   object bare with `object: 'error'` (block/goose#8031).
// - OpenAI itself: `data: {"error": {"message": "The server had an error …", "type": "server_error"}}`
//   after content chunks (recorded in coder/aibridge fixtures/openai/chatcompletions/stream_error.txtar).
// - SSE `event: error` with a JSON body: the `openai` SDK (core/streaming.js) throws it as the same APIError.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentryError, createExecutor, defineAgent, isAgentryError } from '../../index';
import { silentLogger } from '../../logging';
import { createOpenAIMock } from '../../testing';
import type { ProviderRequest } from '../types';
import { openaiProvider } from './openai-provider';

const API_KEY = 'sk-or-v1-stream0123456789SECRET';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const OPENROUTER = 'https://openrouter.ai/api/v1';

const mock = createOpenAIMock({ baseURL: OPENROUTER });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'openrouter', model: 'openai/gpt-4o-mini' },
  prompt: ({ text }) => text,
});

const request: ProviderRequest = {
  agent: echo,
  input: { text: 'hi' },
  messages: [{ role: 'user', content: 'hi' }],
  model: 'openai/gpt-4o-mini',
  mode: 'live',
  executionId: 'exe_test',
  attempt: 1,
};
const context = () => ({ signal: new AbortController().signal, tenant, logger: silentLogger });

const CONTENT_CHUNK =
  'data: {"id":"gen-1","object":"chat.completion.chunk","created":1,"model":"openai/gpt-4o-mini","provider":"OpenAI","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n';

/** OpenRouter's documented mid-stream error chunk. */
function openRouterError(error: Record<string, unknown>, before = CONTENT_CHUNK): string {
  const chunk = {
    id: 'gen-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'openai/gpt-4o-mini',
    provider: 'OpenAI',
    error,
    choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
  };
  return `${before}data: ${JSON.stringify(chunk)}\n\n`;
}

async function streamFailure(provider = openaiProvider({ apiKey: API_KEY, baseURL: OPENROUTER })) {
  try {
    for await (const _event of provider.stream!(request, context())) {
      // drain
    }
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

async function executeFailure(provider = openaiProvider({ apiKey: API_KEY, baseURL: OPENROUTER })) {
  try {
    await provider.execute(request, context());
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw error;
  }
  throw new Error('expected execute to fail');
}

function classOf(error: AgentryError) {
  return { code: error.code, retryable: error.retryable };
}

describe('in-stream errors are classified like HTTP errors (item 11)', () => {
  it.each([400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 529])(
    'status %i: the in-stream error (OpenRouter numeric code) gets the same code and retryability as HTTP',
    async (status) => {
      mock.reply({ type: 'error', status });
      const overHttp = classOf(await executeFailure());
      mock.reply({ type: 'raw', body: openRouterError({ code: status, message: `Upstream said ${status}` }) });
      const inStream = classOf(await streamFailure());
      expect(inStream).toEqual(overHttp);
    },
  );

  it('a deterministic in-stream 400 is attempted once, not retried (and not billed three times)', async () => {
    mock.reply(
      { type: 'raw', body: openRouterError({ code: 400, message: 'Invalid tool schema' }) },
      { type: 'text', text: 'must not be reached' },
      { type: 'text', text: 'must not be reached' },
    );
    const executor = createExecutor({
      agents: [echo],
      providers: { openrouter: openaiProvider({ apiKey: API_KEY, baseURL: OPENROUTER }) },
      limits: { maxRetries: 2, backoff: { initialMs: 0, jitter: 'none' } },
    });
    const events = [];
    for await (const event of executor.stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant })) {
      events.push(event);
    }
    expect(mock.requests).toHaveLength(1);
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    if (last?.type !== 'execution-error') return;
    expect(last.error).toMatchObject({ code: 'provider_error', retryable: false });
    expect(last.result.metrics.attempts).toBe(1);
  });

  it('a transient in-stream error before any output is retried, like a 502', async () => {
    mock.reply(
      { type: 'raw', body: openRouterError({ code: 502, message: 'Provider disconnected' }, '') },
      { type: 'text', text: 'second time lucky' },
    );
    const executor = createExecutor({
      agents: [echo],
      providers: { openrouter: openaiProvider({ apiKey: API_KEY, baseURL: OPENROUTER }) },
      limits: { maxRetries: 2, backoff: { initialMs: 0, jitter: 'none' } },
    });
    const events = [];
    for await (const event of executor.stream({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant })) {
      events.push(event);
    }
    expect(mock.requests).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'execution-finish', result: { output: 'second time lucky' } });
  });

  it('names the real server and its message, never "OpenAI … (no type)"', async () => {
    mock.reply({ type: 'raw', body: openRouterError({ code: 'server_error', message: 'Provider disconnected' }) });
    const error = await streamFailure();
    expect(error.message).toContain('openrouter.ai');
    expect(error.message).toContain('Provider disconnected');
    expect(error.message).not.toMatch(/OpenAI|no type/);
    expect(classOf(error)).toEqual({ code: 'provider_error', retryable: true });
    // A configured name wins over the host.
    mock.reply({ type: 'raw', body: openRouterError({ code: 400, message: 'Bad' }) });
    const named = await streamFailure(openaiProvider({ apiKey: API_KEY, baseURL: OPENROUTER, name: 'OpenRouter' }));
    expect(named.message).toMatch(/^OpenRouter reported an error mid-stream \(status 400\): Bad/);
  });

  it('429 in-stream is rate_limited with the retry delay the error carries', async () => {
    mock.reply({
      type: 'raw',
      body: openRouterError({
        code: 429,
        message: 'Provider returned error',
        metadata: { error_type: 'rate_limit_exceeded', retry_after_seconds: 3 },
      }),
    });
    const error = await streamFailure();
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3000 });
  });

  it('Groq: an invalid_request_error (tool_use_failed) in the stream is final', async () => {
    const body = `${CONTENT_CHUNK}data: ${JSON.stringify({
      error: {
        message: 'Failed to call a function. Please adjust your prompt.',
        type: 'invalid_request_error',
        code: 'tool_use_failed',
        failed_generation: '<function=x>',
      },
    })}\n\n`;
    mock.reply({ type: 'raw', body });
    const error = await streamFailure();
    expect(classOf(error)).toEqual({ code: 'provider_error', retryable: false });
    expect(error.message).toContain('invalid_request_error, tool_use_failed');
  });

  it('vLLM: the BadRequestError object (status in code) is final; older bare `object: "error"` too', async () => {
    mock.reply({
      type: 'raw',
      body: `${CONTENT_CHUNK}data: {"error":{"message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400}}\n\n`,
    });
    expect(classOf(await streamFailure())).toEqual({ code: 'provider_error', retryable: false });
    mock.reply({
      type: 'raw',
      body: `${CONTENT_CHUNK}data: {"object":"error","message":"This model's maximum context length is 4096 tokens","type":"BadRequestError","param":null,"code":400}\n\n`,
    });
    const bare = await streamFailure();
    expect(classOf(bare)).toEqual({ code: 'provider_error', retryable: false });
    expect(bare.message).toContain('maximum context length');
    mock.reply({
      type: 'raw',
      body: `${CONTENT_CHUNK}data: {"error":{"message":"Engine died","type":"InternalServerError","param":null,"code":500}}\n\n`,
    });
    expect(classOf(await streamFailure())).toEqual({ code: 'provider_error', retryable: true });
  });

  it("OpenAI's own recorded mid-stream server_error is retryable and keeps its message", async () => {
    mock.reply({
      type: 'raw',
      body: `${CONTENT_CHUNK}data: {"error": {"message": "The server had an error while processing your request. Sorry about that!", "type": "server_error"}}\n\n`,
    });
    const error = await streamFailure();
    expect(classOf(error)).toEqual({ code: 'provider_error', retryable: true });
    expect(error.message).toContain('server_error');
  });

  it('an SSE `event: error` is classified the same way', async () => {
    mock.reply({
      type: 'raw',
      body: `${CONTENT_CHUNK}event: error\ndata: {"error":{"code":401,"message":"User not found."}}\n\n`,
    });
    const error = await streamFailure();
    expect(error.code).toBe('provider_auth_failed');
    expect(error.message).toContain('openrouter.ai rejected the credentials');
  });

  it('an error object in a 200 JSON answer is classified too (OpenRouter non-streaming)', async () => {
    mock.reply({ type: 'json', body: { error: { code: 400, message: 'Bad model' } } });
    expect(classOf(await executeFailure())).toEqual({ code: 'provider_error', retryable: false });
    mock.reply({ type: 'json', body: { error: { code: 503, message: 'No provider available' } } });
    expect(classOf(await executeFailure())).toEqual({ code: 'provider_error', retryable: true });
  });
});
