import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { type Coordinator, createMemoryCoordinator, type InterruptedRun, type RunningExecution } from '../coordinator';
import type { ExecutionEventEntry } from '../protocol';
import { createMemoryStore, type ExecutionStore } from '../store';
import { createExecutor } from './create-executor';
import type { ExecutionResult, ExecutorOptions } from './types';

// Runs whose instance died: the coordinator hands over their expired leases (`reclaimExpired`),
// and the executor writes each one's `interrupted` record and ends its event log. The
// coordinator here answers with given runs and logs, so no lease has to expire in real time.

const PROVIDER_KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
const STARTED = '2026-01-15T12:00:00.000Z';
const EXPIRED = Date.parse(STARTED) + 30_000;

const words = defineAgent({
  id: 'words',
  name: 'Words',
  input: z.object({}),
  prompt: () => 'go',
  mock: () => 'Done.',
});

function deadRun(overrides: Partial<RunningExecution> = {}): RunningExecution {
  return {
    executionId: 'exe_dead',
    tenantId: 'acme',
    userId: 'alice',
    agentId: 'words',
    mode: 'live',
    requestedMode: 'live',
    provider: 'gated',
    model: 'priced-1',
    input: { text: 'go' },
    startedAt: STARTED,
    ...overrides,
  };
}

const start = (executionId: string): ExecutionEventEntry => ({
  id: 1,
  event: {
    type: 'execution-start',
    executionId,
    agentId: 'words',
    mode: 'live',
    requestedMode: 'live',
    provider: 'gated',
    model: 'priced-1',
    startedAt: STARTED,
  },
});

interface Setup {
  expired?: InterruptedRun[] | (() => Promise<InterruptedRun[]>);
  logs?: Record<string, ExecutionEventEntry[]>;
  store?: Partial<ExecutionStore>;
  leaseTtlMs?: number;
  pricing?: ExecutorOptions['pricing'];
}

