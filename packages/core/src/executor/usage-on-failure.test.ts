// A run that fails after the provider answered keeps what the answer cost (item 12); a refusal
// ends the same way from execute() and stream(), never as an empty success; records carry the
// unified and raw finish reason, and unknown usage as null, on the wire too (items 10, 13).
// Refusal shapes: OpenAI `message.refusal` / `delta.refusal` with `content: null` (openai 7.57
// `ChatCompletionMessage.refusal`, `ChatCompletionChunk.Choice.Delta.refusal`); Anthropic
// `stop_reason: "refusal"` (docs.anthropic.com, "Streaming refusals").
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import { anthropicProvider } from '../providers/anthropic';
import { mockProvider } from '../providers/mock';
import { openaiProvider } from '../providers/openai';
import { createHandler } from '../server/create-handler';
import { createAnthropicMock, createOpenAIMock, type MockReply } from '../testing';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutionResult, FailedExecution } from './types';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };
const openai = createOpenAIMock();
const anthropic = createAnthropicMock();
const server = setupServer(...openai.handlers, ...anthropic.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  openai.reset();
  anthropic.reset();
});
afterAll(() => server.close());

const Summary = z.object({ summary: z.string() });
const agents = [
  defineAgent({
    id: 'gpt-json',
    name: 'GPT JSON',
    input: z.object({ text: z.string() }),
    output: Summary,
    model: { provider: 'openai', model: 'gpt-4o-mini' },
    prompt: ({ text }) => text,
  }),
  defineAgent({
    id: 'gpt-text',
    name: 'GPT text',
    input: z.object({ text: z.string() }),
    model: { provider: 'openai', model: 'gpt-4o-mini' },
    prompt: ({ text }) => text,
  }),
  defineAgent({
    id: 'claude-json',
    name: 'Claude JSON',
    input: z.object({ text: z.string() }),
    output: Summary,
    model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    prompt: ({ text }) => text,
  }),
  defineAgent({
    id: 'claude-text',
    name: 'Claude text',
    input: z.object({ text: z.string() }),
    model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    prompt: ({ text }) => text,
  }),
  defineAgent({
    id: 'mock-bad-output',
    name: 'Mock with output that breaks its schema',
    input: z.object({ text: z.string() }),
    output: Summary,
    prompt: ({ text }) => text,
    mock: () => ({ summary: 42 }) as unknown as { summary: string },
  }),
] as const;

type AgentId = (typeof agents)[number]['id'];

const executor = createExecutor({
  agents,
  providers: {
    openai: openaiProvider({ apiKey: 'sk-proj-usage0123456789SECRET' }),
    anthropic: anthropicProvider({ apiKey: 'sk-ant-api03-usage0123456789SECRET' }),
    mock: mockProvider(),
  },
  limits: { maxRetries: 2, backoff: { initialMs: 0, jitter: 'none' } },
});

async function executed(agentId: AgentId): Promise<ExecutionResult> {
  return executor.execute({
    agentId,
    input: { text: 'hi' },
    mode: agentId.startsWith('mock') ? 'mock' : 'live',
    tenant,
  });
}

async function streamed(agentId: AgentId): Promise<{ result: ExecutionResult; events: ExecutionEvent[] }> {
  const events: ExecutionEvent[] = [];
  const mode = agentId.startsWith('mock') ? 'mock' : 'live';
  for await (const event of executor.stream({ agentId, input: { text: 'hi' }, mode, tenant })) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'execution-finish' && last?.type !== 'execution-error') throw new Error('no final event');
  return { result: last.result, events };
}

function failed(result: ExecutionResult): FailedExecution {
  expect(result.status).toBe('failed');
  if (result.status !== 'failed') throw new Error(`expected a failed run, got ${result.status}`);
  return result;
}

const usage = { inputTokens: 120, outputTokens: 9 };

