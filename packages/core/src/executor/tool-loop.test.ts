import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent, type MockStep } from '../agent';
import { AgentryError } from '../errors';
import type { ProviderAdapter } from '../providers';
import { defineTool } from '../tools';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutionResult } from './types';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const lookupOrder = defineTool({
  description: 'Looks up an order of this workspace.',
  input: z.object({ id: z.string(), verbose: z.boolean().default(false) }),
  execute: ({ id }, { tenant }) => ({ id, status: 'shipped', workspace: tenant.tenantId }),
});

const shipping = defineAgent({
  id: 'shipping',
  name: 'Shipping',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  tools: { lookupOrder },
  mock: {
    steps: [{ toolCalls: [{ name: 'lookupOrder', args: { id: '42' } }] }, { text: 'Your order ships Monday.' }],
  },
});

async function collect(events: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const out: ExecutionEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function toolAgent(
  tools: NonNullable<Parameters<typeof defineAgent>[0]['tools']>,
  steps: readonly MockStep[] | ((input: unknown, history: import('../agent').MockHistory) => MockStep),
  extra: { maxSteps?: number } = {},
) {
  return defineAgent({
    id: 'agent',
    name: 'Agent',
    input: z.object({}),
    prompt: () => 'go',
    tools,
    mock: { steps: steps as never },
    ...extra,
  });
}

describe('the tool loop', () => {
  it('runs model → tool → model to the answer, with steps on the record and usage summed', async () => {
    const executor = createExecutor({ agents: [shipping] });
    const result = await executor.execute({ agentId: 'shipping', input: { question: 'Where?' }, tenant });
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('Your order ships Monday.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps?.[0]?.toolCalls).toEqual([
      { id: 'call_0_0', name: 'lookupOrder', args: { id: '42', verbose: false } },
    ]);
    expect(result.steps?.[0]?.toolResults[0]).toMatchObject({
      status: 'succeeded',
      output: { id: '42', status: 'shipped', workspace: 'ws_a' },
    });
    expect(result.steps?.[0]?.finishReason).toBe('tool_calls');
    expect(result.steps?.[1]?.finishReason).toBe('stop');
    const inputs = (result.steps ?? []).map((step) => step.usage.inputTokens ?? 0);
    expect(inputs.every((count) => count > 0)).toBe(true);
    expect(result.metrics.inputTokens).toBe(inputs.reduce((a, b) => a + b, 0));
    expect(result.metrics.attempts).toBe(2);
    expect(result.metrics.finishReason).toBe('stop');
  });

  it('streams step events in order, each step closed, the final record last', async () => {
    const executor = createExecutor({ agents: [shipping] });
    const events = await collect(executor.stream({ agentId: 'shipping', input: { question: 'Where?' }, tenant }));
    expect(events.map((event) => event.type)).toEqual([
      'execution-start',
      'step-start',
      'usage',
      'tool-call',
      'tool-result',
      'step-finish',
      'step-start',
      'output-delta',
      'output-delta',
      'output-delta',
      'output-delta',
      'usage',
      'step-finish',
      'execution-finish',
    ]);
    const final = events.at(-1) as Extract<ExecutionEvent, { type: 'execution-finish' }>;
    const lastUsage = events.filter((event) => event.type === 'usage').at(-1) as Extract<
      ExecutionEvent,
      { type: 'usage' }
    >;
    // The usage event reports the run so far: every step's.
    expect(lastUsage.usage.inputTokens).toBe(final.result.metrics.inputTokens);
  });

  it('leaves a run without tools as it was: no steps on the record', async () => {
    const plain = defineAgent({ id: 'plain', name: 'Plain', input: z.object({}), prompt: () => 'x' });
    const result = await createExecutor({ agents: [plain] }).execute({ agentId: 'plain', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    expect('steps' in result).toBe(false);
  });
});

describe('invalid tool calls', () => {
  it('answers an unknown tool, bad JSON and schema-invalid arguments with errors the model sees, then goes on', async () => {
    let seen: import('../agent').MockHistory | undefined;
    const agent = toolAgent({ lookupOrder }, (_input, history) => {
      if (history.step === 0)
        return {
          toolCalls: [
            { name: 'deleteEverything', argsText: '{}' },
            { name: 'lookupOrder', argsText: '{"id": ' },
            { name: 'lookupOrder', args: { id: 42 as unknown as string } },
          ],
        };
      seen = history;
      return { text: 'repaired' };
    });
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    const results = result.steps?.[0]?.toolResults ?? [];
    expect(results.map((entry) => entry.status)).toEqual(['failed', 'failed', 'failed']);
    for (const entry of results) {
      if (entry.status === 'failed') expect(entry.error.code).toBe('tool_call_invalid');
    }
    const first = results[0];
    expect(first?.status === 'failed' && first.error.message).toContain('There is no tool "deleteEverything"');
    expect(result.steps?.[0]?.toolCalls[1]?.args).toBe('{"id": ');
    expect(seen?.steps[0]?.toolResults.map((entry) => entry.error !== undefined)).toEqual([true, true, true]);
    expect(seen?.steps[0]?.toolResults[2]?.error).toContain('id');
  });

  it('fails with tool_call_invalid once the repair budget is spent, keeping the steps', async () => {
    const agent = toolAgent({ lookupOrder }, () => ({ toolCalls: [{ name: 'nope', argsText: '{}' }] }), {
      maxSteps: 10,
    });
    const executor = createExecutor({ agents: [agent], limits: { maxInvalidToolCalls: 2 } });
    const result = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.code).toBe('tool_call_invalid');
    expect(result.steps).toHaveLength(3);
  });
});

describe('maxSteps', () => {
  const looping = () => ({ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] });

  it('stops a model that keeps calling tools at the executor default (5), with max_steps_reached and the steps', async () => {
    const agent = toolAgent({ lookupOrder }, looping);
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.code).toBe('max_steps_reached');
    expect(result.status === 'failed' && result.error.status).toBe(502);
    expect(result.steps).toHaveLength(5);
    // The last step's calls are recorded, not run: the model could not see their results.
    expect(result.steps?.[4]?.toolCalls).toHaveLength(1);
    expect(result.steps?.[4]?.toolResults).toHaveLength(0);
  });

  it("takes the agent's maxSteps over the executor's limit", async () => {
    const agent = toolAgent({ lookupOrder }, looping, { maxSteps: 2 });
    const executor = createExecutor({ agents: [agent], limits: { maxSteps: 7 } });
    const result = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(result.steps).toHaveLength(2);
    const other = toolAgent({ lookupOrder }, looping);
    const limited = createExecutor({ agents: [other], limits: { maxSteps: 3 } });
    expect((await limited.execute({ agentId: 'agent', input: {}, tenant })).steps).toHaveLength(3);
  });

  it('refuses impossible limits at configuration time', () => {
    expect(() => createExecutor({ limits: { maxSteps: 0 } })).toThrow(/maxSteps/);
    expect(() => createExecutor({ limits: { toolConcurrency: 0 } })).toThrow(/toolConcurrency/);
    expect(() => toolAgent({ lookupOrder }, [], { maxSteps: 0 })).toThrow(/maxSteps/);
  });
});

