import {
  AgentryError,
  type AgentService,
  type AgentSummary,
  type CancelledExecution,
  createExecutor,
  defineAgent,
  type ExecutionEvent,
  type ExecutorOptions,
  type FailedExecution,
  mockProvider,
  type RunOptions,
  type SerializedAgentryError,
  serializeError,
} from '@agentry/core';
import * as z from 'zod';

/** A text agent that streams its answer word by word. */
export const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  description: 'Summarizes text in one or two sentences.',
  input: z.object({ text: z.string().min(1).max(2000), style: z.enum(['brief', 'detailed']).default('brief') }),
  example: { text: 'Agentry runs AI agents in mock and live mode.', style: 'brief' },
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text, style }) => [
    { role: 'system', content: `Summarize, ${style}.` },
    { role: 'user', content: text },
  ],
  mock: ({ text }) => `Summary: ${text} It works in mock mode without any network.`,
});

/** A JSON agent without an example: the editor starts from the schema's defaults. */
export const extract = defineAgent({
  id: 'extract',
  name: 'Link extractor',
  description: 'Finds links on a page.',
  input: z.object({ url: z.url(), limit: z.number().int().min(1).max(10).default(3) }),
  output: z.object({ links: z.array(z.string()) }),
  prompt: ({ url }) => `List links of ${url}`,
  mock: ({ url, limit }) => ({ links: Array.from({ length: limit }, (_, index) => `${url}/page-${index + 1}`) }),
});

/** About 1 MB of JSON. */
export const bigReport = defineAgent({
  id: 'big-report',
  name: 'Big report',
  input: z.object({ rows: z.number().int().min(1).default(9000) }),
  output: z.object({ rows: z.array(z.object({ id: z.number(), text: z.string() })) }),
  prompt: () => 'Report',
  mock: ({ rows }) => ({
    rows: Array.from({ length: rows }, (_, id) => ({ id, text: `row ${id} `.padEnd(100, 'x') })),
  }),
});

export const agents = [summarize, extract, bigReport] as const;

/** An executor with mock agents: 100 ms to first output, 50 ms between words; live is off. */
export function createTestExecutor(options: Partial<ExecutorOptions> = {}) {
  return createExecutor({
    agents,
    providers: { mock: mockProvider({ latency: { firstOutputMs: 100, chunkMs: 50 } }) },
    live: { enabled: false, reason: 'Live mode is turned off for this workspace.' },
    limits: { timeoutMs: { mock: 60_000 }, maxRetries: 0 },
    ...options,
  });
}

const failure = (code: SerializedAgentryError['code'], extra: Partial<SerializedAgentryError> = {}) =>
  serializeError(new AgentryError(code, `Simulated ${code}.`, { executionId: 'exe_test', ...extra }));

/**
 * A scripted `AgentService` for states a real executor rarely reaches (server-side
 * issues, internal errors): `fail` decides what each run answers.
 */
export function createScriptedService(
  summaries: AgentSummary[],
  fail: (options: RunOptions) => { thrown?: AgentryError; error?: SerializedAgentryError } | undefined,
): AgentService & { calls: RunOptions[] } {
  const calls: RunOptions[] = [];
  return {
    calls,
    async listAgents() {
      return summaries;
    },
    async execute() {
      throw new Error('not used');
    },
    stream: async function* stream(options: RunOptions): AsyncGenerator<ExecutionEvent> {
      calls.push(options);
      const outcome = fail(options);
      if (outcome?.thrown) throw outcome.thrown;
      yield {
        type: 'execution-start',
        executionId: 'exe_test',
        agentId: options.agentId,
        mode: options.mode ?? 'mock',
        requestedMode: options.mode ?? 'mock',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        startedAt: new Date(0).toISOString(),
      };
      const error = outcome?.error ?? failure('internal');
      const result: FailedExecution | CancelledExecution = {
        id: 'exe_test',
        agentId: options.agentId,
        mode: options.mode ?? 'mock',
        requestedMode: options.mode ?? 'mock',
        tenantId: 'local',
        input: options.input,
        status: error.code === 'cancelled' ? 'cancelled' : 'failed',
        output: null,
        error,
        metrics: {
          durationMs: 1200,
          timeToFirstOutputMs: null,
          inputTokens: 12,
          outputTokens: 0,
          costUsd: null,
          provider: 'openai',
          model: 'gpt-4.1-mini',
          attempts: 3,
          simulated: false,
        },
        startedAt: new Date(0).toISOString(),
        finishedAt: new Date(1200).toISOString(),
      };
      yield { type: 'execution-error', executionId: 'exe_test', error, result };
    } as AgentService['stream'],
    async listExecutions() {
      return { items: [] };
    },
    async getExecution() {
      throw new AgentryError('not_found', 'No such execution.');
    },
    async health() {
      return { status: 'ok', live: { enabled: true }, providers: {}, checkedAt: new Date(0).toISOString() };
    },
  };
}

export { failure as serializedFailure };
