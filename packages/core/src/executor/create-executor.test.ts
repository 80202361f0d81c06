import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { acme, acmeOnly, echo, globex, summarize } from '../../test/agents';
import {
  createExecutor,
  createMemoryStore,
  defineAgent,
  type ExecutionEvent,
  isAgentryError,
  jsonLogger,
  mockProvider,
  type ProviderAdapter,
} from '../index';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('mock mode', () => {
  it('is deterministic: same agent, input and seed give identical output and usage', async () => {
    const run = async (seed: number) => {
      const executor = createExecutor({ agents: [summarize], providers: { mock: mockProvider({ seed }) } });
      const result = await executor.execute({
        agentId: 'summarize',
        input: { text: 'The quick brown fox jumps.' },
        tenant: acme,
      });
      if (result.status !== 'succeeded') throw new Error(result.error.message);
      return { output: result.output, tokens: [result.metrics.inputTokens, result.metrics.outputTokens] };
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(first.output.words).toBe(5);
    expect(first.tokens[0]).toBeGreaterThan(0);
    expect(first.tokens[1]).toBeGreaterThan(0);
    // Across seeds the picked phrase varies: the seed is really used.
    const outputs = new Set<string>();
    for (let seed = 0; seed < 12; seed += 1) outputs.add((await run(seed)).output.summary);
    expect(outputs.size).toBeGreaterThan(1);
  });

  it('returns a typed, complete record with metrics marked simulated', async () => {
    const executor = createExecutor({ agents: [summarize] });
    const result = await executor.execute({ agentId: 'summarize', input: { text: 'Hello there' }, tenant: acme });
    expect(result).toMatchObject({
      agentId: 'summarize',
      mode: 'mock',
      requestedMode: 'mock',
      status: 'succeeded',
      tenantId: 'acme',
      userId: 'alice',
      input: { text: 'Hello there', style: 'brief' },
    });
    expect(result.id).toMatch(/^exe_[0-9a-f]{32}$/);
    expect(result.metrics).toMatchObject({ provider: 'mock', model: 'gpt-4.1-mini', attempts: 1, simulated: true });
    expect(result.metrics.costUsd).toBeGreaterThan(0);
    expect(Date.parse(result.finishedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
  });

  it('streams events in order: start, deltas, usage, finish; deltas join to the output', async () => {
    const executor = createExecutor({ agents: [echo] });
    const events = await collect(executor.stream({ agentId: 'echo', input: { message: 'hi' }, tenant: acme }));
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('execution-start');
    expect(types.at(-1)).toBe('execution-finish');
    expect(types.at(-2)).toBe('usage');
    expect(types.filter((type) => type === 'output-delta').length).toBeGreaterThan(5);
    const text = events.map((event) => (event.type === 'output-delta' ? event.delta : '')).join('');
    const finish = events.at(-1) as Extract<ExecutionEvent, { type: 'execution-finish' }>;
    expect(finish.result.output).toBe(text);
    expect(text).toBe('You said: hi. That is all I have to say about it.');
    expect(new Set(events.map((event) => event.executionId)).size).toBe(1);
  });

  it('supports fixtures and scripted streams', async () => {
    const scripted = defineAgent({
      id: 'scripted',
      name: 'Scripted',
      input: z.object({}),
      prompt: () => 'go',
      mock: { stream: ['Hel', 'lo', ', world'] },
    });
    const executor = createExecutor({ agents: [scripted, acmeOnly] });
    const events = await collect(executor.stream({ agentId: 'scripted', input: {}, tenant: acme }));
    expect(
      events
        .filter((event) => event.type === 'output-delta')
        .map((event) => event.type === 'output-delta' && event.delta),
    ).toEqual(['Hel', 'lo', ', world']);
    const hit = await executor.execute({ agentId: 'acme-secret-agent', input: { q: 'hi' }, tenant: acme });
    const miss = await executor.execute({ agentId: 'acme-secret-agent', input: { q: 'other' }, tenant: acme });
    expect(hit.status === 'succeeded' && hit.output).toBe('hello acme');
    expect(miss.status === 'succeeded' && miss.output).toBe('acme fallback');
  });

  it('cancels mid-stream: the record is cancelled, keeps the partial output, duration and first-output time', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: { firstOutputMs: 50, chunkMs: 100 } }) },
      limits: { timeoutMs: { mock: 60_000 } },
    });
    const controller = new AbortController();
    const events: ExecutionEvent[] = [];
    const done = (async () => {
      for await (const event of executor.stream({
        agentId: 'echo',
        input: { message: 'hi' },
        tenant: acme,
        signal: controller.signal,
      })) {
        events.push(event);
      }
    })();
    await vi.advanceTimersByTimeAsync(260);
    controller.abort();
    await done;
    const deltas = events.filter((event) => event.type === 'output-delta');
    expect(deltas).toHaveLength(3);
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    if (last?.type !== 'execution-error') return;
    expect(last.result.status).toBe('cancelled');
    expect(last.error.code).toBe('cancelled');
    expect(last.result.output).toBe('You said: hi. ');
    expect(last.result.metrics.timeToFirstOutputMs).toBeGreaterThanOrEqual(50);
    expect(last.result.metrics.durationMs).toBeGreaterThanOrEqual(250);
    const history = await executor.listExecutions(acme);
    expect(history.items.map((item) => item.status)).toEqual(['cancelled']);
  });

  it('breaking out of a stream cancels the run and still records it', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: 10 }) },
      limits: { timeoutMs: { mock: 60_000 } },
    });
    const consume = (async () => {
      for await (const event of executor.stream({ agentId: 'echo', input: { message: 'hi' }, tenant: acme })) {
        if (event.type === 'output-delta') break;
      }
    })();
    await vi.advanceTimersByTimeAsync(100);
    await consume;
    const [record] = (await executor.listExecutions(acme)).items;
    expect(record?.status).toBe('cancelled');
  });
});