describe('tool failures', () => {
  it("keeps an AgentryError's code and redacts anything else to tool_failed, the model seeing both", async () => {
    const missing = defineTool({
      description: 'Always missing.',
      input: z.object({}),
      execute: () => {
        throw new AgentryError('not_found', 'No order 9 in this workspace.');
      },
    });
    const broken = defineTool({
      description: 'Always broken.',
      input: z.object({}),
      execute: () => {
        throw new TypeError('connect ECONNREFUSED postgres://admin:hunter2@db.internal');
      },
    });
    const agent = toolAgent({ missing, broken }, [
      {
        toolCalls: [
          { name: 'missing', args: {} },
          { name: 'broken', args: {} },
        ],
      },
      { text: 'sorry' },
    ]);
    const lines: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (event: string, fields?: object) => lines.push(`${event} ${JSON.stringify(fields)}`),
    };
    const result = await createExecutor({ agents: [agent], logger }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    const [first, second] = result.steps?.[0]?.toolResults ?? [];
    expect(first?.status === 'failed' && first.error).toMatchObject({
      code: 'not_found',
      message: 'No order 9 in this workspace.',
    });
    expect(second?.status === 'failed' && second.error.code).toBe('tool_failed');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('ECONNREFUSED');
    expect(lines.join('\n')).toContain('ECONNREFUSED');
  });

  it('retries a tool only when it opts in', async () => {
    let calls = 0;
    const flaky = (retry?: number) =>
      defineTool({
        description: 'Fails once.',
        input: z.object({}),
        retry,
        execute: () => {
          calls += 1;
          if (calls % 2 === 1) throw new AgentryError('provider_error', 'flaky');
          return 'ok';
        },
      });
    const script: MockStep[] = [{ toolCalls: [{ name: 'flaky', args: {} }] }, { text: 'done' }];
    const withRetry = await createExecutor({ agents: [toolAgent({ flaky: flaky(1) }, script)] }).execute({
      agentId: 'agent',
      input: {},
      tenant,
    });
    expect(withRetry.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'succeeded', output: 'ok' });
    calls = 0;
    const without = await createExecutor({ agents: [toolAgent({ flaky: flaky() }, script)] }).execute({
      agentId: 'agent',
      input: {},
      tenant,
    });
    expect(without.steps?.[0]?.toolResults[0]?.status).toBe('failed');
    expect(calls).toBe(1);
  });

  it('retries a failed model call of a step (not its tools), counting attempts over the run', async () => {
    let runs = 0;
    const counted = defineTool({
      description: 'Counts.',
      input: z.object({}),
      execute: () => {
        runs += 1;
        return runs;
      },
    });
    const agent = toolAgent({ counted }, [
      { toolCalls: [{ name: 'counted', args: {} }] },
      { text: 'done', fail: 'provider_error', failTimes: 1 },
    ]);
    const executor = createExecutor({ agents: [agent], limits: { backoff: { initialMs: 0 } } });
    const result = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    expect(result.metrics.attempts).toBe(3);
    expect(runs).toBe(1);
  });
});

