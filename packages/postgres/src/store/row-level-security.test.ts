import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../pool';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresStore } from './postgres-store';
import { historyRecord } from './store-records.test-support';

const server = await probeServer();

const backends = [
  { name: 'PGlite', create: createPgliteBackend, skip: false },
  { name: 'PostgreSQL server', create: createServerBackend, skip: !server.available },
];

for (const entry of backends) {
  describe.skipIf(entry.skip)(`row-level security on ${entry.name}`, () => {
    let backend: TestBackend;
    let schema: string;
    beforeAll(async () => {
      backend = await entry.create();
      schema = await backend.freshSchema('rls');
      const store = createPostgresStore({ pool: backend.appPool, schema });
      for (let index = 1; index <= 3; index += 1) {
        await store.save(historyRecord(`a${index}`, 'tenant_a'));
        await store.save(historyRecord(`b${index}`, 'tenant_b'));
      }
    });
    afterAll(() => backend?.close());

    // Raw SQL as the app role, the way a buggy query in a host's own code would run.
    const asTenant = (tenantId: string | undefined, sql: string, values: unknown[] = []) =>
      inTransaction(backend.appPool, async (client) => {
        if (tenantId !== undefined) await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
        return (await client.query(sql, values)).rows;
      });

    it("shows tenant A none of B's rows when the query forgets its where tenant_id", async () => {
      const rows = await asTenant('tenant_a', `select tenant_id, id from ${schema}.executions order by id`);
      expect(rows).toEqual([
        { tenant_id: 'tenant_a', id: 'a1' },
        { tenant_id: 'tenant_a', id: 'a2' },
        { tenant_id: 'tenant_a', id: 'a3' },
      ]);
      const counters = await asTenant('tenant_a', `select tenant_id from ${schema}.tenants`);
      expect(counters).toEqual([{ tenant_id: 'tenant_a' }]);
      // Even asking for B by name finds nothing.
      expect(await asTenant('tenant_a', `select id from ${schema}.executions where tenant_id = 'tenant_b'`)).toEqual(
        [],
      );
    });

    it('shows nothing at all when no tenant is set, and nothing after the transaction that set one', async () => {
      expect(await asTenant(undefined, `select id from ${schema}.executions`)).toEqual([]);
      // One connection, two transactions: what a transaction-mode pooler (PgBouncer) hands the
      // next client. The setting ended with the first transaction.
      const client = await backend.appPool.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('agentry.tenant_id', 'tenant_a', true)`);
        expect((await client.query(`select count(*)::int as n from ${schema}.executions`)).rows).toEqual([{ n: 3 }]);
        await client.query('commit');
        expect((await client.query(`select count(*)::int as n from ${schema}.executions`)).rows).toEqual([{ n: 0 }]);
      } finally {
        client.release();
      }
    });

    it("refuses to write a row for another tenant, or to change B's rows", async () => {
      await expect(
        asTenant(
          'tenant_a',
          `insert into ${schema}.executions (tenant_id, id, sequence, agent_id, status, started_at, finished_at, record)
           values ('tenant_b', 'forged', 99, 'echo', 'succeeded', now(), now(), '{}')`,
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/row-level security/) });
      const updated = await asTenant('tenant_a', `update ${schema}.executions set status = 'failed' returning id`);
      expect(updated.map((row) => row.id).sort()).toEqual(['a1', 'a2', 'a3']);
      const deleted = await asTenant('tenant_a', `delete from ${schema}.executions where id like 'b%' returning id`);
      expect(deleted).toEqual([]);
      expect(await asTenant('tenant_b', `select id, status from ${schema}.executions order by id`)).toEqual([
        { id: 'b1', status: 'succeeded' },
        { id: 'b2', status: 'succeeded' },
        { id: 'b3', status: 'succeeded' },
      ]);
    });

    it("keeps each tenant's event logs (one row per append, migration 9) to that tenant", async () => {
      const append = (tenantId: string, executionId: string) =>
        backend.appPool.query(`select ${schema}.append_events($1, $2, 1, $3::json, null, null)`, [
          tenantId,
          executionId,
          JSON.stringify([{ idx: 0, first_id: 1, last_id: 1, ids: [1], events: '[{"type":"x"}]' }]),
        ]);
      await append('tenant_a', 'exe_log');
      await append('tenant_b', 'exe_log');
      const logs = `select tenant_id, execution_id from ${schema}.execution_event_batches`;
      expect(await asTenant('tenant_a', logs)).toEqual([{ tenant_id: 'tenant_a', execution_id: 'exe_log' }]);
      expect(await asTenant(undefined, logs)).toEqual([]);
      await expect(
        asTenant(
          'tenant_a',
          `insert into ${schema}.execution_event_batches (tenant_id, execution_id, last_id, ids, appended_at, events)
           values ('tenant_b', 'exe_other', 1, '{1}', 1, '[]')`,
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('has row-level security enabled and forced on every table of the schema', async () => {
      const { rows } = await backend.ownerPool.query(
        `select c.relname, c.relrowsecurity, c.relforcerowsecurity
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relkind = 'r' order by c.relname`,
        [schema],
      );
      expect(rows.map((row) => row.relname)).toEqual([
        'budget_spend',
        'execution_event_batches',
        'execution_events',
        'executions',
        'leases',
        'migrations',
        'tape_entries',
        'tape_mocks',
        'tenants',
        'test_cases',
      ]);
      for (const row of rows) expect(row).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    });

    it('gives the app role no way to change the migration ledger', async () => {
      await expect(asTenant(undefined, `delete from ${schema}.migrations`)).rejects.toMatchObject({
        message: expect.stringMatching(/permission denied/),
      });
    });
  });
}