function setup({
  expired = [],
  logs = {},
  store: storeOverrides = {},
  leaseTtlMs = 30_000,
  pricing = { 'priced-1': { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 } },
}: Setup = {}) {
  const inner = createMemoryCoordinator({ leaseTtlMs });
  const appended: { tenantId: string; executionId: string; entries: ExecutionEventEntry[] }[] = [];
  const reclaimExpired = vi.fn(typeof expired === 'function' ? expired : async () => expired);
  const coordinator: Coordinator = {
    ...inner,
    leaseTtlMs,
    reclaimExpired,
    async readEvents(tenantId, executionId) {
      return tenantId === 'acme' ? logs[executionId] : undefined;
    },
    async appendEvents(tenantId, executionId, entries) {
      appended.push({ tenantId, executionId, entries: [...entries] });
    },
  };
  const memory = createMemoryStore();
  const saved: ExecutionResult[] = [];
  const store: ExecutionStore = {
    get: (tenantId, executionId) => memory.get(tenantId, executionId),
    list: (tenantId, listOptions) => memory.list(tenantId, listOptions),
    async save(record) {
      saved.push(record);
      await memory.save(record);
    },
    ...storeOverrides,
  };
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const executor = createExecutor({
    agents: [words],
    coordinator,
    store,
    logger,
    pricing,
  });
  return { executor, appended, saved, logger, reclaimExpired };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('recoverInterrupted', () => {
  it('records a dead run as failed, interrupted: its partial output redacted, its logged usage priced, its log ended', async () => {
    const { executor, appended, saved, logger } = setup({
      expired: [{ run: deadRun(), expiredAt: EXPIRED }],
      logs: {
        exe_dead: [
          start('exe_dead'),
          { id: 2, event: { type: 'output-delta', executionId: 'exe_dead', delta: 'half an ' } },
          { id: 3, event: { type: 'usage', executionId: 'exe_dead', usage: { inputTokens: 2, outputTokens: 1 } } },
          { id: 4, event: { type: 'output-delta', executionId: 'exe_dead', delta: `answer with ${PROVIDER_KEY}` } },
          { id: 5, event: { type: 'usage', executionId: 'exe_dead', usage: { inputTokens: null, outputTokens: 4 } } },
        ],
      },
    });
    expect(await executor.recoverInterrupted()).toBe(1);
    const expiredIso = new Date(EXPIRED).toISOString();
    expect(saved).toEqual([
      {
        id: 'exe_dead',
        agentId: 'words',
        mode: 'live',
        requestedMode: 'live',
        tenantId: 'acme',
        userId: 'alice',
        input: { text: 'go' },
        metrics: {
          durationMs: 30_000,
          timeToFirstOutputMs: null,
          // The later usage report over the earlier one (it does not know the input tokens), at
          // one dollar per input and two per output token.
          inputTokens: 2,
          outputTokens: 4,
          costUsd: 10,
          provider: 'gated',
          model: 'priced-1',
          attempts: 1,
          simulated: false,
        },
        startedAt: STARTED,
        finishedAt: expiredIso,
        status: 'failed',
        output: 'half an answer with [REDACTED]',
        error: expect.objectContaining({
          code: 'interrupted',
          executionId: 'exe_dead',
          message: `The instance running this execution stopped before it finished (its lease expired at ${expiredIso}). Run it again.`,
        }),
      },
    ]);
    // The log ends with the record's terminal event, right after the last logged one.
    expect(appended).toEqual([
      {
        tenantId: 'acme',
        executionId: 'exe_dead',
        entries: [
          {
            id: 6,
            event: expect.objectContaining({ type: 'execution-error', executionId: 'exe_dead' }),
          },
        ],
      },
    ]);
    expect(await executor.getExecution({ tenantId: 'acme' }, 'exe_dead')).toEqual(saved[0]);
    expect(logger.warn).toHaveBeenCalledWith('agentry.execution.interrupted', {
      tenant_id: 'acme',
      execution_id: 'exe_dead',
      agent_id: 'words',
      mode: 'live',
      provider: 'gated',
      model: 'priced-1',
      status: 'failed',
      error_code: 'interrupted',
    });
  });

  it('records a mock run that logged nothing: no output, unknown usage and cost, no user, simulated', async () => {
    const run = deadRun({ executionId: 'exe_quiet', userId: undefined, mode: 'mock', requestedMode: 'mock' });
    delete run.userId;
    // A clock that went backwards, and a start time nobody can read: the duration is 0, not negative or NaN.
    const { executor, saved, appended } = setup({
      expired: [
        { run, expiredAt: Date.parse(STARTED) - 5 },
        { run: deadRun({ executionId: 'exe_odd', startedAt: 'not a date' }), expiredAt: EXPIRED },
      ],
    });
    expect(await executor.recoverInterrupted()).toBe(2);
    const [quiet, odd] = saved as [ExecutionResult, ExecutionResult];
    expect(quiet).not.toHaveProperty('userId');
    expect(quiet).toMatchObject({ status: 'failed', output: null, mode: 'mock' });
    expect(quiet.metrics).toMatchObject({
      durationMs: 0,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      simulated: true,
    });
    expect(odd.metrics.durationMs).toBe(0);
    // No log at all: the terminal event is the first.
    expect(appended.map(({ executionId, entries }) => [executionId, entries.map((entry) => entry.id)])).toEqual([
      ['exe_quiet', [1]],
      ['exe_odd', [1]],
    ]);
  });

  it('records an unknown cost when the pricing table fails, logged for the run’s tenant', async () => {
    const broken = {
      get inputPerMillion(): number {
        throw new Error('price feed down');
      },
      outputPerMillion: 1,
    };
    const { executor, saved, logger } = setup({
      expired: [{ run: deadRun(), expiredAt: EXPIRED }],
      logs: {
        exe_dead: [
          start('exe_dead'),
          { id: 2, event: { type: 'usage', executionId: 'exe_dead', usage: { inputTokens: 2, outputTokens: 1 } } },
        ],
      },
      pricing: { 'priced-1': broken },
    });
    expect(await executor.recoverInterrupted()).toBe(1);
    expect(saved[0]?.metrics).toMatchObject({ inputTokens: 2, outputTokens: 1, costUsd: null });
    expect(logger.error).toHaveBeenCalledWith(
      'agentry.user_code.failed',
      expect.objectContaining({ site: 'pricing', tenant_id: 'acme', execution_id: 'exe_dead' }),
    );
  });

  it('leaves alone a run that has its record, or whose log already ended', async () => {
    const { executor, saved, appended, logger } = setup({
      expired: [
        { run: deadRun({ executionId: 'exe_saved' }), expiredAt: EXPIRED },
        { run: deadRun({ executionId: 'exe_ended' }), expiredAt: EXPIRED },
      ],
      logs: {
        exe_ended: [
          start('exe_ended'),
          {
            id: 2,
            event: {
              type: 'execution-finish',
              executionId: 'exe_ended',
              status: 'succeeded',
            } as unknown as ExecutionEventEntry['event'],
          },
        ],
      },
      store: {
        async get(tenantId, executionId) {
          return executionId === 'exe_saved' ? ({ id: executionId, tenantId } as ExecutionResult) : undefined;
        },
      },
    });
    expect(await executor.recoverInterrupted()).toBe(0);
    expect(saved).toEqual([]);
    expect(appended).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a run it could not record and goes on with the next', async () => {
    let saves = 0;
    const { executor, appended, logger } = setup({
      expired: [
        { run: deadRun({ executionId: 'exe_first' }), expiredAt: EXPIRED },
        { run: deadRun({ executionId: 'exe_second' }), expiredAt: EXPIRED },
      ],
      store: {
        async save() {
          saves += 1;
          if (saves === 1) throw 'store down';
        },
      },
    });
    expect(await executor.recoverInterrupted()).toBe(1);
    expect(logger.error).toHaveBeenCalledWith('agentry.execution.interrupted_record_failed', {
      tenant_id: 'acme',
      execution_id: 'exe_first',
      agent_id: 'words',
      error_message: 'store down',
    });
    // The first run's log is not ended: its record does not exist.
    expect(appended.map((entry) => entry.executionId)).toEqual(['exe_second']);
  });

  it('logs a coordinator that cannot reclaim, and tries again on the next call', async () => {
    let calls = 0;
    const { executor, logger } = setup({
      expired: async () => {
        calls += 1;
        if (calls === 1) throw new Error('coordinator down');
        return [{ run: deadRun(), expiredAt: EXPIRED }];
      },
    });
    expect(await executor.recoverInterrupted()).toBe(0);
    expect(logger.error).toHaveBeenCalledWith('agentry.coordinator.reclaim_failed', {
      error_message: 'coordinator down',
    });
    expect(await executor.recoverInterrupted()).toBe(1);
  });

  it('shares one sweep between callers that ask at the same time', async () => {
    let answer: (runs: InterruptedRun[]) => void = () => undefined;
    const { executor, reclaimExpired } = setup({
      expired: () =>
        new Promise<InterruptedRun[]>((resolve) => {
          answer = resolve;
        }),
    });
    const first = executor.recoverInterrupted();
    const second = executor.recoverInterrupted();
    await vi.waitFor(() => expect(reclaimExpired).toHaveBeenCalledTimes(1));
    answer([{ run: deadRun(), expiredAt: EXPIRED }]);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
  });
});

describe('the sweep before reads', () => {
  it('runs at most once per half lease, unless a read misses', async () => {
    vi.useFakeTimers({ now: Date.parse(STARTED), toFake: ['Date'] });
    const { executor, reclaimExpired } = setup({ leaseTtlMs: 10_001 });
    const tenant = { tenantId: 'acme' };
    await executor.listExecutions(tenant);
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
    // Half of 10,001 ms, rounded down: 5,000 ms.
    vi.setSystemTime(Date.parse(STARTED) + 4_999);
    await executor.listExecutions(tenant);
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.parse(STARTED) + 5_000);
    await executor.listExecutions(tenant);
    expect(reclaimExpired).toHaveBeenCalledTimes(2);
    // A read that finds no record sweeps at once: the run may have died a moment ago.
    await expect(executor.getExecution(tenant, 'exe_unknown')).rejects.toMatchObject({ code: 'not_found' });
    expect(reclaimExpired).toHaveBeenCalledTimes(3);
  });

  it('runs on every read when the lease is a millisecond long', async () => {
    vi.useFakeTimers({ now: Date.parse(STARTED), toFake: ['Date'] });
    const { executor, reclaimExpired } = setup({ leaseTtlMs: 1 });
    const tenant = { tenantId: 'acme' };
    await executor.listExecutions(tenant);
    await executor.listExecutions(tenant);
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.parse(STARTED) + 1);
    await executor.listExecutions(tenant);
    expect(reclaimExpired).toHaveBeenCalledTimes(2);
  });

  it('runs before a run starts, once half a lease passed since the last one', async () => {
    vi.useFakeTimers({ now: Date.parse(STARTED), toFake: ['Date'] });
    const { executor, reclaimExpired } = setup({ leaseTtlMs: 10_000 });
    const run = () => executor.execute({ agentId: 'words', input: {}, tenant: { tenantId: 'acme' } });
    await run();
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.parse(STARTED) + 4_999);
    await run();
    expect(reclaimExpired).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.parse(STARTED) + 5_000);
    await run();
    expect(reclaimExpired).toHaveBeenCalledTimes(2);
  });
});