describe('parallel tool calls', () => {
  it('runs the calls of one step at once, at most toolConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const slow = defineTool({
      description: 'Waits.',
      input: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => {
          releases.push(resolve);
          // Released once the bound is reached (or everything started).
          if (releases.length >= 2) for (const release of releases.splice(0)) release();
        });
        running -= 1;
        return n;
      },
    });
    const agent = toolAgent({ slow }, [
      {
        toolCalls: [
          { name: 'slow', args: { n: 1 } },
          { name: 'slow', args: { n: 2 } },
          { name: 'slow', args: { n: 3 } },
          { name: 'slow', args: { n: 4 } },
        ],
      },
      { text: 'done' },
    ]);
    const executor = createExecutor({ agents: [agent], limits: { toolConcurrency: 2 } });
    const result = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    expect(peak).toBe(2);
    // Results keep the calls' order, whatever order they finished in.
    expect(result.steps?.[0]?.toolResults.map((entry) => entry.status === 'succeeded' && entry.output)).toEqual([
      1, 2, 3, 4,
    ]);
  });
});

describe('cancel and deadlines mid-tool', () => {
  function hangingTool(onStart: () => void, aborted: AbortSignal[]) {
    return defineTool({
      description: 'Hangs until aborted.',
      input: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          aborted.push(signal);
          signal.addEventListener('abort', () => reject(signal.reason));
          onStart();
        }),
    });
  }

  it('cancel fires the tool signal; the record is cancelled and keeps the steps so far', async () => {
    const signals: AbortSignal[] = [];
    const controller = new AbortController();
    const hang = hangingTool(() => controller.abort(), signals);
    const agent = toolAgent({ lookupOrder, hang }, [
      { toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] },
      { toolCalls: [{ name: 'hang', args: {} }] },
      { text: 'never' },
    ]);
    const result = await createExecutor({ agents: [agent] }).execute({
      agentId: 'agent',
      input: {},
      tenant,
      signal: controller.signal,
    });
    expect(result.status).toBe('cancelled');
    expect(signals[0]?.aborted).toBe(true);
    expect(result.steps).toHaveLength(2);
    expect(result.steps?.[1]?.toolResults[0]).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
  });

  it('a tool that ignores its signal does not hold the run past the step deadline', async () => {
    const stuck = defineTool({ description: 'Never ends.', input: z.object({}), execute: () => new Promise(() => {}) });
    const agent = toolAgent({ stuck }, [{ toolCalls: [{ name: 'stuck', args: {} }] }, { text: 'never' }]);
    const executor = createExecutor({
      agents: [agent],
      limits: { timeoutMs: { mock: { totalMs: 5000, stepMs: 20 } } },
    });
    const result = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.code).toBe('timeout');
    expect(result.status === 'failed' && result.error.message).toContain('Step 1');
    expect(result.steps).toHaveLength(1);
  });
});

