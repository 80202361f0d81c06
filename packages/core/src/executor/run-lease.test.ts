import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import {
  type Budget,
  type Coordinator,
  createMemoryCoordinator,
  type LeaseRequest,
  type Settlement,
} from '../coordinator';
import type { Usage } from '../metrics';
import type { ExecutionEvent, ExecutionEventEntry } from '../protocol';
import type { ProviderAdapter } from '../providers';
import { createMemoryStore } from '../store';
import { defineTool } from '../tools';
import { createExecutor } from './create-executor';
import type { LimitOptions } from './types';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const add = defineTool({ description: 'Adds one.', input: z.object({ x: z.number() }), execute: ({ x }) => x + 1 });
const agent = defineAgent({
  id: 'adder',
  name: 'Adder',
  input: z.object({}),
  prompt: () => 'go',
  tools: { add },
  mock: {
    steps: [
      { toolCalls: [{ name: 'add', args: { x: 1 } }] },
      { toolCalls: [{ name: 'add', args: { x: 2 } }] },
      { text: 'Done.' },
    ],
  },
});

/** The memory coordinator, with every appendEvents call and the moment of release recorded. */
function recording(overrides: Partial<Coordinator> = {}) {
  const inner = createMemoryCoordinator();
  const calls: ExecutionEventEntry[][] = [];
  const storedAtRelease: number[] = [];
  const coordinator: Coordinator = {
    ...inner,
    leaseTtlMs: inner.leaseTtlMs,
    async appendEvents(tenantId, executionId, entries) {
      calls.push([...entries]);
      return inner.appendEvents(tenantId, executionId, entries);
    },
    async release(lease, settlement) {
      storedAtRelease.push((await inner.readEvents(lease.tenantId, lease.executionId, 0))?.length ?? -1);
      return inner.release(lease, settlement);
    },
    ...overrides,
  };
  return { coordinator, calls, storedAtRelease, inner };
}

describe("a run's event log", () => {
  it('holds every event, ids 1…n in order, stored before the lease is released, in fewer calls than events', async () => {
    const { coordinator, calls, storedAtRelease } = recording();
    const executor = createExecutor({ agents: [agent], coordinator });
    const seen: string[] = [];
    for await (const event of executor.stream({ agentId: 'adder', input: {}, tenant })) seen.push(event.type);
    const logged = calls.flat();
    expect(logged.map((entry) => entry.id)).toEqual(seen.map((_, index) => index + 1));
    expect(logged.map((entry) => entry.event.type)).toEqual(seen);
    expect(storedAtRelease).toEqual([seen.length]);
    // Events of one synchronous stretch share one call.
    expect(calls.length).toBeLessThan(seen.length);
  });

  it('replays the whole run to a reader that comes after it finished', async () => {
    const { coordinator } = recording();
    const executor = createExecutor({ agents: [agent], coordinator });
    const result = await executor.execute({ agentId: 'adder', input: {}, tenant });
    const replayed: string[] = [];
    for await (const entry of executor.events(tenant, result.id)) replayed.push(entry.event.type);
    expect(replayed[0]).toBe('execution-start');
    expect(replayed.filter((type) => type === 'step-finish')).toHaveLength(3);
    expect(replayed.at(-1)).toBe('execution-finish');
  });

  it('never breaks the run when appending fails, even by throwing at once, and logs it once', async () => {
    for (const appendEvents of [
      async () => {
        throw new Error('log store down');
      },
      () => {
        throw new Error('log store down');
      },
    ] as Coordinator['appendEvents'][]) {
      const error = vi.fn();
      const { coordinator } = recording({ appendEvents });
      const executor = createExecutor({
        agents: [agent],
        coordinator,
        logger: { debug() {}, info() {}, warn() {}, error },
      });
      const result = await executor.execute({ agentId: 'adder', input: {}, tenant });
      expect(result.status).toBe('succeeded');
      const failures = error.mock.calls.filter(([event]) => event === 'agentry.coordinator.append_failed');
      expect(failures).toHaveLength(1);
    }
  });
});

