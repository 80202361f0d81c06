// Trace context across the wire: service A runs an agent on service B (another Agentry server)
// through the remote provider, over real loopback HTTP. Node's HTTP server starts each request
// in a fresh async context, so only the `traceparent` header can join B's execution to A's trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import { createExecutor } from '../executor';
import type { ProviderAdapter } from '../providers';
import { remoteProvider } from '../providers/remote';
import { createHandler, toNodeListener } from '../server';
import { type Loopback, listen } from '../server/loopback.test-support';
import { createAgentryTelemetry, traceHeaders, withTraceContext } from './index';
import { createHarness, installContextManager } from './otel.test-support';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

const upstream: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'upstream',
  async execute() {
    return { text: 'from B', usage: { inputTokens: 3, outputTokens: 2 }, finishReason: 'stop' };
  },
};

const agentOn = (provider: string) =>
  defineAgent({
    id: 'relay',
    name: provider === 'remote' ? 'Relay (A)' : 'Relay (B)',
    input: z.object({ text: z.string() }),
    model: { provider, model: 'gpt-4o-mini' },
    prompt: ({ text }) => text,
  });

const harness = createHarness({ semanticConventions: 'gen_ai_latest_experimental' });
let serviceB: Loopback;
let uninstall: () => void;

beforeAll(async () => {
  uninstall = installContextManager();
  const telemetryB = createAgentryTelemetry({
    tracerProvider: harness.tracerProvider,
    semanticConventions: 'gen_ai_latest_experimental',
  });
  const executorB = createExecutor(
    telemetryB.instrument({ agents: [agentOn('upstream')], providers: { upstream }, limits: { maxRetries: 0 } }),
  );
  const handler = withTraceContext(
    createHandler({ executor: executorB, resolveTenant: () => tenant, basePath: '/api' }),
  );
  serviceB = await listen(toNodeListener(handler));
});

afterAll(async () => {
  await serviceB.close();
  uninstall();
});

describe.each([false, true])('trace context through the remote provider (stream: %s)', (stream) => {
  it("B's invoke_agent span is a child of A's chat span, in A's trace", async () => {
    harness.exporter.reset();
    const executorA = createExecutor(
      harness.telemetry.instrument({
        agents: [agentOn('remote')],
        providers: {
          remote: remoteProvider({ baseUrl: `${serviceB.origin}/api`, stream, headers: () => traceHeaders() }),
        },
        limits: { maxRetries: 0 },
      }),
    );
    const run = stream
      ? (async () => {
          for await (const event of executorA.stream({
            agentId: 'relay',
            input: { text: 'hi' },
            mode: 'live',
            tenant,
          })) {
            if (event.type === 'execution-finish' || event.type === 'execution-error') return event.result;
          }
          throw new Error('no terminal event');
        })()
      : executorA.execute({ agentId: 'relay', input: { text: 'hi' }, mode: 'live', tenant });
    expect((await run).status).toBe('succeeded');

    const agentA = harness.span('invoke_agent Relay (A)');
    const chatA = harness
      .spans()
      .find((span) => span.name === 'chat gpt-4o-mini' && span.attributes['gen_ai.provider.name'] === 'remote');
    const agentB = harness.span('invoke_agent Relay (B)');
    const chatB = harness
      .spans()
      .find((span) => span.name === 'chat gpt-4o-mini' && span.attributes['gen_ai.provider.name'] === 'upstream');
    const traceId = agentA.spanContext().traceId;
    expect(chatA?.parentSpanContext?.spanId).toBe(agentA.spanContext().spanId);
    expect(agentB.spanContext().traceId).toBe(traceId);
    expect(agentB.parentSpanContext?.spanId).toBe(chatA?.spanContext().spanId);
    expect(agentB.parentSpanContext?.isRemote).toBe(true);
    expect(chatB?.parentSpanContext?.spanId).toBe(agentB.spanContext().spanId);
  });
});

describe('without the header', () => {
  it("B's execution starts its own trace", async () => {
    harness.exporter.reset();
    const executorA = createExecutor(
      harness.telemetry.instrument({
        agents: [agentOn('remote')],
        providers: { remote: remoteProvider({ baseUrl: `${serviceB.origin}/api` }) },
        limits: { maxRetries: 0 },
      }),
    );
    await executorA.execute({ agentId: 'relay', input: { text: 'hi' }, mode: 'live', tenant });
    const agentB = harness.span('invoke_agent Relay (B)');
    expect(agentB.spanContext().traceId).not.toBe(harness.span('invoke_agent Relay (A)').spanContext().traceId);
    expect(agentB.parentSpanContext).toBeUndefined();
  });
});
