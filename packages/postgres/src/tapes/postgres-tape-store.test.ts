import { tapeProvider } from '@agentry/core/tapes';
import { contractTapeEntry, describeTapeStoreContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../pool';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresTapeStore } from './postgres-tape-store';

const server = await probeServer();
const backends = [
  { name: 'PGlite', create: createPgliteBackend, skip: false },
  { name: 'PostgreSQL server', create: createServerBackend, skip: !server.available },
];
const KEY = `sha256:${'c'.repeat(64)}`;

for (const entry of backends) {
  describe.skipIf(entry.skip)(`createPostgresTapeStore on ${entry.name}`, () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(() => backend?.close());

    describeTapeStoreContract(
      {
        name: `PostgreSQL (${entry.name})`,
        async create() {
          return createPostgresTapeStore({ pool: backend.appPool, schema: await backend.freshSchema('tapes') });
        },
      },
      vitest,
    );

    // Raw SQL as the app role, the way a buggy query in a host's own code would run.
    const asTenant = (tenantId: string | undefined, sql: string, values: unknown[] = []) =>
      inTransaction(backend.appPool, async (client) => {
        if (tenantId !== undefined) await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
        return (await client.query(sql, values)).rows;
      });

    it("row-level security: tenant A's queries never see, change or forge tenant B's tapes", async () => {
      const schema = await backend.freshSchema('tapes_rls');
      const store = createPostgresTapeStore({ pool: backend.appPool, schema });
      await store.write({ tenantId: 'tenant_a', agentId: 'summarize' }, [contractTapeEntry(KEY, 1, 'for A')]);
      await store.write({ tenantId: 'tenant_b', agentId: 'summarize' }, [contractTapeEntry(KEY, 1, 'for B')]);

      // No where clause, and B asked for by name: only A's row, then nothing.
      expect(await asTenant('tenant_a', `select tenant_id, key from ${schema}.tape_entries`)).toEqual([
        { tenant_id: 'tenant_a', key: KEY },
      ]);
      expect(await asTenant('tenant_a', `select 1 from ${schema}.tape_entries where tenant_id = 'tenant_b'`)).toEqual(
        [],
      );
      // No tenant set: nothing at all.
      expect(await asTenant(undefined, `select 1 from ${schema}.tape_entries`)).toEqual([]);
      // Forging a row for B, or deleting B's, is refused or touches nothing.
      await expect(
        asTenant(
          'tenant_a',
          `insert into ${schema}.tape_entries (tenant_id, agent_id, key, attempt, format_version, recorded_at, entry)
           values ('tenant_b', 'summarize', $1, 2, 1, now(), '{}')`,
          [KEY],
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/row-level security/) });
      expect(
        await asTenant('tenant_a', `delete from ${schema}.tape_entries where tenant_id = 'tenant_b' returning key`),
      ).toEqual([]);
      expect(await asTenant('tenant_a', `update ${schema}.tape_entries set attempt = 7 returning tenant_id`)).toEqual([
        { tenant_id: 'tenant_a' },
      ]);
      const b = await store.read({ tenantId: 'tenant_b', agentId: 'summarize' });
      expect(b.map((tape) => [tape.attempt, tape.events[0]])).toEqual([
        [1, { atMs: 40, type: 'text-delta', delta: 'for B' }],
      ]);
    });

    it('a tape recorded for one tenant is never served to another (through tapeProvider)', async () => {
      const schema = await backend.freshSchema('tapes_tenants');
      const store = createPostgresTapeStore({ pool: backend.appPool, schema });
      const recorded = contractTapeEntry(KEY, 1, 'A fox.');
      await store.write({ tenantId: 'tenant_a', agentId: 'summarize' }, [recorded]);
      const replay = tapeProvider({ store }, { speed: 0, keyFields: ['agentId', 'model', 'messages', 'input'] });
      const request = {
        ...recorded.request,
        input: recorded.request.input,
        executionId: 'exe_1',
        attempt: 1,
        providerOptions: {},
      };
      const context = (tenantId: string) => ({
        signal: new AbortController().signal,
        tenant: { tenantId, userId: 'user_1' },
        logger: { debug() {}, info() {}, warn() {}, error() {} },
      });
      expect((await replay.execute(request, context('tenant_a'))).text).toBe('A fox.');
      await expect(replay.execute(request, context('tenant_b'))).rejects.toMatchObject({
        message: expect.stringMatching(
          /No recording on tape postgres:.*tenant "tenant_b".*has no recordings for this agent and tenant/s,
        ),
      });
    });

    it('a tape and a saved mock holding a NUL and lone surrogates read back exactly', async () => {
      const schema = await backend.freshSchema('tapes_nul');
      const store = createPostgresTapeStore({ pool: backend.appPool, schema });
      const address = { tenantId: 'tenant_a', agentId: 'summarize' };
      const text = 'a\u0000b \u0001\u001f \ud800 \udfff 🙂 "\\u0000"';
      const recorded = contractTapeEntry(KEY, 1, text);
      await store.write(address, [recorded]);
      expect(await store.read(address)).toEqual([recorded]);
      const mock = {
        format: 'agentry-mock' as const,
        version: 1 as const,
        ...address,
        executionId: 'exe_1',
        savedAt: '2026-12-03T09:00:00.000Z',
        input: { text },
        mock: { steps: [{ text, delayMs: 1 }] },
      };
      await store.saveMock?.(address, mock);
      expect(await store.readMock?.(address)).toEqual(mock);
    });

    it('a row that is not a tape entry fails the read, naming the table, tenant and agent', async () => {
      const schema = await backend.freshSchema('tapes_bad');
      const store = createPostgresTapeStore({ pool: backend.appPool, schema });
      await asTenant(
        'tenant_a',
        `insert into ${schema}.tape_entries (tenant_id, agent_id, key, attempt, format_version, recorded_at, entry)
         values ('tenant_a', 'summarize', $1, 1, 1, now(), '{"key": "nope"}')`,
        [KEY],
      );
      await expect(store.read({ tenantId: 'tenant_a', agentId: 'summarize' })).rejects.toThrow(
        /Tape postgres:tapes_bad_\w+\.tape_entries \(tenant "tenant_a", agent "summarize"\): does not match the tape format/,
      );
      await asTenant('tenant_a', `update ${schema}.tape_entries set format_version = 9`);
      await expect(store.read({ tenantId: 'tenant_a', agentId: 'summarize' })).rejects.toThrow(
        /format version 9, newer/,
      );
    });
  });
}