describe('redaction and tenancy', () => {
  const secret = 'sk-live-abcdefghijklmnopqrstuvwxyz0123456789';

  it('redacts tool arguments and results in events, the record and what the model is sent', async () => {
    let history: import('../agent').MockHistory | undefined;
    const leaky = defineTool({
      description: 'Returns a key.',
      input: z.object({ note: z.string() }),
      execute: () => ({ apiKey: secret }),
    });
    const agent = toolAgent({ leaky }, (_input, seen) => {
      if (seen.step === 0) return { toolCalls: [{ name: 'leaky', args: { note: `use ${secret}` } }] };
      history = seen;
      return { text: 'ok' };
    });
    const executor = createExecutor({ agents: [agent], secrets: [secret] });
    const events = await collect(executor.stream({ agentId: 'agent', input: {}, tenant }));
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).toContain('[REDACTED]');
    expect(JSON.stringify(history?.steps[0]?.toolResults)).not.toContain(secret);
    const record = await executor.getExecution(tenant, events[0]?.executionId as string);
    expect(JSON.stringify(record)).not.toContain(secret);
  });

  it("gives a tool the caller's tenant, whatever the model's arguments say, and nothing else to reach", async () => {
    const seen: unknown[] = [];
    const probe = defineTool({
      description: 'Reads the context.',
      input: z.object({ tenantId: z.string() }),
      execute: ({ tenantId }, context) => {
        seen.push({ asked: tenantId, tenant: context.tenant, keys: Object.keys(context).sort() });
        return context.tenant.tenantId;
      },
    });
    const agent = toolAgent({ probe }, [
      { toolCalls: [{ name: 'probe', args: { tenantId: 'ws_b' } }] },
      { text: 'ok' },
    ]);
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(seen).toEqual([
      {
        asked: 'ws_b',
        tenant: { tenantId: 'ws_a', userId: 'u1' },
        keys: ['executionId', 'logger', 'mode', 'signal', 'tenant'],
      },
    ]);
    expect(result.steps?.[0]?.toolResults[0]).toMatchObject({ output: 'ws_a' });
  });
});

