import { createHash } from 'node:crypto';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { AgentryError } from '../errors';
import { createExecutor } from '../executor';
import { createRedactor } from '../logging';
import { Secret } from '../logging/secret';
import type { ProviderAdapter, ProviderEvent } from '../providers';
import { mockProvider } from '../providers/mock';
import { DURATION_BUCKETS, TOKEN_USAGE_BUCKETS } from './index';
import { createHarness, installContextManager } from './otel.test-support';
import { modeFromEnvironment } from './semantic-conventions';

const tenant = { tenantId: 'ws_acme', userId: 'user_9' };
const CONFIGURED_KEY = 'zz-configured-provider-key-9f8e7d6c5b4a';
const KEY_SHAPE = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';

const greeter = defineAgent({
  id: 'greeter',
  name: 'Greeter',
  description: 'Greets people',
  input: z.object({ text: z.string().min(1) }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 64, temperature: 0.2 },
  prompt: ({ text }) => [
    { role: 'system', content: 'Be kind.' },
    { role: 'user', content: text },
  ],
});

interface ScriptOptions {
  /** Throw this on the given calls (1-based). */
  failOn?: Record<number, unknown>;
  /** Streaming: wait this long before the first chunk and between chunks (fake timers). */
  delays?: { first: number; between: number };
}

/** A provider that answers like OpenAI would, scripted per call. */
function openaiLike(options: ScriptOptions = {}): ProviderAdapter {
  let calls = 0;
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    specificationVersion: 'v1',
    id: 'openai',
    secrets: [new Secret(CONFIGURED_KEY)],
    async execute(request) {
      calls += 1;
      if (options.failOn?.[calls] !== undefined) throw options.failOn[calls];
      return {
        text: `Hello ${(request.input as { text: string }).text}`,
        usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 },
        finishReason: 'stop',
        model: 'gpt-4.1-mini-2025-04-14',
      };
    },
    async *stream(request): AsyncGenerator<ProviderEvent> {
      calls += 1;
      if (options.delays) await wait(options.delays.first);
      if (options.failOn?.[calls] !== undefined) throw options.failOn[calls];
      yield { type: 'text-delta', delta: 'Hello ' };
      if (options.delays) await wait(options.delays.between);
      yield { type: 'text-delta', delta: (request.input as { text: string }).text };
      yield { type: 'usage', usage: { inputTokens: 12, outputTokens: 5 } };
      yield { type: 'finish', finishReason: 'stop', model: 'gpt-4.1-mini-2025-04-14' };
    },
  };
}

let uninstall: () => void;
beforeAll(() => {
  uninstall = installContextManager();
});
afterAll(() => uninstall());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

function setup(harnessOptions: Parameters<typeof createHarness>[0] = {}, script: ScriptOptions = {}, maxRetries = 0) {
  const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental', ...harnessOptions });
  const executor = createExecutor(
    harness.telemetry.instrument({
      agents: [greeter],
      providers: { openai: openaiLike(script) },
      limits: { maxRetries, backoff: { initialMs: 1, jitter: 'none' }, timeoutMs: { mock: 60_000, live: 60_000 } },
    }),
  );
  return { harness, executor };
}

/** Every attribute value of every span, as text: where a leak would show. */
function allAttributeText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(spans.map((span) => [span.name, span.attributes, span.status]));
}

