import { createExecutor } from '@agentry/core';
import { describeExecutionStoreContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo } from '../../../core/test/agents';
import { MIGRATIONS } from '../migrations/all-migrations';
import { createServerBackend, type TestBackend, testBackends } from '../postgres.test-support';
import { createPostgresStore } from './postgres-store';

const { server, backends } = await testBackends();

for (const entry of backends) {
  let backend: TestBackend | undefined;
  let schema = '';
  const opened = async () => {
    if (backend === undefined) {
      backend = await entry.create();
      schema = await backend.freshSchema('contract');
    }
    return backend;
  };
  describeExecutionStoreContract(
    {
      name: entry.name,
      ...(entry.skip === undefined ? {} : { skip: entry.skip }),
      async create() {
        const { appPool } = await opened();
        return createPostgresStore({ pool: appPool, schema });
      },
      close: () => backend?.close(),
    },
    vitest,
  );
}

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`createPostgresStore on ${entry.name}`, () => {
    let backend: TestBackend;
    let schema: string;
    beforeAll(async () => {
      backend = await entry.create();
      schema = await backend.freshSchema('store');
    });
    afterAll(() => backend?.close());

    it('serves an executor: runs land in the history, newest first, per tenant', async () => {
      const store = createPostgresStore({ pool: backend.appPool, schema });
      await store.ready();
      const executor = createExecutor({ agents: [echo], store });
      const acme = { tenantId: 'acme', userId: 'u1' };
      const globex = { tenantId: 'globex', userId: 'u2' };
      const first = await executor.execute({ agentId: 'echo', input: { message: 'one' }, tenant: acme });
      const second = await executor.execute({ agentId: 'echo', input: { message: 'two' }, tenant: acme });
      await executor.execute({ agentId: 'echo', input: { message: 'other' }, tenant: globex });
      const page = await executor.listExecutions(acme, { limit: 10 });
      expect(page.items.map((item) => item.id)).toEqual([second.id, first.id]);
      expect(await executor.getExecution(acme, first.id)).toEqual(first);
      await expect(executor.getExecution(globex, first.id)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refuses a superuser connection with the fix in the message, unless the host opts out', async () => {
      const privileged = createPostgresStore({ pool: backend.ownerPool, schema });
      await expect(privileged.ready()).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringMatching(
          /a superuser.*create role agentry_app .*nobypassrls.*allowPrivilegedRole: true/s,
        ),
      });
      // Refused once, refused for good: no query reaches the tables.
      await expect(privileged.list('acme')).rejects.toMatchObject({ message: expect.stringMatching(/superuser/) });
      const allowed = createPostgresStore({ pool: backend.ownerPool, schema, allowPrivilegedRole: true });
      await allowed.ready();
      expect((await allowed.list('acme')).items.length).toBeGreaterThan(0);
    });

    it('refuses a schema that is not migrated, naming the command that fixes it', async () => {
      const store = createPostgresStore({ pool: backend.appPool, schema: 'not_migrated_here' });
      await expect(store.ready()).rejects.toMatchObject({
        message: expect.stringMatching(
          new RegExp(
            `at migration 0, .* needs ${MIGRATIONS.at(-1)?.version}\\. Run migrate\\(\\) or: npx agentry-postgres migrate`,
          ),
        ),
      });
    });

    it('refuses bad options and unstorable records with clear errors', async () => {
      expect(() => createPostgresStore({ pool: {} as never })).toThrow(/pg-compatible Pool/);
      expect(() => createPostgresStore({ pool: backend.appPool, schema: 'Bad-Name; drop' })).toThrow(
        /schema must be a PostgreSQL name/,
      );
      const store = createPostgresStore({ pool: backend.appPool, schema });
      const record = (await store.list('acme')).items[0];
      if (record === undefined) throw new Error('expected a record from the first case');
      await expect(store.save({ ...record, tenantId: '' })).rejects.toMatchObject({
        code: 'validation_failed',
        issues: [{ path: ['tenantId'] }],
      });
      await expect(store.save({ ...record, id: 'a\u0000b' })).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await store.get('acme', 'a\u0000b')).toBeUndefined();
      expect(await store.get('', record.id)).toBeUndefined();
      expect((await store.list('a\u0000b')).items).toEqual([]);
    });
  });
}

describe.skipIf(!server.available)('createPostgresStore on the server: privileged roles and outages', () => {
  let backend: Awaited<ReturnType<typeof createServerBackend>>;
  let schema: string;
  beforeAll(async () => {
    backend = await createServerBackend();
    schema = await backend.freshSchema('roles');
  });
  afterAll(() => backend?.close());

  it('refuses a role with BYPASSRLS that is not a superuser', async () => {
    const store = createPostgresStore({ pool: backend.bypassPool as never, schema });
    await expect(store.ready()).rejects.toMatchObject({
      message: expect.stringMatching(/"agentry_test_bypass", a role with BYPASSRLS/),
    });
  });

  it('answers a clear, retryable error while the database is unreachable, and works again after', async () => {
    let reachable = false;
    const flaky = {
      query: (text: string, values?: unknown[]) =>
        reachable
          ? backend.appPool.query(text, values)
          : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      connect: () => backend.appPool.connect(),
    };
    const store = createPostgresStore({ pool: flaky, schema });
    await expect(store.list('acme')).rejects.toMatchObject({
      code: 'internal',
      retryable: true,
      message: expect.stringMatching(/failed to connect: connect ECONNREFUSED/),
    });
    reachable = true;
    expect(await store.list('acme')).toEqual({ items: [] });
  });
});
