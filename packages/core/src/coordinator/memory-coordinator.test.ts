import fc from 'fast-check';
import * as vitest from 'vitest';
import type { ExecutionEvent } from '../protocol';
import { describeCoordinatorContract } from '../testing/coordinator-contract';
import type { Lease, RunningExecution } from './coordinator';
import { createMemoryCoordinator, localEventLogs } from './memory-coordinator';

describeCoordinatorContract({ name: 'memory', create: (options) => createMemoryCoordinator(options) }, vitest);

vitest.describe('createMemoryCoordinator', () => {
  vitest.it('refuses a lease time that is not a positive integer, naming the option', () => {
    vitest.expect(() => createMemoryCoordinator({ leaseTtlMs: 0 })).toThrow(/leaseTtlMs must be a positive integer/);
  });

  vitest.it('drops finished event logs past their retention, keeping running ones', async () => {
    let time = 0;
    const coordinator = createMemoryCoordinator({ now: () => time, eventLogRetentionMs: 1000 });
    const result = {} as never;
    await coordinator.appendEvents('t', 'exe_done', [
      { id: 1, event: { type: 'execution-error', executionId: 'exe_done', error: {} as never, result } },
    ]);
    await coordinator.appendEvents('t', 'exe_running', [
      { id: 1, event: { type: 'output-delta', executionId: 'exe_running', delta: 'a' } },
    ]);
    time = 1000;
    await coordinator.appendEvents('t', 'exe_new', [
      { id: 1, event: { type: 'output-delta', executionId: 'exe_new', delta: 'b' } },
    ]);
    vitest.expect(await coordinator.readEvents('t', 'exe_done', 0)).toBe(undefined);
    vitest.expect((await coordinator.readEvents('t', 'exe_running', 0))?.length).toBe(1);
  });
});

vitest.describe('createMemoryCoordinator: finished logs and the local fast path', () => {
  const finish = (executionId: string) =>
    [{ id: 1, event: { type: 'execution-error', executionId, error: {} as never, result: {} as never } }] as const;

  vitest.it('keeps at most maxFinishedEventLogs finished logs, dropping the oldest first', async () => {
    const coordinator = createMemoryCoordinator({ maxFinishedEventLogs: 2 });
    for (const id of ['exe_1', 'exe_2', 'exe_3', 'exe_4']) await coordinator.appendEvents('t', id, [...finish(id)]);
    await coordinator.appendEvents('t', 'exe_new', [
      { id: 1, event: { type: 'output-delta', executionId: 'exe_new', delta: 'a' } },
    ]);
    vitest.expect(await coordinator.readEvents('t', 'exe_1', 0)).toBe(undefined);
    vitest.expect(await coordinator.readEvents('t', 'exe_2', 0)).toBe(undefined);
    vitest.expect((await coordinator.readEvents('t', 'exe_3', 0))?.length).toBe(1);
    vitest.expect((await coordinator.readEvents('t', 'exe_4', 0))?.length).toBe(1);
    vitest.expect((await coordinator.readEvents('t', 'exe_new', 0))?.length).toBe(1);
  });

  vitest.it(
    'a local log is read like an appended one, wakes readers at once, and is only offered by the coordinator itself',
    async () => {
      const coordinator = createMemoryCoordinator();
      const open = localEventLogs(coordinator);
      vitest.expect(open).toBeTypeOf('function');
      // A wrapper (a spread copy) has to go through appendEvents.
      vitest.expect(localEventLogs({ ...coordinator })).toBe(undefined);
      let woken = 0;
      coordinator.onEventsAppended('t', 'exe_local', () => {
        woken += 1;
      });
      const log = open?.('t', 'exe_local');
      log?.append(1, { type: 'output-delta', executionId: 'exe_local', delta: 'a' });
      log?.append(2, { type: 'output-delta', executionId: 'exe_local', delta: 'b' });
      vitest.expect(woken).toBe(2);
      vitest.expect((await coordinator.readEvents('t', 'exe_local', 1))?.map((entry) => entry.id)).toEqual([2]);
      vitest.expect(await coordinator.readEvents('other', 'exe_local', 0)).toBe(undefined);
    },
  );

  vitest.it(
    'reads back what was appended, after any id, however the ids run and whoever appends (property)',
    async () => {
      const delta = (executionId: string, text: string): ExecutionEvent => ({
        type: 'output-delta',
        executionId,
        delta: text,
      });
      await fc.assert(
        fc.asyncProperty(
          // Gaps between ids (0: the next id in a row), each event appended locally or in a batch.
          fc.array(fc.record({ gap: fc.nat(3), local: fc.boolean(), batch: fc.boolean() }), {
            minLength: 1,
            maxLength: 12,
          }),
          fc.boolean(),
          fc.nat(40),
          async (steps, ends, afterId) => {
            const coordinator = createMemoryCoordinator();
            const open = localEventLogs(coordinator);
            const log = open?.('t', 'exe_p');
            const appended: { id: number; event: ExecutionEvent }[] = [];
            let batch: { id: number; event: ExecutionEvent }[] = [];
            const flush = async () => {
              if (batch.length > 0) await coordinator.appendEvents('t', 'exe_p', batch);
              batch = [];
            };
            let id = 0;
            for (const [index, step] of steps.entries()) {
              id += 1 + step.gap;
              const last = ends && index === steps.length - 1;
              const event: ExecutionEvent = last
                ? { type: 'execution-error', executionId: 'exe_p', error: {} as never, result: {} as never }
                : delta('exe_p', String(index));
              appended.push({ id, event });
              if (step.local) {
                await flush();
                log?.append(id, event);
              } else {
                batch.push({ id, event });
                if (!step.batch) await flush();
              }
            }
            await flush();
            const read = await coordinator.readEvents('t', 'exe_p', afterId);
            vitest.expect(read).toEqual(appended.filter((entry) => entry.id > afterId));
          },
        ),
      );
    },
  );
});

