import { describeCoordinatorContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBackend, testBackends } from '../postgres.test-support';
import { createPostgresCoordinator } from './postgres-coordinator';

const { backends } = await testBackends();

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`createPostgresCoordinator on ${entry.name}`, () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(async () => {
      await backend?.close();
    });
    describeCoordinatorContract(
      {
        name: `PostgreSQL (${entry.name})`,
        async create({ now, leaseTtlMs }) {
          const schema = await backend.freshSchema('coord');
          return createPostgresCoordinator({ pool: backend.appPool, schema, now, leaseTtlMs, pollIntervalMs: 0 });
        },
        dispose: (coordinator) => coordinator.close?.(),
      },
      vitest,
    );

    it('stores appends made without awaiting (as a run logs) in call order, none lost', async () => {
      const schema = await backend.freshSchema('append');
      const coordinator = createPostgresCoordinator({ pool: backend.appPool, schema, pollIntervalMs: 0 });
      // A pool runs these on several connections at once; they must still commit as 1, 2, 3, …
      const appends = Array.from({ length: 40 }, (_, index) =>
        coordinator.appendEvents('tenant_a', 'exe_burst', [
          { id: index + 1, event: { type: 'output-delta', executionId: 'exe_burst', delta: `${index} ` } },
        ]),
      );
      await Promise.all(appends);
      const stored = await coordinator.readEvents('tenant_a', 'exe_burst', 0);
      expect(stored?.map((entry) => entry.id)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
      // A call whose ids do not follow is refused alone; the ones queued with it are stored.
      const late = coordinator.appendEvents('tenant_a', 'exe_burst', [
        { id: 3, event: { type: 'output-delta', executionId: 'exe_burst', delta: 'late' } },
      ]);
      const next = coordinator.appendEvents('tenant_a', 'exe_burst', [
        { id: 41, event: { type: 'output-delta', executionId: 'exe_burst', delta: 'next' } },
      ]);
      await expect(late).rejects.toThrow(/ids must increase/);
      await next;
      expect((await coordinator.readEvents('tenant_a', 'exe_burst', 40))?.map((entry) => entry.id)).toEqual([41]);
      await coordinator.close?.();
    });
  });
}