describe('slots and configuration', () => {
  it('counts a multi-step run once against the tenant limit, and gives the slot back however it ends', async () => {
    const looping = toolAgent({ lookupOrder }, () => ({ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] }));
    const executor = createExecutor({ agents: [looping, shipping], limits: { concurrencyPerTenant: 1 } });
    const failed = await executor.execute({ agentId: 'agent', input: {}, tenant });
    expect(failed.status).toBe('failed');
    const results: ExecutionResult[] = [];
    for (let index = 0; index < 3; index += 1)
      results.push(await executor.execute({ agentId: 'shipping', input: { question: 'q' }, tenant }));
    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('refuses an agent with tools on a provider without capabilities.tools', () => {
    const plainProvider: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'plain',
      execute: async () => ({ text: '', usage: null, finishReason: 'stop' }),
    };
    const agent = defineAgent({
      id: 'live-tools',
      name: 'Live tools',
      input: z.object({}),
      prompt: () => 'x',
      model: { provider: 'plain', model: 'm' },
      tools: { lookupOrder },
    });
    expect(() => createExecutor({ agents: [agent], providers: { plain: plainProvider } })).toThrow(
      /has tools, but the "plain" provider cannot call tools/,
    );
  });

  it("runs a tool's own mock in mock mode, and never offers a tool outside its modes", async () => {
    const real: string[] = [];
    const mocked = defineTool({
      description: 'Has a mock.',
      input: z.object({}),
      execute: () => {
        real.push('touched');
        return 'real';
      },
      mock: () => 'mocked',
    });
    const liveOnly = defineTool({
      description: 'Live only.',
      input: z.object({}),
      modes: ['live'],
      execute: () => 'x',
    });
    const agent = toolAgent({ mocked, liveOnly }, [
      {
        toolCalls: [
          { name: 'mocked', args: {} },
          { name: 'liveOnly', args: {} },
        ],
      },
      { text: 'ok' },
    ]);
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(real).toEqual([]);
    const [first, second] = result.steps?.[0]?.toolResults ?? [];
    expect(first).toMatchObject({ status: 'succeeded', output: 'mocked' });
    expect(second?.status === 'failed' && second.error.code).toBe('tool_call_invalid');
  });
});

describe('how a tool loop ends, in words', () => {
  const looping = () => ({ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('names the agent and its limit when maxSteps or the repair budget stops it', async () => {
    const agent = toolAgent({ lookupOrder }, looping, { maxSteps: 2 });
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'max_steps_reached',
      message:
        'Agent "agent" still called tools after 2 steps (its maxSteps), so the run stopped. Raise maxSteps, or make the prompt lead to an answer sooner.',
      executionId: result.id,
      provider: 'mock',
    });
    const invalid = toolAgent({ lookupOrder }, () => ({ toolCalls: [{ name: 'nope', argsText: '{}' }] }), {
      maxSteps: 10,
    });
    const refused = await createExecutor({ agents: [invalid], limits: { maxInvalidToolCalls: 1 } }).execute({
      agentId: 'agent',
      input: {},
      tenant,
    });
    expect(refused.status === 'failed' && refused.error).toMatchObject({
      code: 'tool_call_invalid',
      message:
        'Agent "agent" made 2 invalid tool calls (an unknown tool, or arguments that are not JSON or do not match the tool\'s schema); at most 1 are answered for repair.',
      executionId: refused.id,
      provider: 'mock',
    });
  });

  it('an empty stopWhen is no condition: the last step’s tools are not run', async () => {
    let ran = 0;
    const counted = defineTool({
      description: 'Counts.',
      input: z.object({}),
      execute: () => {
        ran += 1;
        return ran;
      },
    });
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      tools: { counted },
      maxSteps: 1,
      stopWhen: [],
      mock: { steps: [{ toolCalls: [{ name: 'counted', args: {} }] }] },
    });
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status === 'failed' && result.error.code).toBe('max_steps_reached');
    expect(ran).toBe(0);
  });

  it('times a step, and fails one that overruns stepMs with its number and the run’s id', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const slow = defineTool({
      description: 'Takes 250 ms.',
      input: z.object({ hang: z.boolean() }),
      execute: ({ hang }) => new Promise((resolve) => (hang ? undefined : setTimeout(() => resolve('ok'), 250))),
    });
    const agent = toolAgent({ slow }, [
      { toolCalls: [{ name: 'slow', args: { hang: false } }] },
      { toolCalls: [{ name: 'slow', args: { hang: true } }] },
      { text: 'never' },
    ]);
    const executor = createExecutor({
      agents: [agent],
      limits: { timeoutMs: { mock: { totalMs: 60_000, stepMs: 1_000 } } },
    });
    const pending = executor.execute({ agentId: 'agent', input: {}, tenant });
    await vi.advanceTimersByTimeAsync(1_250);
    const result = await pending;
    expect(result.steps?.[0]?.durationMs).toBe(250);
    expect(result.steps?.[1]?.durationMs).toBe(1_000);
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'timeout',
      message: 'Step 2 did not finish within 1000 ms.',
      executionId: result.id,
      provider: 'mock',
    });
  });
});