/** The memory coordinator, with what each run asked of it and settled recorded. */
function leases(overrides: Partial<Coordinator> = {}) {
  const inner = createMemoryCoordinator();
  const acquired: LeaseRequest[] = [];
  const released: (Settlement | undefined)[] = [];
  const coordinator: Coordinator = {
    ...inner,
    leaseTtlMs: inner.leaseTtlMs,
    async acquire(request) {
      acquired.push(request);
      return inner.acquire(request);
    },
    async release(lease, settlement) {
      released.push(settlement);
      return inner.release(lease, settlement);
    },
    ...overrides,
  };
  return { coordinator, acquired, released };
}

/** A mock provider that reports the given usage. */
function reporting(usage: Usage): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    async execute() {
      return { text: 'Done.', usage, finishReason: 'stop' };
    },
  };
}

const words = defineAgent({
  id: 'words',
  name: 'Words',
  input: z.object({}),
  prompt: () => 'go',
  mock: () => 'Done.',
});

describe('budgets', () => {
  const daily: Budget = { window: 'day', maxTokens: 1000 };
  const mockToo: Budget = { window: 'month', maxCostUsd: 5, modes: ['mock', 'live'] };

  it('checks and settles only the budgets of the run’s mode (live only by default), with its tokens and cost', async () => {
    const { coordinator, acquired, released } = leases();
    const executor = createExecutor({
      agents: [words],
      coordinator,
      providers: { mock: reporting({ inputTokens: 3, outputTokens: 4 }) },
      pricing: { mock: { inputPerMillion: 1_000_000, outputPerMillion: 1_000_000 } },
      limits: { budgets: [daily, mockToo] },
    });
    const result = await executor.execute({ agentId: 'words', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    expect(acquired.map((request) => request.budgets)).toEqual([[mockToo]]);
    expect(released).toEqual([{ budgets: [mockToo], spend: { tokens: 7, costUsd: 7 } }]);
  });

  it('applies a budget without modes to live runs', async () => {
    const { coordinator, acquired } = leases();
    const live = defineAgent({
      id: 'live-words',
      name: 'Live words',
      input: z.object({}),
      model: { provider: 'remote', model: 'remote-1' },
      prompt: () => 'go',
      mock: () => 'Done.',
    });
    const remote = { ...reporting({ inputTokens: 1, outputTokens: 1 }), id: 'remote', simulated: false };
    const executor = createExecutor({
      agents: [live],
      coordinator,
      providers: { remote },
      limits: { budgets: [daily, mockToo] },
    });
    await executor.execute({ agentId: 'live-words', input: {}, tenant, mode: 'live' });
    expect(acquired.map((request) => request.budgets)).toEqual([[daily, mockToo]]);
  });

  it('settles unknown tokens and cost as nothing spent, and settles nothing without a budget', async () => {
    const { coordinator, released } = leases();
    const unknown = createExecutor({
      agents: [words],
      coordinator,
      providers: { mock: reporting({ inputTokens: null, outputTokens: null }) },
      limits: { budgets: [mockToo] },
    });
    await unknown.execute({ agentId: 'words', input: {}, tenant });
    const none = createExecutor({ agents: [words], coordinator, limits: { budgets: [daily] } });
    await none.execute({ agentId: 'words', input: {}, tenant });
    expect(released).toEqual([{ budgets: [mockToo], spend: { tokens: 0, costUsd: 0 } }, undefined]);
  });

  it('asks a budgets function per tenant; undefined means no budget', async () => {
    const { coordinator, acquired } = leases();
    const asked: unknown[] = [];
    const executor = createExecutor({
      agents: [words],
      coordinator,
      limits: {
        budgets: (who) => {
          asked.push(who);
          return who.tenantId === 'ws_a' ? [mockToo] : undefined;
        },
      },
    });
    await executor.execute({ agentId: 'words', input: {}, tenant });
    await executor.execute({ agentId: 'words', input: {}, tenant: { tenantId: 'ws_b' } });
    expect(asked).toEqual([tenant, { tenantId: 'ws_b' }]);
    expect(acquired.map((request) => request.budgets)).toEqual([[mockToo], []]);
  });

  it('refuses the run, takes no lease and logs why, when the budgets are broken', async () => {
    const misconfigured = 'The budgets are misconfigured; the details are in the server log.';
    for (const [budgets, logged, message] of [
      [
        () => {
          throw new Error('budget table unreachable');
        },
        'budget table unreachable',
        "The host's budgets function failed; the details are in the server log.",
      ],
      [() => ({ window: 'day' }), 'limits.budgets must be an array', misconfigured],
      // A fixed list is checked by createExecutor; a function's answer, per run.
      [
        () => [mockToo, { window: 'day', maxTokens: -1, modes: ['mock'] }],
        'limits.budgets[1].maxTokens',
        misconfigured,
      ],
    ] as [LimitOptions['budgets'], string, string][]) {
      const { coordinator, acquired } = leases();
      const error = vi.fn();
      const executor = createExecutor({
        agents: [words],
        coordinator,
        limits: { budgets },
        logger: { debug() {}, info() {}, warn() {}, error },
      });
      const refusal = await executor.execute({ agentId: 'words', input: {}, tenant }).catch((thrown) => thrown);
      // An internal error in Agentry's words: what the host's code said stays in the log.
      expect(refusal).toMatchObject({ code: 'internal', message });
      expect(refusal.message).not.toContain(logged);
      expect(acquired).toEqual([]);
      expect(JSON.stringify(error.mock.calls)).toContain(logged);
      expect(error.mock.calls[0]?.[1]).toMatchObject({ site: 'limits.budgets', tenant_id: 'ws_a' });
    }
  });
});

describe("a run's lease", () => {
  it('is released even when releasing fails: the run keeps its record, the failure is logged', async () => {
    const error = vi.fn();
    const { coordinator, acquired } = leases({
      async release() {
        throw new Error('coordinator down');
      },
    });
    const executor = createExecutor({
      agents: [words],
      coordinator,
      logger: { debug() {}, info() {}, warn() {}, error },
    });
    const result = await executor.execute({ agentId: 'words', input: {}, tenant });
    expect(result.status).toBe('succeeded');
    // Without limits.budgets: no budget checked.
    expect(acquired[0]?.budgets).toEqual([]);
    expect(error).toHaveBeenCalledWith('agentry.coordinator.release_failed', {
      tenant_id: 'ws_a',
      execution_id: result.id,
      error_message: 'coordinator down',
    });
  });

  it("cancels the run from the caller's signal, aborted before or during the run, with the same words", async () => {
    const executor = createExecutor({ agents: [agent], coordinator: createMemoryCoordinator() });
    const before = await executor.execute({ agentId: 'adder', input: {}, tenant, signal: AbortSignal.abort() });
    const controller = new AbortController();
    const during = executor.stream({ agentId: 'adder', input: {}, tenant, signal: controller.signal });
    let last: ExecutionEvent | undefined;
    for await (const event of during) {
      if (event.type === 'tool-call') controller.abort();
      last = event;
    }
    for (const error of [before.status === 'cancelled' && before.error, last?.type === 'execution-error' && last.error])
      expect(error).toMatchObject({ code: 'cancelled', message: 'The execution was cancelled by its caller.' });
    expect(before.status === 'cancelled' && before.error.executionId).toBe(before.id);
  });
});

/** A mock provider whose answer waits until the test opens the gate. */
function gated() {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    async execute() {
      await gate;
      return { text: 'Done.', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
    },
  };
  return { provider, open: () => open() };
}

describe('lease renewal while a run lives', () => {
  // A 3 s lease is renewed once it is a second old, checked every half second.
  function renewing(renew: Coordinator['renew']) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const inner = createMemoryCoordinator({ leaseTtlMs: 3_000 });
    const renewSpy = vi.fn(renew);
    const coordinator: Coordinator = { ...inner, leaseTtlMs: 3_000, renew: renewSpy };
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const { provider, open } = gated();
    const executor = createExecutor({
      agents: [words],
      coordinator,
      logger,
      providers: { mock: provider },
      limits: { timeoutMs: { mock: 60_000 } },
    });
    const running = executor.execute({ agentId: 'words', input: {}, tenant });
    return { inner, renewSpy, logger, open, running };
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews the lease once it is a third of its time old, and not after the run', async () => {
    const { inner, renewSpy, open, running } = renewing((lease) => inner.renew(lease));
    await vi.advanceTimersByTimeAsync(999);
    expect(renewSpy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(renewSpy).toHaveBeenCalledTimes(1);
    expect(renewSpy.mock.calls[0]?.[0]).toMatchObject({ tenantId: 'ws_a' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(renewSpy).toHaveBeenCalledTimes(2);
    open();
    expect((await running).status).toBe('succeeded');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(renewSpy).toHaveBeenCalledTimes(2);
  });

  it('stops renewing a lease that was lost, and says so', async () => {
    const { renewSpy, logger, open, running } = renewing(async () => undefined);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(renewSpy).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith('agentry.coordinator.lease_lost', {
      tenant_id: 'ws_a',
      execution_id: expect.stringMatching(/^exe_/),
    });
    open();
    // The run still finishes and keeps its record.
    expect((await running).status).toBe('succeeded');
  });

  it('logs a renewal that fails and tries again at the next tick, one renewal at a time', async () => {
    let answer: () => void = () => undefined;
    let calls = 0;
    const { renewSpy, logger, open, running } = renewing(async () => {
      calls += 1;
      if (calls === 1) throw new Error('coordinator down');
      // The second renewal hangs: the ticks meanwhile do not start a third.
      await new Promise<void>((resolve) => {
        answer = resolve;
      });
      throw 'late';
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(logger.error).toHaveBeenCalledWith('agentry.coordinator.renew_failed', {
      tenant_id: 'ws_a',
      execution_id: expect.stringMatching(/^exe_/),
      error_message: 'coordinator down',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(renewSpy).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(renewSpy).toHaveBeenCalledTimes(2);
    answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(logger.error).toHaveBeenCalledWith(
      'agentry.coordinator.renew_failed',
      expect.objectContaining({ error_message: 'late' }),
    );
    open();
    await running;
  });
});

describe('the end of a run', () => {
  it('saves the record only after every batch of its events is stored, whatever order they settle in', async () => {
    const pending: (() => void)[] = [];
    const inner = createMemoryCoordinator();
    const { provider, open } = gated();
    const store = createMemoryStore();
    const saved: string[] = [];
    const executor = createExecutor({
      agents: [words],
      providers: { mock: provider },
      coordinator: {
        ...inner,
        leaseTtlMs: inner.leaseTtlMs,
        async appendEvents(tenantId, executionId, entries) {
          // Held until the test lets them settle; the final event, after the record, is not.
          if (saved.length === 0) await new Promise<void>((resolve) => pending.push(resolve));
          return inner.appendEvents(tenantId, executionId, entries);
        },
      },
      store: {
        ...store,
        async save(record) {
          saved.push(record.id);
          return store.save(record);
        },
      },
    });
    const running = executor.execute({ agentId: 'words', input: {}, tenant });
    // The start event goes out while the provider is still working.
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    open();
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
    pending[1]?.();
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(saved).toEqual([]);
    pending[0]?.();
    const result = await running;
    expect(saved).toEqual([result.id]);
  });

  it('stops listening for cancel requests and to the caller’s signal, and logs no error on a healthy run', async () => {
    const inner = createMemoryCoordinator();
    let listening = 0;
    const error = vi.fn();
    const executor = createExecutor({
      agents: [words],
      logger: { debug() {}, info() {}, warn() {}, error },
      coordinator: {
        ...inner,
        leaseTtlMs: inner.leaseTtlMs,
        onCancelRequested(lease, listener) {
          listening += 1;
          const stop = inner.onCancelRequested(lease, listener);
          return () => {
            listening -= 1;
            stop();
          };
        },
      },
    });
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const result = await executor.execute({ agentId: 'words', input: {}, tenant, signal: controller.signal });
    expect(result.status).toBe('succeeded');
    expect(listening).toBe(0);
    expect(removed).toHaveBeenCalledWith('abort', added.mock.calls[0]?.[1]);
    expect(error).not.toHaveBeenCalled();
  });

  it('reports a broken event log once, with the run it belongs to', async () => {
    const error = vi.fn();
    const { coordinator } = recording({
      async appendEvents() {
        throw new Error('log store down');
      },
    });
    const executor = createExecutor({
      agents: [agent],
      coordinator,
      logger: { debug() {}, info() {}, warn() {}, error },
    });
    const result = await executor.execute({ agentId: 'adder', input: {}, tenant });
    expect(error).toHaveBeenCalledWith('agentry.coordinator.append_failed', {
      tenant_id: 'ws_a',
      execution_id: result.id,
      error_message: 'log store down',
    });
  });
});
