// Anthropic (and Anthropic-compatible gateways) as the executor records them: in-stream `error`
// events classified like HTTP errors, missing usage as unknown, stop reasons mapped with the raw
// value kept. Shapes: the stream `error` event `{"type":"error","error":{"type":…,"message":…}}`
// and the error types per status, from docs.anthropic.com/en/api/messages-streaming#error-events
// and /en/api/errors; stop reasons from the Messages API `stop_reason` reference.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentryError, createExecutor, defineAgent, type ExecutionResult, isAgentryError } from '../../index';
import { silentLogger } from '../../logging';
import { createAnthropicMock } from '../../testing';
import type { ProviderRequest } from '../types';
import { anthropicProvider } from './anthropic-provider';

const API_KEY = 'sk-ant-api03-fidelity0123456789SECRET';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const GATEWAY = 'https://llm-gateway.example.com';

const mock = createAnthropicMock();
const gateway = createAnthropicMock({ baseURL: GATEWAY });
const server = setupServer(...mock.handlers, ...gateway.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  gateway.reset();
});
afterAll(() => server.close());

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  prompt: ({ text }) => text,
});

const request: ProviderRequest = {
  agent: echo,
  input: { text: 'hi' },
  messages: [{ role: 'user', content: 'hi' }],
  model: 'claude-sonnet-4-5',
  mode: 'live',
  executionId: 'exe_test',
  attempt: 1,
};
const context = () => ({ signal: new AbortController().signal, tenant, logger: silentLogger });

const START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":12,"output_tokens":1}}}\n\n';
const errorEvent = (type: string, message: string) =>
  `${START}event: error\ndata: {"type":"error","error":{"type":"${type}","message":"${message}"}}\n\n`;

async function failureOf(run: () => Promise<unknown>): Promise<AgentryError> {
  try {
    await run();
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function drain(provider = anthropicProvider({ apiKey: API_KEY })) {
  for await (const _event of provider.stream!(request, context())) {
    // drain
  }
}

function executor(providerOptions: Parameters<typeof anthropicProvider>[0] = {}) {
  return createExecutor({
    agents: [echo],
    providers: { anthropic: anthropicProvider({ apiKey: API_KEY, ...providerOptions }) },
    limits: { maxRetries: 2, backoff: { initialMs: 0, jitter: 'none' } },
    // Every model priced: a null cost can only mean unknown tokens.
    pricing: { '*': { inputPerMillion: 1, outputPerMillion: 2 } },
  });
}

async function streamed(run = executor()): Promise<ExecutionResult> {
  let result: ExecutionResult | undefined;
  for await (const event of run.stream({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant })) {
    if (event.type === 'execution-finish' || event.type === 'execution-error') result = event.result;
  }
  if (!result) throw new Error('no final event');
  return result;
}

describe('Anthropic in-stream errors are classified like HTTP errors (item 11)', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('HTTP %i and a stream `error` event of type %s: same code and retryability', async (status, type) => {
    mock.reply({ type: 'error', status, errorType: type });
    const overHttp = await failureOf(() => anthropicProvider({ apiKey: API_KEY }).execute(request, context()));
    mock.reply({ type: 'raw', body: errorEvent(type, 'Something happened') });
    const inStream = await failureOf(() => drain());
    expect({ code: inStream.code, retryable: inStream.retryable }).toEqual({
      code: overHttp.code,
      retryable: overHttp.retryable,
    });
  });

  it('a deterministic in-stream invalid_request_error is attempted once', async () => {
    mock.reply(
      { type: 'raw', body: errorEvent('invalid_request_error', 'messages: bad shape') },
      { type: 'text', text: 'must not be reached' },
      { type: 'text', text: 'must not be reached' },
    );
    const result = await streamed();
    expect(mock.requests).toHaveLength(1);
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error).toMatchObject({ code: 'provider_error', retryable: false });
    expect(result.error.message).toBe(
      'Anthropic reported an error mid-stream (invalid_request_error): messages: bad shape',
    );
    // The provider answered message_start with usage before the error: that usage is kept.
    expect(result.metrics).toMatchObject({ inputTokens: 12, outputTokens: 1, attempts: 1 });
  });

  it('a gateway error names the gateway host, not Anthropic', async () => {
    gateway.reply({ type: 'raw', body: errorEvent('overloaded_error', 'Overloaded') });
    const error = await failureOf(() => drain(anthropicProvider({ apiKey: API_KEY, baseURL: GATEWAY })));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toMatch(/^llm-gateway\.example\.com reported an error mid-stream \(overloaded_error\)/);
  });
});

describe('Anthropic usage (item 10)', () => {
  it('a JSON answer without usage (a compatible gateway) has unknown tokens and cost', async () => {
    mock.reply({ type: 'text', text: 'hello', usage: null });
    const result = await executor().execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant });
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
  });

  it('a stream without usage has unknown tokens and cost', async () => {
    mock.reply({ type: 'text', text: 'hello there', usage: null });
    const result = await streamed();
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
  });

  it('reported usage is still priced', async () => {
    mock.reply({ type: 'text', text: 'hello', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } });
    const result = await executor().execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant });
    // claude-sonnet-4-5 list price: $3 in, $15 out per million.
    expect(result.metrics).toMatchObject({ inputTokens: 1_000_000, outputTokens: 1_000_000, costUsd: 18 });
  });
});

describe('Anthropic stop reasons (item 13)', () => {
  const CASES = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['a_future_reason', 'other'],
  ] as const;

  it.each(CASES)('execute(): %s → %s, raw kept on the record', async (raw, unified) => {
    mock.reply({ type: 'text', text: 'done', finishReason: raw });
    const result = await executor().execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant });
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ finishReason: unified, rawFinishReason: raw });
  });

  it.each(CASES)('stream(): %s → %s, raw kept on the record', async (raw, unified) => {
    mock.reply({ type: 'text', text: 'done', finishReason: raw });
    const result = await streamed();
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ finishReason: unified, rawFinishReason: raw });
  });
});
