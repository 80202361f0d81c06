// Row-level security on `test_cases` (migration 4), probed with raw SQL as the app role: the way a
// buggy query in a host's own code would run.
import type { TestCase } from '@agentry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../pool';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { createPostgresTestCaseStore } from './postgres-test-case-store';

const server = await probeServer();

const backends = [
  { name: 'PGlite', create: createPgliteBackend, skip: false },
  { name: 'PostgreSQL server', create: createServerBackend, skip: !server.available },
];

function saved(id: string, tenantId: string): TestCase {
  return {
    id,
    tenantId,
    agentId: 'echo',
    name: id,
    input: { text: id },
    expectations: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

for (const entry of backends) {
  describe.skipIf(entry.skip)(`row-level security on test_cases, ${entry.name}`, () => {
    let backend: TestBackend;
    let schema: string;
    beforeAll(async () => {
      backend = await entry.create();
      schema = await backend.freshSchema('rls_cases');
      const store = createPostgresTestCaseStore({ pool: backend.appPool, schema });
      for (const id of ['a1', 'a2']) await store.create(saved(id, 'tenant_a'), { maxPerAgent: 10 });
      for (const id of ['b1', 'b2']) await store.create(saved(id, 'tenant_b'), { maxPerAgent: 10 });
    });
    afterAll(() => backend?.close());

    const asTenant = (tenantId: string | undefined, sql: string, values: unknown[] = []) =>
      inTransaction(backend.appPool, async (client) => {
        if (tenantId !== undefined) await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
        return (await client.query(sql, values)).rows;
      });

    it("shows tenant A none of B's cases when the query forgets its where tenant_id, and none without a tenant", async () => {
      expect(await asTenant('tenant_a', `select tenant_id, id from ${schema}.test_cases order by id`)).toEqual([
        { tenant_id: 'tenant_a', id: 'a1' },
        { tenant_id: 'tenant_a', id: 'a2' },
      ]);
      expect(await asTenant('tenant_a', `select id from ${schema}.test_cases where tenant_id = 'tenant_b'`)).toEqual(
        [],
      );
      expect(await asTenant(undefined, `select id from ${schema}.test_cases`)).toEqual([]);
    });

    it("refuses to write a case for another tenant, or to change or delete B's", async () => {
      await expect(
        asTenant(
          'tenant_a',
          `insert into ${schema}.test_cases (tenant_id, agent_id, id, created_at, updated_at, test_case)
           values ('tenant_b', 'echo', 'forged', now(), now(), '{}')`,
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/row-level security/) });
      const updated = await asTenant('tenant_a', `update ${schema}.test_cases set agent_id = 'moved' returning id`);
      expect(updated.map((row) => row.id).sort()).toEqual(['a1', 'a2']);
      expect(await asTenant('tenant_a', `delete from ${schema}.test_cases where id like 'b%' returning id`)).toEqual(
        [],
      );
      expect(await asTenant('tenant_b', `select id, agent_id from ${schema}.test_cases order by id`)).toEqual([
        { id: 'b1', agent_id: 'echo' },
        { id: 'b2', agent_id: 'echo' },
      ]);
    });

    it('has row-level security enabled and forced on test_cases', async () => {
      const { rows } = await backend.ownerPool.query(
        `select c.relrowsecurity, c.relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relname = 'test_cases'`,
        [schema],
      );
      expect(rows).toEqual([{ relrowsecurity: true, relforcerowsecurity: true }]);
    });

    it("deleteTenantData removes the tenant's cases too, and no one else's", async () => {
      const history = createPostgresStore({ pool: backend.appPool, schema });
      await history.deleteTenantData('tenant_b');
      const cases = createPostgresTestCaseStore({ pool: backend.appPool, schema });
      expect(await cases.list('tenant_b', 'echo')).toEqual([]);
      expect((await cases.list('tenant_a', 'moved')).map((item) => item.id)).toEqual(['a1', 'a2']);
    });
  });
}
