import type { Budget, Coordinator, Lease, RunningExecution } from '../coordinator';
import { isAgentryError } from '../errors';
import type { ExecutionEvent } from '../protocol';
import type { ContractTestApi } from './provider-contract-support';

/** What the contract suite needs to build a coordinator for one case. */
export interface CoordinatorContractHarness {
  /** Shown in the suite's name. */
  name: string;
  /**
   * A fresh coordinator with no state, whose every notion of time (lease expiry, budget windows)
   * reads `now` (ms since the epoch), and whose leases live `leaseTtlMs`. Called once per case.
   */
  create(options: { now: () => number; leaseTtlMs: number }): Coordinator | Promise<Coordinator>;
  /** Called after each case with the coordinator it built (close connections, drop schemas). */
  dispose?(coordinator: Coordinator): void | Promise<void>;
}

const TTL = 30_000;
/** 2026-01-15T12:00:00Z: mid-day, mid-month, so day and month windows differ. */
const START = Date.UTC(2026, 0, 15, 12);

function running(executionId: string, tenantId = 'tenant_a'): RunningExecution {
  return {
    executionId,
    tenantId,
    userId: 'user_1',
    agentId: 'echo',
    mode: 'live',
    requestedMode: 'live',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    input: { text: 'hi' },
    startedAt: new Date(START).toISOString(),
  };
}

