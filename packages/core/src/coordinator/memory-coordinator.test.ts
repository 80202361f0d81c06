import * as vitest from 'vitest';
import { describeCoordinatorContract } from '../testing/coordinator-contract';
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
      log?.append({ id: 1, event: { type: 'output-delta', executionId: 'exe_local', delta: 'a' } });
      log?.append({ id: 2, event: { type: 'output-delta', executionId: 'exe_local', delta: 'b' } });
      vitest.expect(woken).toBe(2);
      vitest.expect((await coordinator.readEvents('t', 'exe_local', 1))?.map((entry) => entry.id)).toEqual([2]);
      vitest.expect(await coordinator.readEvents('other', 'exe_local', 0)).toBe(undefined);
    },
  );
});