describe('limits and retries', () => {
  it('times out a slow provider with code timeout, per mode', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: { firstOutputMs: 10_000 } }) },
      limits: { maxRetries: 0 },
    });
    const pending = executor.execute({ agentId: 'echo', input: { message: 'hi' }, tenant: acme });
    await vi.advanceTimersByTimeAsync(500);
    const result = await pending;
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe('timeout');
    expect(result.error.message).toContain('500 ms');
    expect(result.metrics.attempts).toBe(1);
  });

  it('retries retryable failures with exponential backoff: exact attempts and delays', async () => {
    vi.useFakeTimers();
    const onRetry = vi.fn();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'provider_error', onCalls: [1, 2] } }) },
      limits: { maxRetries: 2, backoff: { initialMs: 100, factor: 3, jitter: 'none' }, timeoutMs: { mock: 10_000 } },
      onRetry,
    });
    const pending = executor.execute({ agentId: 'echo', input: { message: 'hi' }, tenant: acme });
    await vi.advanceTimersByTimeAsync(99);
    expect(onRetry).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(299);
    expect(onRetry).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result.status).toBe('succeeded');
    expect(result.metrics.attempts).toBe(3);
    expect(onRetry.mock.calls.map(([state]) => [state.attempt, state.delayMs, state.error.code])).toEqual([
      [1, 100, 'provider_error'],
      [2, 300, 'provider_error'],
    ]);
  });

  it("honours a provider's retry-after instead of the backoff", async () => {
    vi.useFakeTimers();
    const onRetry = vi.fn();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'rate_limit', onCalls: [1], retryAfterMs: 1500 } }) },
      limits: { backoff: { initialMs: 10, jitter: 'none' }, timeoutMs: { mock: 10_000 } },
      onRetry,
    });
    let settled = false;
    const pending = executor.execute({ agentId: 'echo', input: { message: 'hi' }, tenant: acme }).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(1499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(result.status).toBe('succeeded');
    expect(result.metrics.attempts).toBe(2);
    expect(onRetry.mock.calls[0]?.[0].delayMs).toBe(1500);
  });

  it('does not retry non-retryable errors, nor past maxRetries, nor waits longer than maxRetryAfterMs', async () => {
    const auth = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'auth_failed', rate: 1 } }) },
    });
    const authResult = await auth.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    expect(authResult.status === 'failed' && [authResult.error.code, authResult.metrics.attempts]).toEqual([
      'provider_auth_failed',
      1,
    ]);

    const longWait = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'rate_limit', rate: 1, retryAfterMs: 120_000 } }) },
    });
    const waitResult = await longWait.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    expect(waitResult.status === 'failed' && [waitResult.error.code, waitResult.metrics.attempts]).toEqual([
      'rate_limited',
      1,
    ]);

    vi.useFakeTimers();
    const always = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'provider_error', rate: 1 } }) },
      limits: { maxRetries: 3, backoff: { initialMs: 1, jitter: 'none' }, timeoutMs: { mock: 10_000 } },
    });
    const pending = always.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    await vi.advanceTimersByTimeAsync(100);
    const result = await pending;
    expect(result.status === 'failed' && [result.error.code, result.metrics.attempts]).toEqual(['provider_error', 4]);
  });

  it('in a stream, never retries once output was sent (no duplicated text)', async () => {
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ failures: { kind: 'provider_error', onCalls: [1], at: 'mid-stream' } }) },
    });
    const events = await collect(executor.stream({ agentId: 'echo', input: { message: 'hi' }, tenant: acme }));
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    if (last?.type !== 'execution-error') return;
    expect(last.result.metrics.attempts).toBe(1);
    expect(last.result.output).toBe('You said: hi. That is all ');
  });

  it('times out between chunks (idleMs) and before the first chunk (firstOutputMs)', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: { firstOutputMs: 10, chunkMs: 300 } }) },
      limits: { maxRetries: 0, timeoutMs: { mock: { totalMs: 60_000, idleMs: 200 } } },
    });
    const pending = collect(executor.stream({ agentId: 'echo', input: { message: 'hi' }, tenant: acme }));
    await vi.advanceTimersByTimeAsync(500);
    const events = await pending;
    const last = events.at(-1);
    expect(last?.type === 'execution-error' && last.error.message).toBe(
      'The next output chunk did not arrive within 200 ms.',
    );

    const slowStart = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: { firstOutputMs: 300, chunkMs: 10 } }) },
      limits: { maxRetries: 0, timeoutMs: { mock: { totalMs: 60_000, firstOutputMs: 200, idleMs: 1_000 } } },
    });
    const waiting = collect(slowStart.stream({ agentId: 'echo', input: { message: 'hi' }, tenant: acme }));
    await vi.advanceTimersByTimeAsync(500);
    const first = (await waiting).at(-1);
    expect(first?.type === 'execution-error' && first.error.message).toBe(
      'The first output did not arrive within 200 ms.',
    );
    expect(first?.type === 'execution-error' && first.result.metrics.durationMs).toBe(200);
  });

  it('refuses input over maxInputBytes with input_too_large, before running', async () => {
    const executor = createExecutor({ agents: [echo], limits: { maxInputBytes: 100 } });
    const error = await rejection(
      executor.execute({ agentId: 'echo', input: { message: 'é'.repeat(60) }, tenant: acme }),
    );
    expect(error).toMatchObject({ code: 'input_too_large', status: 413 });
    expect(error.message).toContain('134 bytes');
    expect((await executor.listExecutions(acme)).items).toHaveLength(0);
  });

  it('limits concurrency per tenant: excess fails at once with limit_exceeded; other tenants are unaffected', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: 100 }) },
      limits: { concurrencyPerTenant: 2, timeoutMs: { mock: 60_000 } },
    });
    const input = { message: 'hi' };
    const first = executor.execute({ agentId: 'echo', input, tenant: acme });
    const second = executor.execute({ agentId: 'echo', input, tenant: acme });
    await vi.advanceTimersByTimeAsync(0);
    const third = await rejection(executor.execute({ agentId: 'echo', input, tenant: acme }));
    expect(third).toMatchObject({ code: 'limit_exceeded', retryable: true, status: 429 });
    const other = executor.execute({ agentId: 'echo', input, tenant: globex });
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await first).status).toBe('succeeded');
    expect((await second).status).toBe('succeeded');
    expect((await other).status).toBe('succeeded');
    // Slots are released: a new run goes through.
    const again = executor.execute({ agentId: 'echo', input, tenant: acme });
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await again).status).toBe('succeeded');
  });

  it('rejects impossible settings at configuration time', () => {
    expect(() => createExecutor({ limits: { maxRetries: -1 } })).toThrow(/limits.maxRetries must be an integer >= 0/);
    expect(() => createExecutor({ limits: { timeoutMs: { mock: 0 } } })).toThrow(/timeoutMs.mock/);
    expect(() => createExecutor({ agents: [echo, echo] })).toThrow(/two agents share the id "echo"/);
    expect(() => createExecutor({ providers: { openai: {} as ProviderAdapter } })).toThrow(
      /providers.openai is not a provider/,
    );
  });
});

