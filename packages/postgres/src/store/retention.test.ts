import type { ExecutionResult } from '@agentry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresCoordinator } from '../coordinator/postgres-coordinator';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresStore, type PostgresStore } from './postgres-store';
import { historyRecord } from './store-records.test-support';

const server = await probeServer();

const backends = [
  { name: 'PGlite', create: createPgliteBackend, skip: false },
  { name: 'PostgreSQL server', create: createServerBackend, skip: !server.available },
];

const DAY = 86_400_000;
const NOW = new Date('2026-06-30T12:00:00.000Z');

function aged(id: string, tenantId: string, daysAgo: number): ExecutionResult {
  const finishedAt = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  return { ...historyRecord(id, tenantId), startedAt: finishedAt, finishedAt };
}

for (const entry of backends) {
  describe.skipIf(entry.skip)(`retention on ${entry.name}`, () => {
    let backend: TestBackend;
    let store: PostgresStore;
    let schema: string;
    const ids = async (tenantId: string) => (await store.list(tenantId, { limit: 100 })).items.map((item) => item.id);

    beforeAll(async () => {
      backend = await entry.create();
      schema = await backend.freshSchema('retention');
      store = createPostgresStore({ pool: backend.appPool, schema });
    });
    afterAll(() => backend?.close());

    it('keeps the newest records per tenant, drops the too old, and honours per-tenant limits', async () => {
      // Saved oldest first: a5 is the newest. a1 and a2 are 40 and 31 days old.
      for (const [index, days] of [40, 31, 3, 2, 1].entries()) await store.save(aged(`a${index + 1}`, 'a', days));
      for (let index = 1; index <= 5; index += 1) await store.save(aged(`b${index}`, 'b', 1));
      for (const [index, days] of [100, 50, 1].entries()) await store.save(aged(`c${index + 1}`, 'c', days));

      const result = await store.cleanup({
        maxRecords: 4,
        maxAgeMs: 30 * DAY,
        now: NOW,
        tenants: { c: { maxAgeMs: 60 * DAY } },
      });
      expect(await ids('a')).toEqual(['a5', 'a4', 'a3']); // a1, a2 too old (a1 also past the count)
      expect(await ids('b')).toEqual(['b5', 'b4', 'b3', 'b2']); // b1 past the count
      expect(await ids('c')).toEqual(['c3', 'c2']); // its own limit: 60 days, no count
      expect(result).toEqual({ deleted: 2 + 1 + 1 });
      expect(await store.cleanup({ maxRecords: 4, maxAgeMs: 30 * DAY, now: NOW, tenants: { c: {} } })).toEqual({
        deleted: 0,
      });
      // New records after a cleanup continue the history where it was.
      await store.save(aged('a6', 'a', 0));
      expect((await ids('a'))[0]).toBe('a6');
    });

    it('deletes every row of one tenant and nothing of the others', async () => {
      await store.save(aged('x1', 'leaving', 1));
      await store.save(aged('x2', 'leaving', 1));
      const before = await ids('b');
      expect(await store.deleteTenantData('leaving')).toEqual({ deleted: 2 });
      expect(await ids('leaving')).toEqual([]);
      expect(await ids('b')).toEqual(before);
      expect(await store.deleteTenantData('leaving')).toEqual({ deleted: 0 });
      // A tenant that comes back starts a fresh history.
      await store.save(aged('x3', 'leaving', 0));
      expect(await ids('leaving')).toEqual(['x3']);
    });

    it("deletes the tenant's run event logs too, and no one else's", async () => {
      const coordinator = createPostgresCoordinator({ pool: backend.appPool, schema });
      const event = (executionId: string) => ({
        id: 1,
        event: { type: 'output-delta' as const, executionId, delta: 'private text' },
      });
      await coordinator.appendEvents('leaving', 'exe_leaving', [event('exe_leaving')]);
      await coordinator.appendEvents('staying', 'exe_staying', [event('exe_staying')]);
      expect(await coordinator.readEvents('leaving', 'exe_leaving', 0)).toHaveLength(1);

      await store.deleteTenantData('leaving');
      expect(await coordinator.readEvents('leaving', 'exe_leaving', 0)).toBeUndefined();
      expect(await coordinator.readEvents('staying', 'exe_staying', 0)).toEqual([event('exe_staying')]);
      await coordinator.close?.();
    });

    it('refuses limits that are not counts or durations', async () => {
      await expect(store.cleanup({ maxRecords: -1 })).rejects.toThrow(/maxRecords must be an integer ≥ 0/);
      await expect(store.cleanup({ maxAgeMs: Number.NaN })).rejects.toThrow(/maxAgeMs must be a number/);
      await expect(store.cleanup({ tenants: { t: { maxRecords: 1.5 } } })).rejects.toThrow(
        /tenants\["t"\]\.maxRecords must be an integer/,
      );
      await expect(store.deleteTenantData('')).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
}