describe('what mutation testing found untested in the tool loop (round 6)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives each stop condition call its own copy of the steps so far', async () => {
    const seen: (readonly unknown[])[] = [];
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      tools: { lookupOrder },
      stopWhen: ({ steps }) => {
        seen.push(steps);
        return false;
      },
      mock: {
        steps: [
          { toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] },
          { toolCalls: [{ name: 'lookupOrder', args: { id: '2' } }] },
          { text: 'done' },
        ],
      },
    });
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    // What the first call was given still holds one step, not the run's list as it grew.
    expect(seen.map((steps) => steps.length)).toEqual([1, 2]);
    expect(result.steps).toHaveLength(3);
  });

  it('a stop condition that throws fails the run under its execution id', async () => {
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      tools: { lookupOrder },
      stopWhen: () => {
        throw new Error('broken condition');
      },
      mock: { steps: [{ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] }, { text: 'done' }] },
    });
    const events: ExecutionEvent[] = [];
    for await (const event of createExecutor({ agents: [agent] }).stream({ agentId: 'agent', input: {}, tenant }))
      events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    const error = last?.type === 'execution-error' ? last.error : undefined;
    expect(error).toMatchObject({ code: 'internal', executionId: last?.executionId });
  });

  it('leaves no step timer behind once the steps are done', async () => {
    // The timers a run leaves armed (unref'd: the run deadlines' and the lease renewals'), with
    // and without a step deadline: a step's own timer is cleared when the step ends.
    const timersLeft = async (stepMs: number | undefined) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const executor = createExecutor({
        agents: [shipping],
        limits: { timeoutMs: { mock: { totalMs: 60_000, ...(stepMs === undefined ? {} : { stepMs }) } } },
      });
      const pending = executor.execute({ agentId: 'shipping', input: { question: 'Where?' }, tenant });
      await vi.advanceTimersByTimeAsync(0);
      expect((await pending).status).toBe('succeeded');
      const count = vi.getTimerCount();
      vi.useRealTimers();
      return count;
    };
    const without = await timersLeft(undefined);
    expect(await timersLeft(30_000)).toBe(without);
  });

  it('on a tape replay, gives the model the recorded tool results and never calls the tools', async () => {
    const called: string[] = [];
    const lookup = defineTool({
      description: 'Looks up an order.',
      input: z.object({ id: z.string() }),
      execute: ({ id }) => {
        called.push(id);
        return { id, status: 'live' };
      },
    });
    const requests: unknown[] = [];
    const steps: unknown[] = [];
    const replay: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'replay',
      capabilities: { tools: true },
      execute: async (request) => {
        requests.push(request.messages);
        return requests.length === 1
          ? {
              text: '',
              toolCalls: [{ id: 'call_a', name: 'lookup', argsText: '{"id":"7"}' }],
              usage: null,
              finishReason: 'tool_calls',
            }
          : { text: 'It was shipped.', usage: null, finishReason: 'stop' };
      },
      recordedToolResults: async (step) => {
        steps.push(step);
        return [
          {
            result: { id: 'call_a', name: 'lookup', durationMs: 3, status: 'succeeded', output: { recorded: true } },
            message: { role: 'tool', toolCallId: 'call_a', toolName: 'lookup', content: '{"recorded":true}' },
          },
        ];
      },
    };
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      model: { provider: 'replay', model: 'm' },
      modes: ['live'],
      tools: { lookup },
    });
    const events: ExecutionEvent[] = [];
    for await (const event of createExecutor({ agents: [agent], providers: { replay } }).stream({
      agentId: 'agent',
      input: {},
      tenant,
      mode: 'live',
    }))
      events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('execution-finish');
    const result = last?.type === 'execution-finish' ? last.result : undefined;
    expect(called).toEqual([]);
    expect(steps).toEqual([
      {
        agentId: 'agent',
        executionId: result?.id,
        messages: expect.any(Array),
        toolCalls: [{ id: 'call_a', name: 'lookup', argsText: '{"id":"7"}' }],
      },
    ]);
    expect(result?.steps?.[0]?.toolResults).toEqual([
      { id: 'call_a', name: 'lookup', durationMs: 3, status: 'succeeded', output: { recorded: true } },
    ]);
    expect(events.filter((event) => event.type === 'tool-result')).toEqual([
      {
        type: 'tool-result',
        executionId: result?.id,
        stepIndex: 0,
        toolResult: { id: 'call_a', name: 'lookup', durationMs: 3, status: 'succeeded', output: { recorded: true } },
      },
    ]);
    expect(requests[1]).toContainEqual({
      role: 'tool',
      toolCallId: 'call_a',
      toolName: 'lookup',
      content: '{"recorded":true}',
    });
    expect(result?.output).toBe('It was shipped.');
  });
});