describe('output validation', () => {
  it('answers output_invalid when the output breaks the output schema, with paths', async () => {
    const broken = defineAgent({
      id: 'broken',
      name: 'Broken',
      input: z.object({}),
      output: z.object({ score: z.number().min(0).max(1) }),
      prompt: () => 'x',
      mock: () => ({ score: 7 }),
    });
    const executor = createExecutor({ agents: [broken] });
    const result = await executor.execute({ agentId: 'broken', input: {}, tenant: acme });
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error.code).toBe('output_invalid');
    expect(result.error.retryable).toBe(false);
    expect(result.error.issues?.[0]?.path).toEqual(['score']);
    expect(result.metrics.attempts).toBe(1);
  });

  it('parses JSON text from a provider (even inside a code fence) before validating it', async () => {
    const agent = defineAgent({
      id: 'json',
      name: 'JSON',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      model: { provider: 'custom', model: 'm' },
      prompt: () => 'x',
    });
    const replies = ['```json\n{"ok": true}\n```', 'not json'];
    const custom: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'custom',
      async execute() {
        return { text: replies.shift() ?? '', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
      },
    };
    const executor = createExecutor({ agents: [agent], providers: { custom } });
    const good = await executor.execute({ agentId: 'json', input: {}, tenant: acme, mode: 'live' });
    expect(good.status === 'succeeded' && good.output).toEqual({ ok: true });
    expect(good.metrics.costUsd).toBeNull();
    const bad = await executor.execute({ agentId: 'json', input: {}, tenant: acme, mode: 'live' });
    expect(bad.status === 'failed' && bad.error.code).toBe('output_invalid');
  });
});