describe('spans of an execution (execute)', () => {
  it('an invoke_agent INTERNAL span per execution, attribute by attribute', async () => {
    const { harness, executor } = setup();
    const result = await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    expect(result.status).toBe('succeeded');
    const agent = harness.span('invoke_agent Greeter');
    expect(agent.kind).toBe(SpanKind.INTERNAL);
    expect(agent.status.code).toBe(SpanStatusCode.UNSET);
    expect(agent.instrumentationScope.name).toBe('@agentry/core');
    expect(agent.instrumentationScope.schemaUrl).toBe('https://opentelemetry.io/schemas/1.41.0');
    expect(agent.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.agent.id': 'greeter',
      'gen_ai.agent.name': 'Greeter',
      'gen_ai.agent.description': 'Greets people',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'agentry.execution.id': result.id,
      'agentry.execution.mode': 'live',
      'agentry.execution.requested_mode': 'live',
      'agentry.execution.status': 'succeeded',
      'agentry.tenant.id': 'ws_acme',
      'agentry.cost_usd': result.metrics.costUsd,
    });
  });

  it('a chat {model} CLIENT span per model call, child of the invoke_agent span', async () => {
    const { harness, executor } = setup();
    const result = await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    const agent = harness.span('invoke_agent Greeter');
    const chat = harness.span('chat gpt-4.1-mini');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.spanContext().traceId).toBe(agent.spanContext().traceId);
    expect(chat.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(chat.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.stream': false,
      'gen_ai.output.type': 'text',
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'agentry.execution.id': result.id,
      'agentry.attempt': 1,
      'agentry.tenant.id': 'ws_acme',
    });
    // Content is opt-in.
    expect(Object.keys(chat.attributes).filter((key) => key.includes('messages'))).toEqual([]);
  });

  it("the host's active span is the execution's parent", async () => {
    const { harness, executor } = setup();
    const tracer = harness.tracerProvider.getTracer('host');
    await tracer.startActiveSpan('POST /api/agentry/agents/greeter/executions', async (request) => {
      await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
      request.end();
    });
    const host = harness.span('POST /api/agentry/agents/greeter/executions');
    const agent = harness.span('invoke_agent Greeter');
    expect(agent.spanContext().traceId).toBe(host.spanContext().traceId);
    expect(agent.parentSpanContext?.spanId).toBe(host.spanContext().spanId);
  });

  it('without the opt-in, the v1.36 names: gen_ai.system and a CLIENT invoke_agent span', async () => {
    const { harness, executor } = setup({ semanticConventions: 'default' });
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    for (const span of [harness.span('invoke_agent Greeter'), harness.span('chat gpt-4.1-mini')]) {
      expect(span.attributes['gen_ai.system']).toBe('openai');
      expect(span.attributes['gen_ai.provider.name']).toBeUndefined();
    }
    expect(harness.span('invoke_agent Greeter').kind).toBe(SpanKind.CLIENT);
    const { points } = await harness.histogram('gen_ai.client.operation.duration');
    expect(points.every((point) => point.attributes['gen_ai.system'] === 'openai')).toBe(true);
  });

  it('OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (in a list) selects the latest names', async () => {
    expect(modeFromEnvironment('http,gen_ai_latest_experimental')).toBe('gen_ai_latest_experimental');
    expect(modeFromEnvironment('gen_ai_latest_experimental/dup')).toBe('default');
    expect(modeFromEnvironment(undefined)).toBe('default');
    vi.stubEnv('OTEL_SEMCONV_STABILITY_OPT_IN', 'gen_ai_latest_experimental');
    const harness = createHarness();
    const executor = createExecutor(
      harness.telemetry.instrument({ agents: [greeter], providers: { openai: openaiLike() } }),
    );
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    expect(harness.span('chat gpt-4.1-mini').attributes['gen_ai.provider.name']).toBe('openai');
  });

  it('mock runs are spans too (the default mock provider is instrumented)', async () => {
    const { harness, executor } = setup();
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'mock', tenant });
    const agent = harness.span('invoke_agent Greeter');
    expect(agent.attributes['gen_ai.provider.name']).toBe('mock');
    expect(agent.attributes['agentry.execution.mode']).toBe('mock');
    expect(harness.span('chat gpt-4.1-mini').attributes['gen_ai.provider.name']).toBe('mock');
  });
});

describe('streaming', () => {
  it('time to first chunk on the span and in the metric, from the moment the call was made', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const { harness, executor } = setup({}, { delays: { first: 250, between: 100 } });
    const run = (async () => {
      const events = [];
      for await (const event of executor.stream({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant }))
        events.push(event);
      return events;
    })();
    await vi.advanceTimersByTimeAsync(1000);
    const events = await run;
    expect(events.at(-1)?.type).toBe('execution-finish');
    const chat = harness.span('chat gpt-4.1-mini');
    expect(chat.attributes['gen_ai.request.stream']).toBe(true);
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBe(0.25);
    const firstChunk = await harness.histogram('gen_ai.client.operation.time_to_first_chunk');
    expect(firstChunk.metric.descriptor.unit).toBe('s');
    expect(firstChunk.points).toHaveLength(1);
    expect(firstChunk.points[0]?.value.sum).toBe(0.25);
    expect(firstChunk.points[0]?.value.buckets.boundaries).toEqual(DURATION_BUCKETS);
    expect(firstChunk.points[0]?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
    });
    const duration = await harness.histogram('gen_ai.client.operation.duration');
    const chatDuration = duration.points.find((point) => point.attributes['gen_ai.operation.name'] === 'chat');
    expect(chatDuration?.value.sum).toBeCloseTo(0.35, 6);
  });

  it('no time-to-first-chunk for calls that do not stream', async () => {
    const { harness, executor } = setup();
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    expect(harness.span('chat gpt-4.1-mini').attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
    await expect(harness.histogram('gen_ai.client.operation.time_to_first_chunk')).rejects.toThrow(/no metric/);
  });
});

