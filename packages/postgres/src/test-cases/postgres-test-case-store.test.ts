import { describeTestCaseStoreContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { createPgliteBackend, type TestBackend, testBackends } from '../postgres.test-support';
import { createPostgresTestCaseStore } from './postgres-test-case-store';

const { backends } = await testBackends();

for (const entry of backends) {
  let backend: TestBackend | undefined;
  let schema = '';
  const opened = async () => {
    if (backend === undefined) {
      backend = await entry.create();
      schema = await backend.freshSchema('cases');
    }
    return backend;
  };
  describeTestCaseStoreContract(
    {
      name: entry.name,
      ...(entry.skip === undefined ? {} : { skip: entry.skip }),
      async create() {
        const { appPool } = await opened();
        return createPostgresTestCaseStore({ pool: appPool, schema });
      },
      close: () => backend?.close(),
    },
    vitest,
  );
}

vitest.describe('createPostgresTestCaseStore checks its connection (PGlite)', () => {
  let backend: TestBackend | undefined;
  vitest.afterAll(() => backend?.close());

  vitest.it('refuses an unmigrated schema, a role that bypasses RLS, and a pool that is not one', async () => {
    backend = await createPgliteBackend();
    const unmigrated = createPostgresTestCaseStore({ pool: backend.appPool, schema: 'not_migrated_here' });
    await vitest.expect(unmigrated.list('acme', 'echo')).rejects.toMatchObject({
      message: vitest.expect.stringMatching(/at migration 0; saved test cases need \d+\. Run migrate\(\)/),
    });
    const schema = await backend.freshSchema('cases_owner');
    const privileged = createPostgresTestCaseStore({ pool: backend.ownerPool, schema });
    await vitest.expect(privileged.ready()).rejects.toMatchObject({ code: 'internal' });
    vitest.expect(() => createPostgresTestCaseStore({ pool: {} as never })).toThrow(/pg-compatible Pool/);
    // Ids PostgreSQL cannot store are simply never found.
    const store = createPostgresTestCaseStore({ pool: backend.appPool, schema });
    vitest.expect(await store.get('acme', 'echo', 'a\u0000b')).toBe(undefined);
    vitest.expect(await store.delete('', 'echo', 'x')).toBe(false);
  });
});

vitest.describe.each(backends)('createPostgresTestCaseStore with a NUL in a case ($name)', (entry) => {
  let backend: TestBackend | undefined;
  vitest.afterAll(() => backend?.close());

  vitest.it.skipIf(entry.skip !== undefined)(
    'saves, lists, updates and reads back a case whose input holds a NUL and lone surrogates',
    async () => {
      backend = await entry.create();
      const store = createPostgresTestCaseStore({
        pool: backend.appPool,
        schema: await backend.freshSchema('cases_nul'),
      });
      const text = 'a\u0000b \u0001 \ud800 \udfff 🙂';
      const testCase = {
        id: `tc_${'0'.repeat(32)}`,
        tenantId: 'acme',
        agentId: 'echo',
        name: `NUL ${text}`,
        input: { text },
        expectations: {},
        createdAt: '2026-12-03T09:00:00.000Z',
        updatedAt: '2026-12-03T09:00:00.000Z',
      };
      vitest.expect(await store.create(testCase, { maxPerAgent: 10 })).toBe(true);
      vitest.expect(await store.get('acme', 'echo', testCase.id)).toEqual(testCase);
      vitest.expect(await store.list('acme', 'echo')).toEqual([testCase]);
      const changed = { ...testCase, input: { text: `${text} again` }, updatedAt: '2026-12-03T10:00:00.000Z' };
      vitest.expect(await store.update(changed)).toEqual(changed);
      vitest.expect(await store.get('acme', 'echo', testCase.id)).toEqual(changed);
    },
  );
});
