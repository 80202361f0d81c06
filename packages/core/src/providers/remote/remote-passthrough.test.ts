// A remote Agentry service's usage and finish reasons pass through as the remote knew them:
// unknown tokens stay null (never 0), the raw finish reason is kept, and a run that failed at the
// remote after its model answered keeps the billed usage here too.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../agent';
import { AgentryError } from '../../errors';
import { createExecutor } from '../../executor';
import type { ExecutionResult } from '../../protocol';
import { createHandler } from '../../server/create-handler';
import type { ProviderAdapter, ProviderResponse } from '../types';
import { remoteProvider } from './remote-provider';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

const answers: Record<string, ProviderResponse> = {
  quiet: { text: 'no usage reported', usage: null, finishReason: 'stop', rawFinishReason: 'eos' },
  cut: {
    text: 'cut off',
    usage: { inputTokens: 50, outputTokens: 7 },
    finishReason: 'length',
    rawFinishReason: 'max_tokens',
  },
  refuse: {
    text: '',
    usage: { inputTokens: 40, outputTokens: 3 },
    finishReason: 'content_filter',
    rawFinishReason: 'refusal',
    error: new AgentryError('output_invalid', 'The model refused to answer.'),
  },
};

// Service B's own provider: answers as scripted per agent.
const upstream: ProviderAdapter = {
  id: 'upstream',
  async execute(request) {
    return answers[request.agent.id] as ProviderResponse;
  },
};

const agentsOn = (provider: string) =>
  Object.keys(answers).map((id) =>
    defineAgent({
      id,
      name: id,
      input: z.object({ text: z.string() }),
      model: { provider, model: 'gpt-4o-mini' },
      prompt: ({ text }) => text,
    }),
  );

const serviceB = createHandler({
  executor: createExecutor({ agents: agentsOn('upstream'), providers: { upstream }, limits: { maxRetries: 0 } }),
  resolveTenant: () => tenant,
  basePath: '/api',
});

function serviceA(stream: boolean) {
  return createExecutor({
    agents: agentsOn('remote'),
    providers: {
      remote: remoteProvider({
        baseUrl: 'http://service-b.test/api',
        stream,
        fetch: (input, init) => serviceB(new Request(input, init)),
      }),
    },
    limits: { maxRetries: 0 },
  });
}

async function run(stream: boolean, agentId: string): Promise<ExecutionResult> {
  const executor = serviceA(stream);
  if (!stream) return executor.execute({ agentId, input: { text: 'hi' }, mode: 'live', tenant });
  let result: ExecutionResult | undefined;
  for await (const event of executor.stream({ agentId, input: { text: 'hi' }, mode: 'live', tenant })) {
    if (event.type === 'execution-finish' || event.type === 'execution-error') result = event.result;
  }
  if (!result) throw new Error('no final event');
  return result;
}

describe.each([
  ['JSON', false],
  ['SSE', true],
])('remote provider over %s', (_name, stream) => {
  it('unknown usage at the remote stays unknown here (null tokens, null cost)', async () => {
    const result = await run(stream, 'quiet');
    expect(result.status).toBe('succeeded');
    expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
    expect(result.metrics).toMatchObject({ finishReason: 'stop', rawFinishReason: 'eos' });
  });

  it('the finish reason and its raw value pass through', async () => {
    const result = await run(stream, 'cut');
    expect(result.metrics).toMatchObject({
      inputTokens: 50,
      outputTokens: 7,
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
    });
    expect(result.metrics.costUsd).toBeGreaterThan(0);
  });

  it('a run that failed at the remote after its model answered keeps the billed usage', async () => {
    const result = await run(stream, 'refuse');
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe('output_invalid');
    expect(result.metrics).toMatchObject({ inputTokens: 40, outputTokens: 3 });
    expect(result.metrics.costUsd).toBeGreaterThan(0);
  });
});