describe('metrics', () => {
  it('gen_ai.client.token.usage: one point per token type, with the specification buckets', async () => {
    const { harness, executor } = setup();
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    await executor.execute({ agentId: 'greeter', input: { text: 'Bob' }, mode: 'live', tenant });
    const { metric, points } = await harness.histogram('gen_ai.client.token.usage');
    expect(metric.descriptor.unit).toBe('{token}');
    const byType = Object.fromEntries(points.map((point) => [point.attributes['gen_ai.token.type'], point]));
    expect(Object.keys(byType).sort()).toEqual(['input', 'output']);
    expect(byType.input?.value.sum).toBe(24);
    expect(byType.input?.value.count).toBe(2);
    expect(byType.output?.value.sum).toBe(10);
    expect(byType.input?.value.buckets.boundaries).toEqual(TOKEN_USAGE_BUCKETS);
    expect(byType.input?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.response.model': 'gpt-4.1-mini-2025-04-14',
      'gen_ai.token.type': 'input',
    });
  });

  it('gen_ai.client.operation.duration for chat and invoke_agent, in seconds, no tenant or execution ids', async () => {
    const { harness, executor } = setup();
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    const { metric, points } = await harness.histogram('gen_ai.client.operation.duration');
    expect(metric.descriptor.unit).toBe('s');
    expect(points.map((point) => point.attributes['gen_ai.operation.name']).sort()).toEqual(['chat', 'invoke_agent']);
    for (const point of points) {
      expect(point.value.buckets.boundaries).toEqual(DURATION_BUCKETS);
      expect(Object.keys(point.attributes).filter((key) => key.startsWith('agentry.'))).toEqual([]);
    }
  });
});