describe('input validation', () => {
  const executor = createExecutor({ agents: [summarize] });
  it.each([
    ['wrong types', { text: 42 }, [['text']]],
    ['missing field', {}, [['text']]],
    ['bad enum and too short', { text: '', style: 'long' }, [['text'], ['style']]],
    ['not an object', 'just a string', [[]]],
    ['an array', [1, 2], [[]]],
  ])('%s → validation_failed with paths', async (_name, input, paths) => {
    const error = await rejection(executor.execute({ agentId: 'summarize', input: input as never, tenant: acme }));
    expect(isAgentryError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    expect((error.issues as { path: unknown[] }[]).map((issue) => issue.path)).toEqual(paths);
    expect(error.message).toMatch(/^Invalid input for agent "summarize": /);
  });

  it('missing input, and unknown mode, are explained', async () => {
    const missing = await rejection(executor.execute({ agentId: 'summarize', tenant: acme } as never));
    expect(missing).toMatchObject({
      code: 'validation_failed',
      message: 'The input is missing: pass `input`, e.g. an object.',
    });
    const mode = await rejection(
      executor.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'turbo' as never, tenant: acme }),
    );
    expect(mode).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: ['mode'], message: 'Expected "mock" or "live".' }],
    });
  });
});

describe('tenancy', () => {
  it('requires a tenant everywhere (fail closed)', async () => {
    const executor = createExecutor({ agents: [echo] });
    for (const tenant of [undefined, null, {}, { tenantId: '' }, { tenantId: 5 }]) {
      const error = await rejection(
        executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant: tenant as never }),
      );
      expect(error).toMatchObject({ code: 'tenant_required', status: 401 });
    }
    await expect(
      collect(executor.stream({ agentId: 'echo', input: { message: 'x' }, tenant: undefined as never })),
    ).rejects.toMatchObject({
      code: 'tenant_required',
    });
    await expect(executor.listExecutions(undefined as never)).rejects.toMatchObject({ code: 'tenant_required' });
    await expect(executor.getExecution({ tenantId: ' ' }, 'exe_1')).rejects.toMatchObject({ code: 'tenant_required' });
    expect(() => executor.forTenant({} as never)).toThrow(/tenant is required/);
  });

  it('isolates two tenants across execute, stream, history, lookup and agent listing', async () => {
    const executor = createExecutor({ agents: [echo, acmeOnly] });
    const mine = await executor.execute({ agentId: 'acme-secret-agent', input: { q: 'hi' }, tenant: acme });
    await collect(executor.stream({ agentId: 'echo', input: { message: 'from acme' }, tenant: acme }));

    // Globex cannot run, stream or see Acme's agent: it answers not_found, like an unknown id.
    const unknown = await rejection(executor.execute({ agentId: 'nope' as never, input: {}, tenant: globex }));
    const foreign = await rejection(
      executor.execute({ agentId: 'acme-secret-agent', input: { q: 'hi' }, tenant: globex }),
    );
    expect(foreign).toMatchObject({ code: 'not_found', status: 404 });
    expect(foreign.message).toBe(String(unknown.message).replace('nope', 'acme-secret-agent'));
    await expect(
      collect(executor.stream({ agentId: 'acme-secret-agent', input: { q: 'hi' }, tenant: globex })),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(executor.getAgent('acme-secret-agent', globex)).rejects.toMatchObject({ code: 'not_found' });
    expect((await executor.listAgents(globex)).map((agent) => agent.id)).toEqual(['echo']);
    expect((await executor.listAgents(acme)).map((agent) => agent.id)).toEqual(['echo', 'acme-secret-agent']);

    // History is per tenant, and a foreign id answers not_found.
    expect((await executor.listExecutions(globex)).items).toEqual([]);
    expect((await executor.listExecutions(acme)).items).toHaveLength(2);
    await expect(executor.getExecution(globex, mine.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(executor.getExecution(acme, mine.id)).resolves.toMatchObject({ id: mine.id });

    // The tenant-bound handle cannot mix tenants.
    const handle = executor.forTenant(globex);
    await expect(handle.getExecution(mine.id)).rejects.toMatchObject({ code: 'not_found' });
    await handle.execute({ agentId: 'echo', input: { message: 'from globex' } });
    expect((await handle.listExecutions()).items.map((item) => item.tenantId)).toEqual(['globex']);
  });

  it('re-checks records from a store that leaks across tenants, and agents from a resolver that does', async () => {
    const inner = createMemoryStore();
    const leakyStore = {
      save: inner.save,
      get: async (_tenantId: string, id: string) => (await inner.get('acme', id)) ?? undefined,
      list: async () => inner.list('acme'),
    };
    const executor = createExecutor({
      agents: [echo],
      store: leakyStore,
      resolveAgent: () => acmeOnly,
    });
    const record = await executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    expect((await executor.listExecutions(globex)).items).toEqual([]);
    await expect(executor.getExecution(globex, record.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      executor.execute({ agentId: 'acme-secret-agent' as never, input: { q: 'x' } as never, tenant: globex }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('live mode and the kill switch', () => {
  const liveProvider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'openai',
    async execute(request) {
      return {
        text: JSON.stringify({ summary: `live ${request.model}`, words: 1 }),
        usage: { inputTokens: 1000, outputTokens: 500 },
        finishReason: 'stop',
        model: 'gpt-4.1-mini-2025-04-14',
      };
    },
  };

  it('runs live through the configured provider with real cost', async () => {
    const executor = createExecutor({ agents: [summarize], providers: { openai: liveProvider } });
    const result = await executor.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live', tenant: acme });
    expect(result).toMatchObject({
      status: 'succeeded',
      mode: 'live',
      output: { summary: 'live gpt-4.1-mini', words: 1 },
    });
    expect(result.metrics).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini-2025-04-14', simulated: false });
    expect(result.metrics.costUsd).toBeCloseTo((1000 * 0.4 + 500 * 1.6) / 1e6, 9);
  });

  it('live disabled → live_disabled; optionally falls back to mock, marked as such', async () => {
    const off = createExecutor({
      agents: [summarize],
      providers: { openai: liveProvider },
      live: { enabled: false, reason: 'Maintenance.' },
    });
    await expect(
      off.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live', tenant: acme }),
    ).rejects.toMatchObject({
      code: 'live_disabled',
      message: 'Maintenance. Run in mock mode instead.',
    });
    expect(off.liveStatus(acme, summarize)).toEqual({ available: false, reason: 'Maintenance.' });
    expect((await off.health()).live).toEqual({ enabled: false, reason: 'Maintenance.' });

    const fallback = createExecutor({
      agents: [summarize],
      providers: { openai: liveProvider },
      live: { enabled: () => false, fallbackToMock: true },
    });
    const result = await fallback.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live', tenant: acme });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'mock', requestedMode: 'live' });
    expect(result.metrics.simulated).toBe(true);
  });

  it('a live run without its provider → provider_not_configured, and the summary says why', async () => {
    const executor = createExecutor({ agents: [summarize, echo] });
    await expect(
      executor.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live', tenant: acme }),
    ).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
    await expect(
      executor.execute({ agentId: 'echo', input: { message: 'x' }, mode: 'live', tenant: acme }),
    ).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
    const summaries = await executor.listAgents(acme);
    expect(summaries.find((agent) => agent.id === 'summarize')?.live).toEqual({
      available: false,
      reason:
        'Live mode is not set up on this server yet (the "openai" provider is not configured). Use mock mode, or ask an administrator to set it up.',
    });
    expect(summaries[0]?.inputSchema).toMatchObject({ type: 'object', required: ['text'] });
    expect(summaries[0]?.example).toEqual({ text: 'Agentry runs agents in mock and live mode.' });
  });

  it('aggregates provider health within a bound', async () => {
    vi.useFakeTimers();
    const hanging: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'slow',
      execute: liveProvider.execute,
      health: () => new Promise(() => {}),
    };
    const executor = createExecutor({ providers: { slow: hanging } });
    const pending = executor.health({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    const report = await pending;
    expect(report.status).toBe('degraded');
    expect(report.providers.mock?.status).toBe('ok');
    expect(report.providers.slow).toMatchObject({ status: 'down', message: 'Health check timed out after 1000 ms.' });
  });
});

describe('telemetry', () => {
  it('onEvent sees every event with its tenant; a throwing hook changes nothing', async () => {
    const seen: string[] = [];
    const executor = createExecutor({
      agents: [echo],
      onEvent: (event, { tenant }) => {
        seen.push(`${tenant.tenantId}:${event.type}`);
        throw new Error('hook bug');
      },
    });
    const result = await executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    expect(result.status).toBe('succeeded');
    expect(seen).toEqual(['acme:execution-start', 'acme:usage', 'acme:execution-finish']);
  });
});

describe('honest failures', () => {
  it('a mock that throws is an internal error naming the agent, and cost is unknown (null) without usage', async () => {
    const buggy = defineAgent({
      id: 'buggy',
      name: 'Buggy',
      input: z.object({}),
      prompt: () => 'x',
      mock: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    });
    const lines: string[] = [];
    const executor = createExecutor({ agents: [buggy], logger: jsonLogger({ write: (line) => lines.push(line) }) });
    const result = await executor.execute({ agentId: 'buggy', input: {}, tenant: acme });
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.error).toMatchObject({ code: 'internal', retryable: false });
    // The agent's own words go to the server log only, never the record.
    expect(result.error.message).toBe(
      'Agent "buggy" failed with an unexpected error; the details are in the server log.',
    );
    expect(lines.join('\n')).toContain("Cannot read properties of undefined (reading 'x')");
    expect(result.metrics.costUsd).toBeNull();
    expect(result.metrics.attempts).toBe(1);
  });
});

describe('configuration-time checks', () => {
  it("a provider that cannot honour an agent's model settings fails createExecutor, naming the agent", async () => {
    const hot = defineAgent({
      id: 'hot',
      name: 'Hot',
      input: z.object({}),
      model: { provider: 'strict', model: 'm', temperature: 1.5 },
      prompt: () => 'x',
    });
    const strict: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'strict',
      checkAgent: (agent) =>
        agent.model?.temperature === undefined ? undefined : `Agent "${agent.id}" sets temperature.`,
      execute: async () => ({ text: 'x', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' }),
    };
    expect(() => createExecutor({ agents: [hot], providers: { strict } })).toThrow(
      'createExecutor: Agent "hot" sets temperature.',
    );
    // Agents resolved at run time are checked when they run live.
    const resolved = createExecutor({ providers: { strict }, resolveAgent: () => hot });
    await expect(resolved.execute({ agentId: 'hot', input: {}, mode: 'live', tenant: acme })).rejects.toMatchObject({
      code: 'provider_not_configured',
      message: 'Agent "hot" sets temperature.',
    });
  });
});

describe('review regressions', () => {
  it('phase timeouts keep the default whole-run deadline: a run that stalls after its first chunk still ends', async () => {
    vi.useFakeTimers();
    const stalls: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'mock',
      simulated: true,
      execute: async () => ({ text: '', usage: { inputTokens: 0, outputTokens: 0 }, finishReason: 'stop' }),
      async *stream() {
        yield { type: 'text-delta', delta: 'first' };
        await new Promise(() => {});
      },
    };
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: stalls },
      limits: { maxRetries: 0, concurrencyPerTenant: 1, timeoutMs: { mock: { firstOutputMs: 100 } } },
    });
    const pending = collect(executor.stream({ agentId: 'echo', input: { message: 'x' }, tenant: acme }));
    await vi.advanceTimersByTimeAsync(500);
    const last = (await pending).at(-1);
    // The whole-run deadline (mock's default 500 ms) ended it, not the first-output timer, which
    // the first chunk disarmed: both say `timeout`, so the message tells them apart.
    expect(last?.type === 'execution-error' && last.error).toMatchObject({
      code: 'timeout',
      message: 'The execution did not finish within 500 ms.',
    });
    // The slot was released: the tenant's next run is not refused.
    const next = executor.execute({ agentId: 'echo', input: { message: 'y' }, tenant: acme });
    await vi.advanceTimersByTimeAsync(500);
    expect((await next).status).toBe('succeeded');
  });

  it("counts the whole-run deadline from the run's start, its synchronous stretch included", async () => {
    // The deadline is armed only once a run waits (nothing can fire while it runs synchronously),
    // but it is counted from the start: 400 ms spent before the provider's promise leave 100.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const slowThenWaits: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'mock',
      simulated: true,
      execute: (_request, context) => {
        vi.advanceTimersByTime(400);
        return new Promise((_resolve, reject) =>
          context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }),
        );
      },
    };
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: slowThenWaits },
      limits: { maxRetries: 0, timeoutMs: { mock: { totalMs: 500 } } },
    });
    let settled = false;
    const pending = executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme });
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toMatchObject({
      status: 'failed',
      error: { code: 'timeout', message: 'The execution did not finish within 500 ms.' },
    });
  });

  it('releases the concurrency slot after a cancel, a timeout, and a consumer that throws', async () => {
    vi.useFakeTimers();
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider({ latency: 50 }) },
      limits: { concurrencyPerTenant: 1, maxRetries: 0, timeoutMs: { mock: 300 } },
    });
    const input = { message: 'hi' };
    // Cancel.
    const controller = new AbortController();
    const cancelled = executor.execute({ agentId: 'echo', input, tenant: acme, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(60);
    controller.abort();
    expect((await cancelled).status).toBe('cancelled');
    // Timeout.
    const timedOut = executor.execute({ agentId: 'echo', input, tenant: acme });
    await vi.advanceTimersByTimeAsync(300);
    expect((await timedOut).status).toBe('failed');
    // A consumer that throws mid-stream.
    const throwing = (async () => {
      for await (const event of executor.stream({ agentId: 'echo', input, tenant: acme })) {
        if (event.type === 'output-delta') throw new Error('consumer bug');
      }
    })().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(60);
    expect(await throwing).toMatchObject({ message: 'consumer bug' });
    // After all three, the single slot is free again.
    const fast = createExecutor({ agents: [echo], limits: { concurrencyPerTenant: 1 } });
    expect((await fast.execute({ agentId: 'echo', input, tenant: acme })).status).toBe('succeeded');
    const again = executor.execute({
      agentId: 'echo',
      input: { message: 'ok' },
      tenant: acme,
      signal: controller.signal,
    });
    await expect(again).resolves.toMatchObject({ status: 'cancelled' });
    const history = await executor.listExecutions(acme);
    expect(history.items.map((item) => item.status)).toEqual(['cancelled', 'cancelled', 'failed', 'cancelled']);
  });

  it('a resolver that throws becomes a generic internal refusal; the raw message stays in the redacted log only', async () => {
    const lines: string[] = [];
    const executor = createExecutor({
      resolveAgent: () => {
        throw new Error('connect failed postgres://admin:hunter2@db.internal:5432/app');
      },
      logger: jsonLogger({ write: (line) => lines.push(line) }),
    });
    const error = await rejection(executor.execute({ agentId: 'any', input: {}, tenant: acme }));
    expect(error).toMatchObject({
      code: 'internal',
      status: 500,
      message: 'An unexpected error occurred before the execution could start.',
    });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('connect failed postgres://[REDACTED]@db.internal:5432/app');
    expect(lines[0]).not.toContain('hunter2');
  });

  it('a logger that throws cannot turn a finished run into a failure', async () => {
    const executor = createExecutor({
      agents: [echo],
      logger: {
        debug() {},
        info() {
          throw new Error('EPIPE');
        },
        warn() {},
        error() {},
      },
    });
    await expect(executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant: acme })).resolves.toMatchObject({
      status: 'succeeded',
    });
  });

  it('health reports a per-tenant kill switch as such, not as "on"', async () => {
    const executor = createExecutor({ live: { enabled: (tenant) => tenant.tenantId === 'acme' } });
    expect((await executor.health()).live).toEqual({ enabled: 'per-tenant' });
    expect(executor.liveStatus(globex)).toMatchObject({ available: false });
    expect(executor.liveStatus(acme)).toEqual({ available: true });
  });
});