function delta(executionId: string, text: string): ExecutionEvent {
  return { type: 'output-delta', executionId, delta: text };
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isAgentryError(error) ? error.code : error instanceof TypeError ? 'TypeError' : 'other';
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * Registers the coordinator contract: the behaviours every {@link Coordinator} must have, so the
 * executor works the same on each (memory, PostgreSQL, yours). Time is the suite's own clock,
 * passed to `harness.create`; nothing sleeps.
 *
 * @example
 * import * as vitest from 'vitest';
 * describeCoordinatorContract({ name: 'memory', create: (options) => createMemoryCoordinator(options) }, vitest);
 */
export function describeCoordinatorContract(harness: CoordinatorContractHarness, test: ContractTestApi): void {
  const { describe, it, expect, afterEach } = test;
  let time = START;
  let built: Coordinator[] = [];
  const advance = (ms: number) => {
    time += ms;
  };
  async function create(): Promise<Coordinator> {
    time = START;
    const coordinator = await harness.create({ now: () => time, leaseTtlMs: TTL });
    built.push(coordinator);
    return coordinator;
  }
  const acquire = (coordinator: Coordinator, id: string, tenantId = 'tenant_a', limit = 2, budgets: Budget[] = []) =>
    coordinator.acquire({ run: running(id, tenantId), limit, budgets });

  afterEach(async () => {
    const done = built;
    built = [];
    for (const coordinator of done) await harness.dispose?.(coordinator);
  });

  describe(`coordinator contract: ${harness.name}`, () => {
    describe('leases', () => {
      it('gives each tenant its own slots, refuses past the limit with limit_exceeded, and frees a slot on release', async () => {
        const coordinator = await create();
        const first = await acquire(coordinator, 'exe_1');
        expect(first.tenantId).toBe('tenant_a');
        expect(first.executionId).toBe('exe_1');
        expect(first.expiresAt).toBe(START + TTL);
        const second = await acquire(coordinator, 'exe_2');
        expect(second.id).not.toBe(first.id);
        await acquire(coordinator, 'exe_b1', 'tenant_b');
        expect(await codeOf(acquire(coordinator, 'exe_3'))).toBe('limit_exceeded');
        await coordinator.release(first);
        expect(await codeOf(acquire(coordinator, 'exe_3'))).toBe('resolved');
      });

      it('frees the slot of a lease that expired, and hands its run to exactly one reclaim', async () => {
        const coordinator = await create();
        await acquire(coordinator, 'exe_dead', 'tenant_a', 1);
        expect(await codeOf(acquire(coordinator, 'exe_next', 'tenant_a', 1))).toBe('limit_exceeded');
        advance(TTL + 1);
        const reclaimed = await coordinator.reclaimExpired();
        expect(reclaimed.map((entry) => entry.run.executionId)).toEqual(['exe_dead']);
        expect(reclaimed[0]?.run).toEqual(running('exe_dead'));
        expect(reclaimed[0]?.expiredAt).toBe(START + TTL);
        expect((await coordinator.reclaimExpired()).length).toBe(0);
        expect(await codeOf(acquire(coordinator, 'exe_next', 'tenant_a', 1))).toBe('resolved');
      });

      it('an expired lease frees its slot for the next acquire even before anyone reclaims it', async () => {
        const coordinator = await create();
        await acquire(coordinator, 'exe_dead', 'tenant_a', 1);
        advance(TTL);
        expect(await codeOf(acquire(coordinator, 'exe_next', 'tenant_a', 1))).toBe('resolved');
        const reclaimed = await coordinator.reclaimExpired();
        expect(reclaimed.map((entry) => entry.run.executionId)).toEqual(['exe_dead']);
      });

      it('renewing keeps a lease alive past its first expiry', async () => {
        const coordinator = await create();
        const lease = await acquire(coordinator, 'exe_1', 'tenant_a', 1);
        advance(TTL - 1);
        const renewed = (await coordinator.renew(lease)) as Lease;
        expect(renewed.id).toBe(lease.id);
        expect(renewed.expiresAt).toBe(START + TTL - 1 + TTL);
        advance(TTL - 1);
        expect((await coordinator.reclaimExpired()).length).toBe(0);
        expect(await codeOf(acquire(coordinator, 'exe_2', 'tenant_a', 1))).toBe('limit_exceeded');
      });

      it('a lease that is gone cannot be renewed, and releasing it does nothing', async () => {
        const coordinator = await create();
        const lease = await acquire(coordinator, 'exe_1', 'tenant_a', 1);
        advance(TTL + 1);
        await coordinator.reclaimExpired();
        expect(await coordinator.renew(lease)).toBe(undefined);
        const next = await acquire(coordinator, 'exe_2', 'tenant_a', 1);
        await coordinator.release(lease);
        // The old lease's release must not free the new run's slot.
        expect(await codeOf(acquire(coordinator, 'exe_3', 'tenant_a', 1))).toBe('limit_exceeded');
        await coordinator.release(next);
        await coordinator.release(next);
        expect(await coordinator.renew(next)).toBe(undefined);
      });
    });

    describe('budgets', () => {
      const daily: Budget = { window: 'day', maxTokens: 100 };

      it('refuses once a window is spent, with resetsAt at the window end, and allows again in the next window', async () => {
        const coordinator = await create();
        const first = await acquire(coordinator, 'exe_1', 'tenant_a', 5, [daily]);
        await coordinator.release(first, { budgets: [daily], spend: { tokens: 60, costUsd: 0 } });
        const second = await acquire(coordinator, 'exe_2', 'tenant_a', 5, [daily]);
        await coordinator.release(second, { budgets: [daily], spend: { tokens: 50, costUsd: 0 } });
        const refusal = await errorOf(acquire(coordinator, 'exe_3', 'tenant_a', 5, [daily]));
        expect(isAgentryError(refusal) && refusal.code).toBe('budget_exceeded');
        expect(isAgentryError(refusal) && refusal.status).toBe(429);
        expect(isAgentryError(refusal) && refusal.resetsAt).toBe('2026-01-16T00:00:00.000Z');
        // Other tenants and budgets without this window are unaffected.
        expect(await codeOf(acquire(coordinator, 'exe_b', 'tenant_b', 5, [daily]))).toBe('resolved');
        advance(12 * 3_600_000);
        expect(await codeOf(acquire(coordinator, 'exe_4', 'tenant_a', 5, [daily]))).toBe('resolved');
      });

      it('counts cost, and a month window resets on the first of the next month', async () => {
        const coordinator = await create();
        const monthly: Budget = { window: 'month', maxCostUsd: 1 };
        const lease = await acquire(coordinator, 'exe_1', 'tenant_a', 5, [monthly]);
        await coordinator.release(lease, { budgets: [monthly], spend: { tokens: 10, costUsd: 1.25 } });
        const refusal = await errorOf(acquire(coordinator, 'exe_2', 'tenant_a', 5, [monthly]));
        expect(isAgentryError(refusal) && refusal.resetsAt).toBe('2026-02-01T00:00:00.000Z');
        advance(16 * 86_400_000); // Jan 31, 12:00
        expect(await codeOf(acquire(coordinator, 'exe_3', 'tenant_a', 5, [monthly]))).toBe('budget_exceeded');
        advance(86_400_000); // Feb 1, 12:00
        expect(await codeOf(acquire(coordinator, 'exe_4', 'tenant_a', 5, [monthly]))).toBe('resolved');
      });

      it('settles concurrent runs atomically: no spend is lost', async () => {
        const coordinator = await create();
        const runs = 40;
        const budget: Budget = { window: 'day', maxTokens: runs * 3 };
        const leases = await Promise.all(
          Array.from({ length: runs }, (_, index) => acquire(coordinator, `exe_${index}`, 'tenant_a', runs, [budget])),
        );
        await Promise.all(
          leases.map((lease) => coordinator.release(lease, { budgets: [budget], spend: { tokens: 3, costUsd: 0 } })),
        );
        // Exactly runs × 3 tokens: the budget is spent (one lost update would leave room).
        expect(await codeOf(acquire(coordinator, 'exe_after', 'tenant_a', runs, [budget]))).toBe('budget_exceeded');
        const roomy: Budget = { window: 'day', maxTokens: runs * 3 + 1 };
        expect(await codeOf(acquire(coordinator, 'exe_roomy', 'tenant_a', runs, [roomy]))).toBe('resolved');
      });

      it('settles a lease once, however often it is released', async () => {
        const coordinator = await create();
        const budget: Budget = { window: 'day', maxTokens: 10 };
        const lease = await acquire(coordinator, 'exe_1', 'tenant_a', 5, [budget]);
        const settlement = { budgets: [budget], spend: { tokens: 6, costUsd: 0 } };
        await coordinator.release(lease, settlement);
        await coordinator.release(lease, settlement);
        expect(await codeOf(acquire(coordinator, 'exe_2', 'tenant_a', 5, [budget]))).toBe('resolved');
      });

      it('does not hand out a slot when the budget refuses', async () => {
        const coordinator = await create();
        const budget: Budget = { window: 'day', maxTokens: 0 };
        expect(await codeOf(acquire(coordinator, 'exe_1', 'tenant_a', 1, [budget]))).toBe('budget_exceeded');
        expect(await codeOf(acquire(coordinator, 'exe_2', 'tenant_a', 1))).toBe('resolved');
      });
    });

    describe('cancel requests', () => {
      it('reach the listeners of the running execution, for its own tenant only', async () => {
        const coordinator = await create();
        const lease = await acquire(coordinator, 'exe_1');
        let calls = 0;
        const stop = coordinator.onCancelRequested(lease, () => {
          calls += 1;
        });
        expect(await coordinator.requestCancel('tenant_b', 'exe_1')).toBe(false);
        expect(await coordinator.requestCancel('tenant_a', 'exe_unknown')).toBe(false);
        expect(calls).toBe(0);
        expect(await coordinator.requestCancel('tenant_a', 'exe_1')).toBe(true);
        await waitFor(() => calls === 1);
        stop();
        await coordinator.release(lease);
        expect(await coordinator.requestCancel('tenant_a', 'exe_1')).toBe(false);
      });

      it('a listener added after the request is called at once', async () => {
        const coordinator = await create();
        const lease = await acquire(coordinator, 'exe_1');
        expect(await coordinator.requestCancel('tenant_a', 'exe_1')).toBe(true);
        let called = false;
        coordinator.onCancelRequested(lease, () => {
          called = true;
        });
        await waitFor(() => called);
        expect(called).toBe(true);
      });
    });

    describe('event logs', () => {
      it('keeps entries in order, reads after an id, and never answers another tenant', async () => {
        const coordinator = await create();
        await acquire(coordinator, 'exe_1');
        await coordinator.appendEvents('tenant_a', 'exe_1', [
          { id: 1, event: delta('exe_1', 'a') },
          { id: 2, event: delta('exe_1', 'b') },
        ]);
        await coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 3, event: delta('exe_1', 'c') }]);
        const all = await coordinator.readEvents('tenant_a', 'exe_1', 0);
        expect(all?.map((entry) => entry.id)).toEqual([1, 2, 3]);
        expect(all?.[2]?.event).toEqual(delta('exe_1', 'c'));
        expect((await coordinator.readEvents('tenant_a', 'exe_1', 2))?.map((entry) => entry.id)).toEqual([3]);
        expect(await coordinator.readEvents('tenant_a', 'exe_1', 3)).toEqual([]);
        expect(await coordinator.readEvents('tenant_b', 'exe_1', 0)).toBe(undefined);
        expect(await coordinator.readEvents('tenant_a', 'exe_unknown', 0)).toBe(undefined);
      });

      it('keeps ids that skip as given, before and after the terminal event', async () => {
        const coordinator = await create();
        await acquire(coordinator, 'exe_1');
        await coordinator.appendEvents('tenant_a', 'exe_1', [
          { id: 2, event: delta('exe_1', 'a') },
          { id: 3, event: delta('exe_1', 'b') },
        ]);
        await coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 7, event: delta('exe_1', 'c') }]);
        await coordinator.appendEvents('tenant_a', 'exe_1', [
          { id: 8, event: { type: 'execution-error', executionId: 'exe_1', error: {} as never, result: {} as never } },
        ]);
        const idsAfter = async (afterId: number) =>
          (await coordinator.readEvents('tenant_a', 'exe_1', afterId))?.map((entry) => entry.id);
        expect(await idsAfter(0)).toEqual([2, 3, 7, 8]);
        expect(await idsAfter(3)).toEqual([7, 8]);
        expect(await idsAfter(5)).toEqual([7, 8]);
        expect(await idsAfter(7)).toEqual([8]);
        expect((await coordinator.readEvents('tenant_a', 'exe_1', 2))?.[1]?.event).toEqual(delta('exe_1', 'c'));
        expect(
          await codeOf(coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 6, event: delta('exe_1', 'late') }])),
        ).not.toBe('resolved');
      });

      it('refuses ids that do not increase', async () => {
        const coordinator = await create();
        await coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 1, event: delta('exe_1', 'a') }]);
        expect(
          await codeOf(coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 1, event: delta('exe_1', 'again') }])),
        ).not.toBe('resolved');
        expect((await coordinator.readEvents('tenant_a', 'exe_1', 0))?.length).toBe(1);
      });

      it('wakes subscribers of that execution when entries are appended', async () => {
        const coordinator = await create();
        let wakes = 0;
        const stop = coordinator.onEventsAppended('tenant_a', 'exe_1', () => {
          wakes += 1;
        });
        await coordinator.appendEvents('tenant_a', 'exe_1', [{ id: 1, event: delta('exe_1', 'a') }]);
        await waitFor(() => wakes > 0);
        expect(wakes).toBeGreaterThan(0);
        stop();
      });
    });
  });

  /** Lets notifications that cross a connection arrive (bounded; no fixed sleep). */
  async function waitFor(condition: () => boolean): Promise<void> {
    for (let turn = 0; turn < 200 && !condition(); turn += 1) {
      await new Promise((resolve) => setTimeout(resolve, turn < 20 ? 0 : 10));
    }
  }
}
