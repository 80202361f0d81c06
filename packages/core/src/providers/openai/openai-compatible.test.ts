// OpenAI-compatible servers (Groq, Together, Ollama, DeepSeek, LocalAI, …) as users meet them:
// usage where each server puts it, unknown (null) where it puts none, and finish reasons mapped
// with the raw value kept. The real `openai` SDK runs against msw; bodies are recorded ones from
// test/fixtures/compatible (sources in its README) or shapes quoted from the server's docs/source.
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent, type ExecutionResult } from '../../index';
import { createOpenAIMock } from '../../testing';
import { openaiProvider } from './openai-provider';

const API_KEY = 'gsk_compatible0123456789SECRET';
const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/compatible/${name}`, import.meta.url), 'utf8');

const SERVER = 'https://api.groq.com/openai/v1';
const mock = createOpenAIMock({ baseURL: SERVER });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'compatible', model: 'gpt-4o-mini' },
  prompt: ({ text }) => text,
});

function executor() {
  return createExecutor({
    agents: [echo],
    providers: { compatible: openaiProvider({ apiKey: API_KEY, baseURL: SERVER }) },
    limits: { maxRetries: 0, timeoutMs: { live: 30_000 } },
    // Every model priced: a null cost below can only mean the tokens were unknown.
    pricing: { '*': { inputPerMillion: 1, outputPerMillion: 2 } },
  });
}

async function streamed(): Promise<{ result: ExecutionResult; events: ExecutionEvent[] }> {
  const events: ExecutionEvent[] = [];
  for await (const event of executor().stream({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant })) {
    events.push(event);
  }
  const last = events.at(-1);
  if (last?.type !== 'execution-finish' && last?.type !== 'execution-error') throw new Error('no final event');
  return { result: last.result, events };
}

async function executed(): Promise<ExecutionResult> {
  return executor().execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant });
}

describe('usage from compatible servers (item 10)', () => {
  it('a stream with no usage at all (Ollama ignores include_usage): tokens and cost unknown, never 0', async () => {
    mock.reply({ type: 'raw', body: fixture('ollama-chat-completion-stream-no-usage.sse') });
    const { result, events } = await streamed();
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('My name is Ben Dover. How can I help you today?');
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
    // No usage event with made-up zeros either.
    expect(events.filter((event) => event.type === 'usage')).toEqual([]);
  });

  it('a JSON answer with no usage block: tokens and cost unknown', async () => {
    mock.reply({
      type: 'json',
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
      },
    });
    const result = await executed();
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
  });

  it('the mock server that ignores stream_options (usage: null) gives unknown usage too', async () => {
    mock.reply({ type: 'text', text: 'no usage here', usage: null });
    const { result } = await streamed();
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
  });

  it("reads Groq's x_groq.usage when it is the only usage in the stream", async () => {
    mock.reply({ type: 'raw', body: fixture('groq-chat-completion-stream-x-groq-usage.sse') });
    const { result } = await streamed();
    expect(result.metrics).toMatchObject({ inputTokens: 18, outputTokens: 439, finishReason: 'tool_calls' });
    expect(result.metrics.costUsd).toBeGreaterThan(0);
  });

  it('reads the current Groq stream (usage and x_groq.usage on the finishing chunk)', async () => {
    mock.reply({ type: 'raw', body: fixture('groq-chat-completion-tool-call-stream.sse') });
    const { result } = await streamed();
    expect(result.metrics).toMatchObject({ inputTokens: 210, outputTokens: 15, rawFinishReason: 'tool_calls' });
  });

  it("reads Together's usage on the finishing chunk and maps its eos finish reason", async () => {
    mock.reply({ type: 'raw', body: fixture('together-chat-completion-stream-eos.sse') });
    const { result } = await streamed();
    expect(result.output).toBe('ABCABC');
    expect(result.metrics).toMatchObject({
      inputTokens: 12,
      outputTokens: 27,
      finishReason: 'stop',
      rawFinishReason: 'eos',
    });
  });

  it('reads Groq x_groq.usage from a JSON answer too', async () => {
    mock.reply({
      type: 'json',
      body: {
        id: 'chatcmpl-2',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        x_groq: { id: 'req_1', usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } },
      },
    });
    expect((await executed()).metrics).toMatchObject({ inputTokens: 9, outputTokens: 2 });
  });

  it.each([
    [
      // DeepSeek reports cache hits in its own field (docs.stigg.io DeepSeek page; DeepSeek context caching guide).
      'DeepSeek prompt_cache_hit_tokens',
      {
        prompt_tokens: 100,
        completion_tokens: 5,
        total_tokens: 105,
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
      },
      { inputTokens: 100, outputTokens: 5, cachedInputTokens: 64 },
    ],
    [
      // Groq partial usage (vercel/ai groq-chat-language-model.test.ts "should support partial usage").
      'no completion_tokens: output from total − prompt',
      { prompt_tokens: 20, total_tokens: 20 },
      { inputTokens: 20, outputTokens: 0 },
    ],
    [
      // LocalAI sends zeros when it did not count (mudler/LocalAI#9927): no usage, not $0.
      'a usage block of zeros',
      { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      { inputTokens: null, outputTokens: null, costUsd: null },
    ],
    [
      // A server that counts only the output (sawfwair/mere-run#134 sent prompt_tokens: 0): input unknown.
      'prompt_tokens 0 with real output tokens',
      { prompt_tokens: 0, completion_tokens: 7, total_tokens: 7 },
      { inputTokens: null, outputTokens: 7, costUsd: null },
    ],
    ['an empty usage object', {}, { inputTokens: null, outputTokens: null, costUsd: null }],
  ])('usage variant: %s', async (_name, usage, expected) => {
    mock.reply({
      type: 'json',
      body: {
        id: 'chatcmpl-3',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage,
      },
    });
    expect((await executed()).metrics).toMatchObject(expected);
  });
});

describe('finish reasons from compatible servers (item 13)', () => {
  // Raw values servers send as `finish_reason` (sources in shared/finish-reason.test.ts).
  const CASES = [
    ['stop', 'stop'],
    ['eos', 'stop'],
    ['eos_token', 'stop'],
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
    ['max_tokens', 'length'],
    ['model_length', 'length'],
    ['MAX_TOKENS', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['something_new', 'other'],
  ] as const;

  it.each(CASES)('execute(): %s → %s, raw kept on the record', async (raw, unified) => {
    mock.reply({ type: 'text', text: 'done', finishReason: raw });
    const result = await executed();
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ finishReason: unified, rawFinishReason: raw });
  });

  it.each(CASES)('stream(): %s → %s, raw kept on the record', async (raw, unified) => {
    mock.reply({ type: 'text', text: 'done', finishReason: raw });
    const { result } = await streamed();
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ finishReason: unified, rawFinishReason: raw });
  });

  it('finish_reason "error" with no error object is a retryable failure naming the server, not a success', async () => {
    mock.reply({ type: 'text', text: 'partial', finishReason: 'error' });
    const { result } = await streamed();
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(result.error.message).toContain('api.groq.com');
    expect(result.metrics).toMatchObject({ finishReason: 'error', rawFinishReason: 'error' });
  });
});
