import * as z from 'zod';
import {
  AgentryError,
  type AgentService,
  type AgentSummary,
  type CancelledExecution,
  createExecutor,
  defineAgent,
  type ExecutionEvent,
  type ExecutionResult,
  type ExecutorOptions,
  type FailedExecution,
  mockProvider,
  type RunOptions,
  type SerializedAgentryError,
  serializeError,
} from '../../index';

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
    async cancel() {
      throw new AgentryError('not_found', 'No such execution.');
    },
    // biome-ignore lint/correctness/useYield: a scripted service has no logged events.
    async *events() {
      throw new AgentryError('not_found', 'No such execution.');
    },
    async health() {
      return { status: 'ok', live: { enabled: true }, providers: {}, checkedAt: new Date(0).toISOString() };
    },
  };
}

export { failure as serializedFailure };

/** Waits `ms` (fake timers move it on); an abort of `signal` ends the wait early with `cancelled`. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AgentryError('cancelled', 'The stream was cancelled by its caller.'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AgentryError('cancelled', 'The stream was cancelled by its caller.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options for {@link createFakeServer}. */
export interface FakeServerOptions {
  /** The agents every client lists. */
  agents: AgentSummary[];
  /** The words each run streams, one per `chunkMs`. @default ['one ', 'two ', 'three ', 'four ', 'five'] */
  words?: string[];
  /** @default 100 */
  chunkMs?: number;
  /** How many reads of a stopped run's record answer `not_found` before it is written. @default 1 */
  missesBeforeRecord?: number;
  /** Ends every run with this error (and a failed record) instead of succeeding. */
  error?: SerializedAgentryError;
  /** Breaks the connection after this many words: the stream rejects, the server records the run as cancelled. */
  breakAfter?: number;
}

/**
 * A fake Agentry server reached like `createClient` reaches one: `client()` makes a new client
 * object on every call (as `<TestPanel client={createClient(…)} />` does on every render), all on
 * the same server. A run stopped through its signal rejects with `cancelled` and its final event
 * is never read, like over HTTP; the server writes the cancelled record a little later.
 */
export function createFakeServer(options: FakeServerOptions) {
  const words = options.words ?? ['one ', 'two ', 'three ', 'four ', 'five'];
  const chunkMs = options.chunkMs ?? 100;
  const records = new Map<string, { record: CancelledExecution; misses: number }>();
  const calls = { listAgents: 0, stream: 0, getExecution: 0 };
  const clients: AgentService[] = [];
  let counter = 0;

  function record(
    executionId: string,
    run: RunOptions,
    status: 'succeeded' | 'failed' | 'cancelled',
    output: string,
    durationMs: number,
  ) {
    return {
      id: executionId,
      agentId: run.agentId,
      mode: run.mode ?? 'mock',
      requestedMode: run.mode ?? 'mock',
      tenantId: 'acme',
      input: run.input,
      status,
      output,
      ...(status === 'succeeded'
        ? {}
        : { error: options.error ?? serializeError(new AgentryError('cancelled', 'The caller disconnected.')) }),
      metrics: {
        durationMs,
        timeToFirstOutputMs: chunkMs,
        inputTokens: 7,
        outputTokens: output.split(' ').filter(Boolean).length,
        costUsd: null,
        provider: 'mock',
        model: 'gpt-4.1-mini',
        attempts: 1,
        simulated: true,
      },
      startedAt: new Date(0).toISOString(),
      finishedAt: new Date(durationMs).toISOString(),
    } as ExecutionResult;
  }

  async function* stream(run: RunOptions): AsyncGenerator<ExecutionEvent> {
    calls.stream += 1;
    counter += 1;
    const executionId = `exe_${counter}`;
    const started = Date.now();
    yield {
      type: 'execution-start',
      executionId,
      agentId: run.agentId,
      mode: run.mode ?? 'mock',
      requestedMode: run.mode ?? 'mock',
      provider: 'mock',
      model: 'gpt-4.1-mini',
      startedAt: new Date(0).toISOString(),
    };
    let output = '';
    for (const [index, word] of words.entries()) {
      if (index === options.breakAfter) {
        const cancelled = record(executionId, run, 'cancelled', output, Date.now() - started) as CancelledExecution;
        records.set(executionId, { record: cancelled, misses: options.missesBeforeRecord ?? 1 });
        throw new AgentryError('internal', 'The event stream ended before the execution finished.', {
          executionId,
          retryable: true,
        });
      }
      try {
        await wait(chunkMs, run.signal);
      } catch (error) {
        // The server notices the disconnect and writes the cancelled record.
        const cancelled = record(executionId, run, 'cancelled', output, Date.now() - started) as CancelledExecution;
        records.set(executionId, { record: cancelled, misses: options.missesBeforeRecord ?? 1 });
        throw error;
      }
      output += word;
      yield { type: 'output-delta', executionId, delta: word };
    }
    const final = record(executionId, run, options.error ? 'failed' : 'succeeded', output, words.length * chunkMs);
    if (final.status === 'succeeded') yield { type: 'execution-finish', executionId, result: final };
    else yield { type: 'execution-error', executionId, error: final.error, result: final };
  }

  function client(): AgentService {
    const made = {
      async listAgents() {
        calls.listAgents += 1;
        return options.agents;
      },
      async execute() {
        throw new Error('not used');
      },
      stream,
      async listExecutions() {
        return { items: [] };
      },
      async getExecution(executionId: string) {
        calls.getExecution += 1;
        const entry = records.get(executionId);
        if (!entry || entry.misses > 0) {
          if (entry) entry.misses -= 1;
          throw new AgentryError('not_found', `No execution ${executionId}.`);
        }
        return entry.record;
      },
      async health() {
        return { status: 'ok', live: { enabled: true }, providers: {}, checkedAt: new Date(0).toISOString() };
      },
    } as unknown as AgentService;
    clients.push(made);
    return made;
  }

  return { client, calls, clients };
}
