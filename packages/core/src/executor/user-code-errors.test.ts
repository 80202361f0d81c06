// Errors thrown by code the pipeline calls but does not own (an agent's mock, prompt and schemas;
// the host's resolveAgent, listAgents, store, hooks, pricing, kill switch; custom providers)
// reach callers only as a generic message with its code; their words go to the redacted log.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type AgentConfig, type AnyAgent, defineAgent } from '../agent';
import { AgentryError, isAgentryError } from '../errors';
import { jsonLogger } from '../logging';
import type { ProviderAdapter } from '../providers';
import { mockProvider } from '../providers/mock';
import { createHandler } from '../server/create-handler';
import { createMemoryStore } from '../store';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutorOptions } from './types';

const MARKER = 'zq-MARKER-4471';
/** A key of a built-in shape, and a configured secret of no known shape (only the executor's redactor knows it). */
const FAKE_KEY = 'sk-proj-FAKEKEY0123456789abcdef';
const SECRET = 'yy-configured-service-token-93';
const RAW = `${MARKER}: connect failed for ${FAKE_KEY} / ${SECRET}`;
const tenant = { tenantId: 'ws_a', userId: 'u_1' };

function boom(): never {
  throw new Error(RAW);
}

function agent(overrides: Partial<AgentConfig<string, z.ZodType, z.ZodType | undefined>> = {}): AnyAgent {
  return defineAgent({
    id: 'subject',
    name: 'Subject',
    input: z.object({ text: z.string() }),
    model: { provider: 'live', model: 'live-1' },
    prompt: ({ text }: { text: string }) => text,
    mock: ({ text }: { text: string }) => `mock: ${text}`,
    ...overrides,
  } as AgentConfig<string, z.ZodType, z.ZodType | undefined>);
}

/** A live provider that answers, unless told otherwise. */
function liveProvider(overrides: Partial<ProviderAdapter> = {}): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'live',
    execute: async () => ({ text: 'live answer', usage: { inputTokens: 1, outputTokens: 2 }, finishReason: 'stop' }),
    health: async () => ({ status: 'ok', configured: true }),
    ...overrides,
  };
}

function setup(options: ExecutorOptions = {}) {
  const lines: string[] = [];
  // jsonLogger only knows the built-in key shapes: a clean log proves the executor's own redaction.
  const logger = jsonLogger({ level: 'debug', write: (line) => lines.push(line) });
  const executor = createExecutor({
    agents: [agent()],
    providers: { mock: mockProvider(), live: liveProvider() },
    secrets: [SECRET],
    limits: { maxRetries: 0 },
    logger,
    ...options,
  });
  const handler = createHandler({ executor, resolveTenant: () => tenant, logger, heartbeatMs: 0 });
  const http = (path: string, init?: RequestInit) => handler(new Request(`http://app.test${path}`, init));
  const run = (input: unknown, mode: 'mock' | 'live', accept = 'application/json') =>
    http('/agents/subject/executions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ input, mode }),
    });
  return { executor, http, run, lines };
}

type Harness = ReturnType<typeof setup>;

function expectClean(where: string, value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  expect(text, where).not.toContain(MARKER);
  expect(text, where).not.toContain(FAKE_KEY);
  expect(text, where).not.toContain(SECRET);
}

/** Every way an error can be shown: its JSON, its message, its user message, its string form. */
function errorView(error: unknown) {
  if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
  return { json: JSON.stringify(error), message: error.message, userMessage: error.userMessage, text: String(error) };
}