describe('errors', () => {
  it('a failed model call: error.type is the Agentry code, on the chat span, the execution and the metric', async () => {
    const failure = new AgentryError('rate_limited', 'Slow down.', { provider: 'openai' });
    const { harness, executor } = setup({}, { failOn: { 1: failure } });
    const result = await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    expect(result.status).toBe('failed');
    const chat = harness.span('chat gpt-4.1-mini');
    expect(chat.attributes['error.type']).toBe('rate_limited');
    expect(chat.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Slow down.' });
    expect(chat.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    const agent = harness.span('invoke_agent Greeter');
    expect(agent.attributes['error.type']).toBe('rate_limited');
    expect(agent.attributes['agentry.execution.status']).toBe('failed');
    expect(agent.status.code).toBe(SpanStatusCode.ERROR);
    const { points } = await harness.histogram('gen_ai.client.operation.duration');
    expect(points.map((point) => point.attributes['error.type'])).toEqual(['rate_limited', 'rate_limited']);
  });

  it('a retried call: one chat span per attempt, the first failed, the run succeeded', async () => {
    const failure = new AgentryError('provider_error', 'Upstream 503.', { provider: 'openai' });
    const { harness, executor } = setup({}, { failOn: { 1: failure } }, 1);
    const result = await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    expect(result.status).toBe('succeeded');
    const chats = harness.spans().filter((span) => span.name === 'chat gpt-4.1-mini');
    expect(chats.map((span) => [span.attributes['agentry.attempt'], span.attributes['error.type']])).toEqual([
      [1, 'provider_error'],
      [2, undefined],
    ]);
    const agent = harness.span('invoke_agent Greeter');
    expect(chats.every((span) => span.parentSpanContext?.spanId === agent.spanContext().spanId)).toBe(true);
    expect(agent.attributes['error.type']).toBeUndefined();
  });

  it('an unexpected error is _OTHER, and its message reaches the span redacted', async () => {
    const failure = new Error(`upstream refused ${KEY_SHAPE} and ${CONFIGURED_KEY}`);
    const { harness, executor } = setup({}, { failOn: { 1: failure } });
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    const chat = harness.span('chat gpt-4.1-mini');
    expect(chat.attributes['error.type']).toBe('_OTHER');
    expect(chat.status.message).toContain('upstream refused');
    const text = allAttributeText(harness.spans());
    expect(text).not.toContain(KEY_SHAPE);
    expect(text).not.toContain(CONFIGURED_KEY);
    expect(harness.span('invoke_agent Greeter').attributes['error.type']).toBe('provider_error');
  });

  it('a cancelled stream ends its chat span as cancelled', async () => {
    const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental' });
    const hanging: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'openai',
      execute: async () => ({ text: '', usage: null, finishReason: 'stop' }),
      async *stream(_request, context): AsyncGenerator<ProviderEvent> {
        yield { type: 'text-delta', delta: 'Hel' };
        // Like an SDK: its own abort error, not the signal's reason.
        await new Promise((_, reject) =>
          context.signal.addEventListener('abort', () =>
            reject(new DOMException('This operation was aborted', 'AbortError')),
          ),
        );
      },
    };
    const executor = createExecutor(
      harness.telemetry.instrument({ agents: [greeter], providers: { openai: hanging } }),
    );
    const controller = new AbortController();
    for await (const event of executor.stream({
      agentId: 'greeter',
      input: { text: 'Ada' },
      mode: 'live',
      tenant,
      signal: controller.signal,
    })) {
      if (event.type === 'output-delta') controller.abort();
    }
    expect(harness.span('chat gpt-4.1-mini').attributes['error.type']).toBe('cancelled');
    expect(harness.span('invoke_agent Greeter').attributes['error.type']).toBe('cancelled');
  });
});

describe('message content (opt-in, redacted)', () => {
  it('records the input and output messages in the conventions JSON shape', async () => {
    const { harness, executor } = setup({ captureContent: true });
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    const chat = harness.span('chat gpt-4.1-mini');
    expect(JSON.parse(chat.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be kind.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Ada' }] },
    ]);
    expect(JSON.parse(chat.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello Ada' }], finish_reason: 'stop' },
    ]);
  });

  it('a secret in the prompt never reaches an attribute (property)', async () => {
    expect(createRedactor().redactString(KEY_SHAPE)).not.toContain(KEY_SHAPE);
    const secrets = fc.constantFrom(KEY_SHAPE, CONFIGURED_KEY, `Bearer ${'x'.repeat(12)}${KEY_SHAPE}`);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 20 }),
        secrets,
        fc.string({ maxLength: 20 }),
        async (before, secret, after) => {
          const { harness, executor } = setup({ captureContent: true });
          await executor.execute({
            agentId: 'greeter',
            input: { text: `${before} ${secret} ${after}` },
            mode: 'live',
            tenant,
          });
          const text = allAttributeText(harness.spans());
          expect(text).not.toContain(KEY_SHAPE);
          expect(text).not.toContain(CONFIGURED_KEY);
          expect(text).toContain('[REDACTED]');
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('tenant id', () => {
  it("'sha256' records the salted digest, never the id", async () => {
    const { harness, executor } = setup({ tenantId: 'sha256', tenantIdSalt: 'pepper:' });
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    const expected = createHash('sha256').update('pepper:ws_acme').digest('hex');
    for (const span of harness.spans()) expect(span.attributes['agentry.tenant.id']).toBe(expected);
    expect(allAttributeText(harness.spans())).not.toContain('ws_acme');
  });

  it("'omit' leaves it out; a function decides it", async () => {
    const omitted = setup({ tenantId: 'omit' });
    await omitted.executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    for (const span of omitted.harness.spans()) expect(span.attributes['agentry.tenant.id']).toBeUndefined();
    const mapped = setup({ tenantId: (tenantId) => `t-${tenantId.length}` });
    await mapped.executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'live', tenant });
    for (const span of mapped.harness.spans()) expect(span.attributes['agentry.tenant.id']).toBe('t-7');
  });

  it('an unknown policy is a clear error', () => {
    expect(() => createHarness({ tenantId: 'md5' as never })).toThrow(/`tenantId` must be 'plain', 'sha256', 'omit'/);
  });
});

describe('tool calls (events of executors with a tool loop)', () => {
  function startEvent(executionId: string) {
    return {
      type: 'execution-start',
      executionId,
      agentId: 'greeter',
      mode: 'live',
      requestedMode: 'live',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      startedAt: new Date(0).toISOString(),
    } as const;
  }
  function finishEvent(executionId: string) {
    const metrics = {
      durationMs: 20,
      timeToFirstOutputMs: 5,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: null,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      attempts: 1,
      simulated: false,
    };
    const result = {
      id: executionId,
      agentId: 'greeter',
      mode: 'live',
      requestedMode: 'live',
      tenantId: tenant.tenantId,
      input: {},
      metrics,
      startedAt: '',
      finishedAt: '',
      status: 'succeeded',
      output: 'ok',
    } as const;
    return { type: 'execution-finish', executionId, result } as const;
  }

  it('execute_tool {tool} spans, children of invoke_agent, with call id, type and errors', () => {
    const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental', captureContent: true });
    harness.telemetry.instrument({ agents: [greeter], secrets: [CONFIGURED_KEY] });
    const { onEvent } = harness.telemetry;
    const send = (event: unknown) => onEvent(event as Parameters<typeof onEvent>[0], { tenant });
    send(startEvent('exe_1'));
    send({ type: 'step-start', executionId: 'exe_1', index: 0 });
    send({
      type: 'tool-call',
      executionId: 'exe_1',
      toolCallId: 'call_1',
      toolName: 'lookupOrder',
      args: { id: '42', token: KEY_SHAPE },
    });
    send({ type: 'tool-call', executionId: 'exe_1', toolCall: { id: 'call_2', name: 'refund' }, args: {} });
    send({
      type: 'tool-result',
      executionId: 'exe_1',
      toolCallId: 'call_1',
      output: { status: 'shipped' },
      durationMs: 3,
    });
    send({
      type: 'tool-result',
      executionId: 'exe_1',
      toolCallId: 'call_2',
      error: { code: 'tool_error', message: `denied ${CONFIGURED_KEY}` },
    });
    send({ type: 'step-finish', executionId: 'exe_1', index: 0 });
    send(finishEvent('exe_1'));

    const agent = harness.span('invoke_agent Greeter');
    const lookup = harness.span('execute_tool lookupOrder');
    const refund = harness.span('execute_tool refund');
    expect(lookup.kind).toBe(SpanKind.INTERNAL);
    expect(lookup.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(lookup.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookupOrder',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': JSON.stringify({ id: '42', token: '[REDACTED]' }),
      'gen_ai.tool.call.result': JSON.stringify({ status: 'shipped' }),
      'agentry.execution.id': 'exe_1',
    });
    expect(refund.attributes['error.type']).toBe('tool_error');
    expect(refund.status.code).toBe(SpanStatusCode.ERROR);
    const text = allAttributeText(harness.spans());
    expect(text).not.toContain(KEY_SHAPE);
    expect(text).not.toContain(CONFIGURED_KEY);
  });

  it('a tool still running when the execution ends is closed with it', () => {
    const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental' });
    const send = (event: unknown) =>
      harness.telemetry.onEvent(event as Parameters<typeof harness.telemetry.onEvent>[0], { tenant });
    send(startEvent('exe_2'));
    send({ type: 'tool-call', executionId: 'exe_2', toolCallId: 'call_9', toolName: 'slow' });
    send(finishEvent('exe_2'));
    expect(harness.span('execute_tool slow').attributes['error.type']).toBe('_OTHER');
    expect(harness.span('invoke_agent').attributes['gen_ai.agent.id']).toBe('greeter');
  });
});

describe('agents resolved at run time', () => {
  it('the span takes the agent name from the first model call', async () => {
    const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental' });
    const executor = createExecutor({
      resolveAgent: (id) => (id === 'greeter' ? greeter : undefined),
      providers: { mock: harness.telemetry.instrumentProvider(mockProvider()) },
      onEvent: harness.telemetry.onEvent,
    });
    await executor.execute({ agentId: 'greeter', input: { text: 'Ada' }, mode: 'mock', tenant });
    expect(harness.span('invoke_agent Greeter').attributes['gen_ai.agent.name']).toBe('Greeter');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