describe('foreign provider errors', () => {
  it("a provider's unmapped exception is recorded by kind only; its words go to the redacted log", async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const agent = defineAgent({
      id: 'live-only',
      name: 'Live only',
      input: z.object({}),
      model: { provider: 'custom', model: 'm' },
      prompt: () => 'x',
    });
    let calls = 0;
    const custom: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'custom',
      async execute() {
        calls += 1;
        throw new RangeError('upstream refused token at http://10.0.0.5:8080/v1');
      },
    };
    const executor = createExecutor({
      agents: [agent],
      providers: { custom },
      logger: jsonLogger({ write: (line) => lines.push(line) }),
      limits: { maxRetries: 2, backoff: { initialMs: 100, factor: 2, jitter: 'none' } },
    });
    const pending = executor.execute({ agentId: 'live-only', input: {}, mode: 'live', tenant: acme });
    // An unmapped exception is a retryable provider_error: two retries, 100 ms then 200 ms apart.
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    const result = await pending;
    expect(calls).toBe(3);
    expect(result.metrics.attempts).toBe(3);
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'provider_error',
      message: 'The "custom" provider failed with an unexpected RangeError; the details are in the server log.',
    });
    expect(JSON.stringify(result)).not.toContain('10.0.0.5');
    const logged = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.event === 'agentry.provider.unexpected_error');
    expect(logged).toMatchObject({ provider: 'custom', error_kind: 'RangeError' });
    expect(logged.error_message).toContain('upstream refused token at http://10.0.0.5:8080/v1');
  });
});