describe('a refusal ends as the same error from execute() and stream(), with its usage (item 12)', () => {
  const refusal: MockReply = { type: 'refusal', refusal: "I'm sorry, I can't help with that.", usage };

  it.each(['gpt-json', 'gpt-text'] as const)('OpenAI refusal (%s)', async (agentId) => {
    openai.reply(refusal, refusal);
    const viaExecute = failed(await executed(agentId));
    const { result, events } = await streamed(agentId);
    const viaStream = failed(result);

    for (const run of [viaExecute, viaStream]) {
      expect(run.error).toMatchObject({ code: 'output_invalid', retryable: false });
      expect(run.error.message).toBe("The model refused to answer: I'm sorry, I can't help with that.");
      // Billed usage and its cost stay on the record.
      expect(run.metrics).toMatchObject({ inputTokens: 120, outputTokens: 9, finishReason: 'content_filter' });
      expect(run.metrics.costUsd).toBeGreaterThan(0);
    }
    expect(viaStream.error).toEqual({ ...viaExecute.error, executionId: viaStream.id, requestId: 'req_mock_2' });
    // The refusal is not streamed as output, and one attempt only: a refusal is not retried.
    expect(events.filter((event) => event.type === 'output-delta')).toEqual([]);
    expect(openai.requests).toHaveLength(2);
  });

  it.each(['claude-json', 'claude-text'] as const)('Anthropic stop_reason refusal (%s)', async (agentId) => {
    const reply: MockReply = { type: 'refusal', refusal: '', usage };
    anthropic.reply(reply, reply);
    const viaExecute = failed(await executed(agentId));
    const viaStream = failed((await streamed(agentId)).result);
    for (const run of [viaExecute, viaStream]) {
      expect(run.error).toMatchObject({
        code: 'output_invalid',
        retryable: false,
        message: 'The model refused to answer.',
      });
      expect(run.metrics).toMatchObject({
        inputTokens: 120,
        outputTokens: 9,
        finishReason: 'content_filter',
        rawFinishReason: 'refusal',
      });
      expect(run.metrics.costUsd).toBeGreaterThan(0);
    }
    expect(anthropic.requests).toHaveLength(2);
  });
});

describe('output that fails after the provider answered keeps its usage and cost (item 12)', () => {
  it('OpenAI: structured output that is not JSON, through execute() and stream()', async () => {
    const prose: MockReply = { type: 'text', text: 'Here is some prose instead.', usage };
    openai.reply(prose, prose);
    for (const result of [await executed('gpt-json'), (await streamed('gpt-json')).result]) {
      const run = failed(result);
      expect(run.error.code).toBe('output_invalid');
      expect(run.metrics).toMatchObject({ inputTokens: 120, outputTokens: 9, finishReason: 'stop' });
      expect(run.metrics.costUsd).toBeGreaterThan(0);
    }
  });

  it('OpenAI: JSON that does not match the schema', async () => {
    openai.reply({ type: 'object', object: { wrong: true }, usage });
    const run = failed(await executed('gpt-json'));
    expect(run.error.code).toBe('output_invalid');
    expect(run.metrics).toMatchObject({ inputTokens: 120, outputTokens: 9 });
    expect(run.metrics.costUsd).toBeGreaterThan(0);
  });

  it('Anthropic: Claude answers text instead of calling the output tool, through execute() and stream()', async () => {
    const chat: MockReply = { type: 'text', text: 'Let us chat instead.', usage };
    anthropic.reply(chat, chat);
    for (const result of [await executed('claude-json'), (await streamed('claude-json')).result]) {
      const run = failed(result);
      expect(run.error.code).toBe('output_invalid');
      expect(run.metrics).toMatchObject({ inputTokens: 120, outputTokens: 9 });
      expect(run.metrics.costUsd).toBeGreaterThan(0);
    }
  });

  it('mock mode: output that breaks the schema keeps its simulated usage and cost', async () => {
    for (const result of [await executed('mock-bad-output'), (await streamed('mock-bad-output')).result]) {
      const run = failed(result);
      expect(run.error.code).toBe('output_invalid');
      expect(run.metrics.simulated).toBe(true);
      expect(run.metrics.inputTokens).toBeGreaterThan(0);
      expect(run.metrics.outputTokens).toBeGreaterThan(0);
      expect(run.metrics.finishReason).toBe('stop');
    }
  });
});

describe('the wire carries finish reasons and unknown usage (items 10, 13)', () => {
  const handler = createHandler({ executor, resolveTenant: () => tenant, basePath: '/api' });
  const run = (agentId: string) =>
    handler(
      new Request(`http://localhost/api/agents/${agentId}/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { text: 'hi' }, mode: 'live' }),
      }),
    );

  it('finishReason and rawFinishReason are in the JSON record', async () => {
    anthropic.reply({ type: 'text', text: 'cut', finishReason: 'max_tokens', usage });
    const response = await run('claude-text');
    expect(response.status).toBe(200);
    const record = (await response.json()) as ExecutionResult;
    expect(record.metrics).toMatchObject({ finishReason: 'length', rawFinishReason: 'max_tokens', inputTokens: 120 });
  });

  it('usage the server did not report is null on the wire, not 0', async () => {
    openai.reply({ type: 'text', text: 'no usage', usage: null });
    const record = (await (await run('gpt-text')).json()) as ExecutionResult;
    expect(record.status).toBe('succeeded');
    expect(record.metrics.inputTokens).toBeNull();
    expect(record.metrics.outputTokens).toBeNull();
    expect(record.metrics.costUsd).toBeNull();
  });
});