describe('what mutation testing found untested in the tool loop (round 6, run 3)', () => {
  it("sums every step's usage into the run's metrics, over three steps and more", async () => {
    const agent = toolAgent({ lookupOrder }, [
      { toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] },
      { toolCalls: [{ name: 'lookupOrder', args: { id: '2' } }] },
      { toolCalls: [{ name: 'lookupOrder', args: { id: '3' } }] },
      { text: 'done' },
    ]);
    const result = await createExecutor({ agents: [agent] }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.steps).toHaveLength(4);
    const sum = (key: 'inputTokens' | 'outputTokens') =>
      (result.steps ?? []).reduce((total, step) => total + (step.usage[key] ?? 0), 0);
    expect(result.metrics.inputTokens).toBe(sum('inputTokens'));
    expect(result.metrics.outputTokens).toBe(sum('outputTokens'));
  });

  it('closes the last step with its step-finish event when maxSteps stops the run', async () => {
    const agent = toolAgent({ lookupOrder }, () => ({ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] }), {
      maxSteps: 2,
    });
    const events = await collect(createExecutor({ agents: [agent] }).stream({ agentId: 'agent', input: {}, tenant }));
    const steps = events.filter((event) => event.type === 'step-start' || event.type === 'step-finish');
    expect(steps.map((event) => event.type)).toEqual(['step-start', 'step-finish', 'step-start', 'step-finish']);
    const last = events.at(-1);
    expect(last?.type === 'execution-error' && last.error.code).toBe('max_steps_reached');
  });

  it("logs a failing stop condition's words with the agent it belongs to", async () => {
    const lines: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (event: string, fields?: object) => lines.push(`${event} ${JSON.stringify(fields)}`),
    };
    const agent = defineAgent({
      id: 'agent',
      name: 'Agent',
      input: z.object({}),
      prompt: () => 'go',
      tools: { lookupOrder },
      stopWhen: () => {
        throw new Error('condition blew up');
      },
      mock: { steps: [{ toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] }, { text: 'done' }] },
    });
    const result = await createExecutor({ agents: [agent], logger }).execute({ agentId: 'agent', input: {}, tenant });
    expect(result.status).toBe('failed');
    const logged = lines.join('\n');
    expect(logged).toContain('The stop condition (stopWhen) of agent \\"agent\\" failed');
    expect(logged).toContain('condition blew up');
  });
});