vitest.describe('createMemoryCoordinator: leases', () => {
  vitest.it('a stopped cancel listener is not called; the others are, in the order they were added', async () => {
    const coordinator = createMemoryCoordinator();
    const lease = await coordinator.acquire({
      run: { executionId: 'exe_c', tenantId: 't' } as RunningExecution,
      limit: 1,
      budgets: [],
    });
    const calls: string[] = [];
    const stops = ['a', 'b', 'c', 'd'].map((name) => coordinator.onCancelRequested(lease, () => calls.push(name)));
    stops[1]?.();
    stops[1]?.(); // twice: nothing more happens
    stops[3]?.();
    vitest.expect(await coordinator.requestCancel('t', 'exe_c')).toBe(true);
    vitest.expect(calls).toEqual(['a', 'c']);
  });

  vitest.it(
    "counts, expires, cancels and reclaims each tenant's leases as a model of them does (property)",
    async () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('acquire' as const), tenant: fc.constantFrom('a', 'b') }),
        fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
        fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), tenant: fc.constantFrom('a', 'b') }),
        fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(6) }),
        fc.record({ kind: fc.constant('reclaim' as const) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 80, size: 'large' }), async (ops) => {
          let time = 0;
          const coordinator = createMemoryCoordinator({ leaseTtlMs: 10, now: () => time });
          const limit = 3;
          // The model: each tenant's running executions and when each expires, and the expired ones.
          const running = new Map<string, { tenant: string; expiresAt: number; lease: Lease }>();
          const expired = new Set<string>();
          const expireIn = (tenant?: string) => {
            for (const [id, run] of running)
              if ((tenant === undefined || run.tenant === tenant) && run.expiresAt <= time) {
                running.delete(id);
                expired.add(id);
              }
          };
          let next = 0;
          for (const step of ops) {
            if (step.kind === 'acquire') {
              next += 1;
              const executionId = `exe_${next}`;
              expireIn(step.tenant);
              const active = [...running.values()].filter((run) => run.tenant === step.tenant).length;
              const acquiring = coordinator.acquire({
                run: { executionId, tenantId: step.tenant } as RunningExecution,
                limit,
                budgets: [],
              });
              if (active >= limit) {
                await vitest.expect(acquiring).rejects.toMatchObject({ code: 'limit_exceeded' });
              } else {
                running.set(executionId, { tenant: step.tenant, expiresAt: time + 10, lease: await acquiring });
              }
            } else if (step.kind === 'release' || step.kind === 'cancel') {
              const ids = [...running.keys()];
              if (ids.length === 0) continue;
              const id = ids[step.pick % ids.length] as string;
              const run = running.get(id) as { tenant: string; expiresAt: number; lease: Lease };
              if (step.kind === 'release') {
                await coordinator.release(run.lease, undefined);
                running.delete(id);
              } else {
                const cancelled = await coordinator.requestCancel(step.tenant, id);
                vitest.expect(cancelled).toBe(step.tenant === run.tenant && run.expiresAt > time);
              }
            } else if (step.kind === 'wait') {
              time += step.ms;
            } else {
              expireIn();
              const reclaimed = (await coordinator.reclaimExpired()).map((interrupted) => interrupted.run.executionId);
              vitest.expect(new Set(reclaimed)).toEqual(expired);
              expired.clear();
            }
          }
        }),
        // Enough runs to free a tenant's first slot, then its last, then fill it again.
        { numRuns: 400 },
      );
    },
  );
});