function expectLogged(harness: Harness): void {
  const log = harness.lines.join('\n');
  expect(log, 'the server log').toContain(MARKER);
  expect(log, 'the server log').not.toContain(FAKE_KEY);
  expect(log, 'the server log').not.toContain(SECRET);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function collect(iterable: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const events: ExecutionEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** The run starts, then fails: every view of it is generic, and the log has the words. */
async function expectRunFailsGenerically(harness: Harness, mode: 'mock' | 'live', code = 'internal') {
  const input = { text: 'hello' };
  const result = await harness.executor.execute({ agentId: 'subject', input, mode, tenant });
  expect(result.status).toBe('failed');
  if (result.status !== 'failed') return;
  expect(result.error.code).toBe(code);
  if (code === 'internal') {
    expect(result.error.message).toBe(
      'Agent "subject" failed with an unexpected error; the details are in the server log.',
    );
  }
  expectClean('execute()', result);
  const events = await collect(harness.executor.stream({ agentId: 'subject', input, mode, tenant }));
  expect(events.at(-1)).toMatchObject({ type: 'execution-error', error: { code } });
  expectClean('stream()', events);
  expectClean('getExecution()', await harness.executor.getExecution(tenant, result.id));
  const history = await harness.executor.listExecutions(tenant);
  expect(history.items).toHaveLength(2);
  expectClean('listExecutions()', history);

  const json = await harness.run(input, mode);
  expect(json.status).toBe(200);
  const record = await json.text();
  expect(JSON.parse(record)).toMatchObject({ status: 'failed', error: { code } });
  expectClean('HTTP JSON', record);
  const sse = await (await harness.run(input, mode, 'text/event-stream')).text();
  expect(sse).toContain('event: execution-error');
  expectClean('SSE', sse);
  const stored = await harness.http(`/executions/${result.id}`);
  expect(stored.status).toBe(200);
  expectClean('GET /executions/:id', await stored.text());
  expectLogged(harness);
}

/** The run is refused before it starts: the rejection and the problem documents are generic. */
async function expectRefusedGenerically(harness: Harness, mode: 'mock' | 'live', names?: string) {
  const input = { text: 'hello' };
  const error = await rejection(harness.executor.execute({ agentId: 'subject', input, mode, tenant }));
  expect(error).toMatchObject({ code: 'internal', status: 500 });
  if (names !== undefined) expect((error as Error).message).toContain(names);
  expectClean('execute() rejection', errorView(error));
  const streamed = await rejection(collect(harness.executor.stream({ agentId: 'subject', input, mode, tenant })));
  expectClean('stream() rejection', errorView(streamed));
  for (const accept of ['application/json', 'text/event-stream']) {
    const response = await harness.run(input, mode, accept);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await response.text();
    expect(JSON.parse(problem)).toMatchObject({ code: 'internal' });
    expectClean(`problem (${accept})`, problem);
  }
  expect((await harness.executor.listExecutions(tenant)).items).toEqual([]);
  expectLogged(harness);
}

describe('user code that throws inside a run: a generic internal error naming the agent', () => {
  it.each([
    ['a mock function', { mock: () => boom() }],
    ['an async mock', { mock: async () => boom() }],
    ["a fixture's match predicate", { mock: { fixtures: [{ match: () => boom(), output: 'x' }] } }],
    ["the fixtures' fallback", { mock: { fixtures: [], fallback: () => boom() } }],
    [
      'a mock throwing AgentryError("internal") with the words',
      {
        mock: () => {
          throw new AgentryError('internal', RAW);
        },
      },
    ],
    [
      "the output schema's refinement",
      { output: z.object({ ok: z.string() }).refine(() => boom()), mock: () => ({ ok: 'y' }) },
    ],
    [
      "the output schema's transform",
      { output: z.object({ ok: z.string() }).transform(() => boom()), mock: () => ({ ok: 'y' }) },
    ],
  ])('%s', async (_name, overrides) => {
    const harness = setup({ agents: [agent(overrides as Partial<AgentConfig<string, z.ZodType, undefined>>)] });
    await expectRunFailsGenerically(harness, 'mock');
  });

  it('a custom provider that throws an Error: a generic provider_error', async () => {
    const harness = setup({ providers: { live: liveProvider({ execute: async () => boom() }) } });
    await expectRunFailsGenerically(harness, 'live', 'provider_error');
  });

  it('a custom provider that throws AgentryError("internal") with the words', async () => {
    const execute = async (): Promise<never> => {
      throw new AgentryError('internal', RAW, { provider: 'live' });
    };
    const harness = setup({ providers: { live: liveProvider({ execute }) } });
    await expectRunFailsGenerically(harness, 'live');
  });
});

describe('user code that throws before a run: a generic internal refusal', () => {
  it.each([
    ['the prompt', { prompt: () => boom() }, 'The prompt of agent "subject"'],
    [
      'the prompt, throwing AgentryError("internal")',
      {
        prompt: () => {
          throw new AgentryError('internal', RAW);
        },
      },
      'The prompt of agent "subject"',
    ],
    ["the input schema's refinement", { input: z.object({ text: z.string() }).refine(() => boom()) }, 'input schema'],
    ["the output schema's lazy getter", { output: z.lazy(() => boom()) }, 'output schema'],
  ])('%s', async (_name, overrides, names) => {
    const harness = setup({ agents: [agent(overrides as Partial<AgentConfig<string, z.ZodType, undefined>>)] });
    await expectRefusedGenerically(harness, 'mock', names);
  });

  it("the host's resolveAgent", async () => {
    const harness = setup({ agents: [], resolveAgent: () => boom() });
    await expectRefusedGenerically(harness, 'mock');
    expectClean('getAgent()', errorView(await rejection(harness.executor.getAgent('subject', tenant))));
  });

  it('the live.enabled kill switch', async () => {
    const harness = setup({ live: { enabled: () => boom() } });
    await expectRefusedGenerically(harness, 'live', 'live.enabled');
  });

  it("a provider's checkAgent (met per run by a resolved agent)", async () => {
    const harness = setup({
      agents: [],
      resolveAgent: () => agent(),
      providers: { live: liveProvider({ checkAgent: () => boom() }) },
    });
    await expectRefusedGenerically(harness, 'live');
  });

  it('a prompt that returns neither text nor messages: the refusal says so, in Agentry words', async () => {
    for (const answer of [{ oops: true }, null, 42]) {
      const harness = setup({ agents: [agent({ prompt: () => answer as never })] });
      const error = await rejection(harness.executor.execute({ agentId: 'subject', input: { text: 'x' }, tenant }));
      expect(error).toMatchObject({
        code: 'internal',
        message:
          'The prompt of agent "subject" returned neither a string nor a list of messages; the details are in the server log.',
      });
    }
  });
});

describe("the host's agent listing", () => {
  it('listAgents that throws: executor and GET /agents answer a generic internal error', async () => {
    const harness = setup({ listAgents: () => boom() });
    const error = await rejection(harness.executor.listAgents(tenant));
    expect(error).toMatchObject({ code: 'internal', message: expect.stringContaining("The host's listAgents failed") });
    expectClean('listAgents() rejection', errorView(error));
    const response = await harness.http('/agents');
    expect(response.status).toBe(500);
    expectClean('GET /agents', await response.text());
    expectLogged(harness);
  });

  it('listAgents that answers something other than a list: a clear internal error, no crash', async () => {
    const harness = setup({ listAgents: () => ({ agents: [] }) as never });
    const error = await rejection(harness.executor.listAgents(tenant));
    expect(error).toMatchObject({
      code: 'internal',
      message:
        "The host's listAgents answered something that is not a list of agents; the details are in the server log.",
    });
    expect(harness.lines.join('\n')).toContain('listAgents() must return an array of agents, got object.');
  });

  it('a live.enabled switch that throws while listing: live shows unavailable, generically (fail closed)', async () => {
    const harness = setup({ live: { enabled: () => boom() } });
    const [summary] = await harness.executor.listAgents(tenant);
    expect(summary?.live).toEqual({
      available: false,
      reason: 'Live mode could not be checked; the details are in the server log.',
    });
    const response = await harness.http('/agents');
    expect(response.status).toBe(200);
    expectClean('GET /agents', await response.text());
    expectClean('liveStatus()', harness.executor.liveStatus(tenant));
    expectLogged(harness);
    // Logged where it happened, for whom.
    const failures = harness.lines
      .map((line) => JSON.parse(line))
      .filter((line) => line.event === 'agentry.user_code.failed');
    expect(failures[0]).toMatchObject({ site: 'live.enabled', tenant_id: tenant.tenantId });
  });

  it('a live.enabled switch that answers a promise does not turn live on (fail closed)', async () => {
    const harness = setup({ live: { enabled: (async () => true) as never } });
    expect(harness.executor.liveStatus(tenant).available).toBe(false);
  });
});

describe('hooks and settings that throw never break a run, and are logged', () => {
  async function expectSucceedsAndLogs(harness: Harness) {
    const result = await harness.executor.execute({ agentId: 'subject', input: { text: 'x' }, tenant });
    expect(result.status).toBe('succeeded');
    expectClean('execute()', result);
    const events = await collect(harness.executor.stream({ agentId: 'subject', input: { text: 'x' }, tenant }));
    expect(events.at(-1)?.type).toBe('execution-finish');
    expectClean('stream()', events);
    const sse = await (await harness.run({ text: 'x' }, 'mock', 'text/event-stream')).text();
    expect(sse).toContain('event: execution-finish');
    expectClean('SSE', sse);
    expectLogged(harness);
    return result;
  }

  it('onEvent: logged once per execution, not once per event', async () => {
    const harness = setup({ onEvent: () => boom() });
    await expectSucceedsAndLogs(harness);
    const hookLines = harness.lines.filter((line) => line.includes('"site":"onEvent"'));
    expect(hookLines).toHaveLength(3);
  });

  it('onRetry', async () => {
    const harness = setup({
      providers: { mock: mockProvider({ failures: { kind: 'provider_error', onCalls: [1, 3, 5] } }) },
      limits: { maxRetries: 1, backoff: { initialMs: 0 } },
      onRetry: () => boom(),
    });
    const result = await expectSucceedsAndLogs(harness);
    expect(result.metrics.attempts).toBe(2);
    expect(harness.lines.filter((line) => line.includes('"site":"onRetry"'))).toHaveLength(3);
  });

  it('a pricing entry that throws when read: the cost is unknown (null)', async () => {
    const price = {
      get inputPerMillion(): number {
        return boom();
      },
      outputPerMillion: 1,
    };
    const harness = setup({ pricing: { 'live-1': price } });
    const result = await expectSucceedsAndLogs(harness);
    expect(result.metrics.costUsd).toBeNull();
  });

  it('generateId: the built-in id is used instead', async () => {
    const harness = setup({ generateId: () => boom() });
    const result = await expectSucceedsAndLogs(harness);
    expect(result.id).toMatch(/^exe_[0-9a-f]{32}$/);
  });
});

describe("a store whose save throws (issue 13: the run's record is not stored)", () => {
  it('ends the run failed with a retryable internal error, never succeeded, through execute, stream and SSE', async () => {
    const store = { ...createMemoryStore(), save: async () => boom() };
    const harness = setup({ store });
    const result = await harness.executor.execute({ agentId: 'subject', input: { text: 'x' }, tenant });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error).toMatchObject({ code: 'internal', retryable: true });
    expectClean('execute()', result);
    const events = await collect(harness.executor.stream({ agentId: 'subject', input: { text: 'x' }, tenant }));
    expect(events.at(-1)?.type).toBe('execution-error');
    expectClean('stream()', events);
    const sse = await (await harness.run({ text: 'x' }, 'mock', 'text/event-stream')).text();
    expect(sse).toContain('event: execution-error');
    expect(sse).not.toContain('event: execution-finish');
    expectClean('SSE', sse);
    expectLogged(harness);
  });
});

describe('a store that throws on reads', () => {
  it.each([
    ['get', '/executions/exe_1', (harness: Harness) => harness.executor.getExecution(tenant, 'exe_1')],
    ['list', '/executions', (harness: Harness) => harness.executor.listExecutions(tenant)],
  ])('%s: a generic internal error from the executor and the handler', async (method, path, read) => {
    const harness = setup({ store: { ...createMemoryStore(), [method]: async () => boom() } });
    const error = await rejection(read(harness));
    expect(error).toMatchObject({ code: 'internal' });
    expectClean(`${method} rejection`, errorView(error));
    const response = await harness.http(path);
    expect(response.status).toBe(500);
    expectClean(`GET ${path}`, await response.text());
    expectLogged(harness);
  });

  it("the store's own deliberate errors still reach the caller (an invalid cursor)", async () => {
    const harness = setup();
    const error = await rejection(harness.executor.listExecutions(tenant, { cursor: 'not a cursor' }));
    expect(error).toMatchObject({ code: 'validation_failed' });
  });
});

describe("a provider's health check that throws", () => {
  it('reports down with a generic message; the words go to the log', async () => {
    const harness = setup({ providers: { live: liveProvider({ health: async () => boom() }) } });
    const report = await harness.executor.health();
    expect(report.providers.live).toMatchObject({
      status: 'down',
      message: 'The "live" provider\'s health check failed; the details are in the server log.',
    });
    const response = await harness.http('/health');
    expectClean('GET /health', await response.text());
    expectLogged(harness);
  });
});

describe('deliberate AgentryErrors are trusted: code and message kept, redacted', () => {
  const deliberate = () => new AgentryError('rate_limited', `Upstream quota hit for ${FAKE_KEY} (${SECRET}).`);

  it('from a mock', async () => {
    const harness = setup({
      agents: [
        agent({
          mock: () => {
            throw deliberate();
          },
        }),
      ],
    });
    const result = await harness.executor.execute({ agentId: 'subject', input: { text: 'x' }, tenant });
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limited', message: 'Upstream quota hit for [REDACTED] ([REDACTED]).' },
    });
    const sse = await (await harness.run({ text: 'x' }, 'mock', 'text/event-stream')).text();
    expect(sse).toContain('Upstream quota hit for [REDACTED] ([REDACTED]).');
    expectClean('SSE', sse);
  });

  it('from a prompt', async () => {
    const harness = setup({
      agents: [
        agent({
          prompt: () => {
            throw new AgentryError('validation_failed', `Needs a subject line (${SECRET}).`);
          },
        }),
      ],
    });
    const response = await harness.run({ text: 'x' }, 'mock');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      detail: 'Needs a subject line ([REDACTED]).',
    });
    await expect(harness.executor.execute({ agentId: 'subject', input: { text: 'x' }, tenant })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'Needs a subject line ([REDACTED]).',
    });
  });
});
