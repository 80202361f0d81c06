import * as vitest from 'vitest';
import { describeCoordinatorContract } from '../testing/coordinator-contract';
import { createMemoryCoordinator } from './memory-coordinator';

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
