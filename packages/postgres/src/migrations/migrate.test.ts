import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { historyRecord } from '../store/store-records.test-support';
import { MIGRATIONS } from './all-migrations';
import { migrate, migrationStatus, rollback, runMigrations, runRollback } from './migrate';
import type { Migration } from './migration';

const ALL_TABLES = [
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
];
// Derived from MIGRATIONS, so a new migration does not rewrite these tests.
const LATEST = MIGRATIONS.at(-1)?.version ?? 0;
const LISTED = MIGRATIONS.map(({ version, name }) => ({ version, name }));
const NEXT = LATEST + 1;

const server = await probeServer();

const backends = [
  { name: 'PGlite', create: createPgliteBackend, skip: false },
  { name: 'PostgreSQL server', create: createServerBackend, skip: !server.available },
];

let counter = 0;
function schemaName(): string {
  counter += 1;
  return `mig_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

for (const entry of backends) {
  describe.skipIf(entry.skip)(`migrations on ${entry.name}`, () => {
    let backend: TestBackend;
    const created: string[] = [];
    const fresh = () => {
      const schema = schemaName();
      created.push(schema);
      return schema;
    };
    // Migrates to an earlier version (a schema as that version of the package left it).
    const upTo = (version: number, schema: string) =>
      runMigrations(
        { pool: backend.ownerPool, schema, appRole: 'agentry_test_app' },
        MIGRATIONS.filter((migration) => migration.version <= version),
      );
    const tables = async (schema: string) =>
      (
        await backend.ownerPool.query(
          `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind = 'r' order by 1`,
          [schema],
        )
      ).rows.map((row) => row.relname);

    beforeAll(async () => {
      backend = await entry.create();
    });
    afterAll(async () => {
      for (const schema of created) await backend.ownerPool.query(`drop schema if exists ${schema} cascade`);
      await backend?.close();
    });

    it('migrates an empty schema, reports it, and does nothing the second time', async () => {
      const schema = fresh();
      expect(await migrationStatus({ pool: backend.ownerPool, schema })).toMatchObject({
        current: 0,
        latest: LATEST,
        applied: [],
        pending: LISTED,
      });
      const first = await migrate({ pool: backend.ownerPool, schema });
      expect(first).toMatchObject({
        schema,
        current: LATEST,
        ran: LISTED,
      });
      expect(await tables(schema)).toEqual(ALL_TABLES);
      expect(await migrate({ pool: backend.ownerPool, schema })).toEqual({ schema, ran: [], current: LATEST });
      const status = await migrationStatus({ pool: backend.ownerPool, schema });
      expect(status).toMatchObject({
        current: LATEST,
        pending: [],
        applied: LISTED.map(({ version }) => ({ version })),
      });
      expect(Date.parse(status.applied[0]?.appliedAt ?? '')).toBeGreaterThan(0);
    });

    it('rolls back to an empty schema, migrates again, and the store works on the result', async () => {
      const schema = fresh();
      await migrate({ pool: backend.ownerPool, schema, appRole: 'agentry_test_app' });
      const rolledBack = await rollback({ pool: backend.ownerPool, schema, to: 0 });
      expect(rolledBack).toMatchObject({ current: 0, ran: LISTED.map(({ version }) => ({ version })).reverse() });
      expect(await tables(schema)).toEqual(['migrations']);
      const functions = await backend.ownerPool.query(
        `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1`,
        [schema],
      );
      expect(functions.rows).toEqual([]);
      expect(await rollback({ pool: backend.ownerPool, schema })).toEqual({ schema, ran: [], current: 0 });

      await migrate({ pool: backend.ownerPool, schema, appRole: 'agentry_test_app' });
      const store = createPostgresStore({ pool: backend.appPool, schema });
      await store.save(historyRecord('after-rollback', 'acme'));
      expect((await store.get('acme', 'after-rollback'))?.id).toBe('after-rollback');
    });

    it('rolls migration 7 back alone: the batch functions go, the single ones stay; up again brings them back', async () => {
      const schema = fresh();
      const functions = async () =>
        (
          await backend.ownerPool.query(
            `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = $1 and p.proname in ('acquire_lease', 'acquire_leases', 'finish_execution', 'finish_executions')
              order by 1`,
            [schema],
          )
        ).rows.map((row) => row.proname);
      await migrate({ pool: backend.ownerPool, schema, appRole: 'agentry_test_app' });
      expect(await functions()).toEqual(['acquire_lease', 'acquire_leases', 'finish_execution', 'finish_executions']);
      await rollback({ pool: backend.ownerPool, schema, to: 7 });
      expect(await rollback({ pool: backend.ownerPool, schema, to: 6 })).toMatchObject({
        current: 6,
        ran: [{ version: 7, name: 'batched-runs' }],
      });
      expect(await functions()).toEqual(['acquire_lease', 'finish_execution']);
      await migrate({ pool: backend.ownerPool, schema, appRole: 'agentry_test_app' });
      expect(await functions()).toEqual(['acquire_lease', 'acquire_leases', 'finish_execution', 'finish_executions']);
      // Usable by the app role: a batch of two leases, each answered.
      const { rows } = await backend.appPool.query(`select idx, answer from ${schema}.acquire_leases($1::json)`, [
        JSON.stringify(
          ['exe_1', 'exe_2'].map((execution) => ({
            tenant: 'acme',
            execution,
            lease: `lease_${execution}`,
            now: '1',
            expires: '100',
            limit: '5',
            budgets: [],
            run: {},
          })),
        ),
      ]);
      expect(rows).toEqual([
        { idx: 0, answer: 'ok' },
        { idx: 1, answer: 'ok' },
      ]);
    });

    it('rolls migration 8 back alone: events sent as strings are stored as JSON, and a NUL is refused again without it', async () => {
      const schema = fresh();
      await upTo(8, schema);
      const append = (id: number, event: string) =>
        backend.appPool.query(`select ${schema}.append_events($1, $2, $3, $4::json, $5, $6) as refused`, [
          'acme',
          'exe_1',
          1,
          `[{"idx":0,"first_id":${id},"last_id":${id},"entries":[{"id":${id},"event":${event}}]}]`,
          'events',
          'acme:exe_1',
        ]);
      const stored = async () =>
        (
          await backend.ownerPool.query(`select id, event::text as event from ${schema}.execution_events order by id`)
        ).rows.map((row) => [Number(row.id), row.event]);
      const withNul = '{"delta":"a\\u0000 \\ud800"}';
      // As version 8 sends it (a string of the event's JSON), and as version 7 did (the JSON itself).
      await append(1, JSON.stringify(withNul));
      await append(2, '{"delta":"plain"}');
      expect(await stored()).toEqual([
        [1, withNul],
        [2, '{"delta":"plain"}'],
      ]);
      expect(await rollback({ pool: backend.ownerPool, schema, to: 7 })).toMatchObject({
        current: 7,
        ran: [{ version: 8, name: 'json-as-text' }],
      });
      const jsonText = await backend.ownerPool.query(
        `select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1 and p.proname = 'json_text'`,
        [schema],
      );
      expect(jsonText.rows).toEqual([]);
      // Version 7's functions, as they were (none calls json_text): a NUL in an event is refused, a
      // string is stored as a string; the batches run; what was stored still reads.
      await expect(append(3, withNul)).rejects.toThrow(/unsupported Unicode escape sequence/);
      await append(3, JSON.stringify('{"delta":"b"}'));
      expect(await stored()).toEqual([
        [1, withNul],
        [2, '{"delta":"plain"}'],
        [3, JSON.stringify('{"delta":"b"}')],
      ]);
      const acquired = await backend.appPool.query(`select idx, answer from ${schema}.acquire_leases($1::json)`, [
        JSON.stringify([
          {
            tenant: 'acme',
            execution: 'exe_2',
            lease: 'l2',
            now: '1',
            expires: '100',
            limit: '5',
            budgets: [],
            run: {},
          },
        ]),
      ]);
      expect(acquired.rows).toEqual([{ idx: 0, answer: 'ok' }]);
      const finished = await backend.appPool.query(`select idx from ${schema}.finish_executions($1::json)`, [
        JSON.stringify([
          {
            tenant: 'acme',
            id: 'exe_2',
            agent: 'echo',
            status: 'succeeded',
            started: '2026-12-03T09:00:00Z',
            finished: '2026-12-03T09:00:01Z',
            record: { id: 'exe_2' },
            lease: 'l2',
            spend: [],
            at: '2',
            calls: [],
            channel: 'events',
            key: 'acme:exe_2',
          },
        ]),
      ]);
      expect(finished.rows).toEqual([{ idx: 0 }]);
      await upTo(8, schema);
      await append(4, JSON.stringify(withNul));
      expect((await stored()).at(-1)).toEqual([4, withNul]);
    });

    it('migration 9 moves event logs into one row per append and back on rollback, NUL intact', async () => {
      const schema = fresh();
      await upTo(8, schema);
      const withNul = '{"delta":"a\\u0000 \\ud800"}';
      // Version 8's calls: one row per event.
      const appendV8 = (execution: string, id: number, event: string) =>
        backend.appPool.query(`select ${schema}.append_events($1, $2, $3, $4::json, $5, $6) as refused`, [
          'acme',
          execution,
          1,
          `[{"idx":0,"first_id":${id},"last_id":${id},"entries":[{"id":${id},"event":${JSON.stringify(event)}}]}]`,
          'events',
          'key',
        ]);
      await appendV8('exe_1', 1, withNul);
      await appendV8('exe_1', 2, '{"delta":"plain"}');
      await appendV8('exe_2', 1, '{"delta":"other"}');
      const v8Rows = async () =>
        (
          await backend.ownerPool.query(
            `select execution_id, id, event::text as event from ${schema}.execution_events order by execution_id, id`,
          )
        ).rows.map((row) => [row.execution_id, Number(row.id), row.event]);
      const before = await v8Rows();
      expect(before).toHaveLength(3);
      const batches = async () =>
        (
          await backend.ownerPool.query(
            `select b.execution_id, b.last_id, i.id, x.event::text as event
               from ${schema}.execution_event_batches b
               cross join lateral unnest(b.ids) with ordinality as i(id, position)
               join lateral json_array_elements(b.events) with ordinality as x(event, position) on x.position = i.position
              order by b.execution_id, b.last_id, i.position`,
          )
        ).rows.map((row) => [row.execution_id, Number(row.last_id), Number(row.id), row.event]);

      await migrate({ pool: backend.ownerPool, schema, appRole: 'agentry_test_app' });
      expect(await v8Rows()).toEqual([]);
      expect(await batches()).toEqual([
        ['exe_1', 2, 1, withNul],
        ['exe_1', 2, 2, '{"delta":"plain"}'],
        ['exe_2', 1, 1, '{"delta":"other"}'],
      ]);
      // Version 9's call (the ids beside the array's text, as a string) and version 8's: one row
      // each; a call that does not follow the stored ids is refused.
      const appendV9 = (id: number, events: string) =>
        backend.appPool.query(`select ${schema}.append_events($1, $2, $3, $4::json, $5, $6) as refused`, [
          'acme',
          'exe_1',
          2,
          `[{"idx":0,"first_id":${id},"last_id":${id + 1},"ids":[${id},${id + 1}],"events":${JSON.stringify(events)}}]`,
          'events',
          'key',
        ]);
      await appendV9(3, `[${withNul},{"delta":"b"}]`);
      await appendV8('exe_1', 5, '{"delta":"c"}');
      const refused = await appendV9(5, '[{"delta":"x"},{"delta":"y"}]');
      const answer = refused.rows[0]?.refused;
      expect(typeof answer === 'string' ? JSON.parse(answer) : answer).toEqual([{ idx: 0, after: 5 }]);
      expect((await batches()).filter(([execution]) => execution === 'exe_1')).toEqual([
        ['exe_1', 2, 1, withNul],
        ['exe_1', 2, 2, '{"delta":"plain"}'],
        ['exe_1', 4, 3, withNul],
        ['exe_1', 4, 4, '{"delta":"b"}'],
        ['exe_1', 5, 5, '{"delta":"c"}'],
      ]);
      const index = async () =>
        (
          await backend.ownerPool.query(
            `select 1 from pg_indexes where schemaname = $1 and indexname = 'leases_expiry'`,
            [schema],
          )
        ).rows.length;
      expect(await index()).toBe(0);
      // acquire_lease's own transaction commits without waiting for the WAL flush; nothing else's.
      const commitAfterAcquire = async (execution: string) => {
        const client = await backend.appPool.connect();
        try {
          await client.query('begin');
          await client.query(`select ${schema}.acquire_lease('acme', $1, 'l', 1, 100, 5, '[]', '{}')`, [execution]);
          const { rows } = await client.query(`select current_setting('synchronous_commit') as setting`);
          await client.query('commit');
          return rows[0]?.setting;
        } finally {
          client.release();
        }
      };
      expect(await commitAfterAcquire('exe_async')).toBe('off');
      expect((await backend.appPool.query(`select current_setting('synchronous_commit') as setting`)).rows).toEqual([
        { setting: 'on' },
      ]);

      expect(await rollback({ pool: backend.ownerPool, schema, to: 8 })).toMatchObject({
        current: 8,
        ran: [{ version: 9, name: 'event-batches' }],
      });
      expect(await index()).toBe(1);
      expect(await v8Rows()).toEqual([
        ['exe_1', 1, withNul],
        ['exe_1', 2, '{"delta":"plain"}'],
        ['exe_1', 3, withNul],
        ['exe_1', 4, '{"delta":"b"}'],
        ['exe_1', 5, '{"delta":"c"}'],
        ['exe_2', 1, '{"delta":"other"}'],
      ]);
      const table = await backend.ownerPool.query('select to_regclass($1) as found', [
        `${schema}.execution_event_batches`,
      ]);
      expect(table.rows).toEqual([{ found: null }]);
      expect(await commitAfterAcquire('exe_sync')).toBe('on');
      // Version 8's append_events again: one row per event.
      await appendV8('exe_1', 6, '{"delta":"d"}');
      expect((await v8Rows()).at(-2)).toEqual(['exe_1', 6, '{"delta":"d"}']);
    });

    it('applies nothing of a migration that fails, and rolls nothing back when a down script fails', async () => {
      const schema = fresh();
      const broken: Migration = {
        version: NEXT,
        name: 'broken',
        up: 'create table {{schema}}.half_done (id int); select * from {{schema}}.no_such_table;',
        down: 'select * from {{schema}}.no_such_table;',
      };
      await expect(runMigrations({ pool: backend.ownerPool, schema }, [...MIGRATIONS, broken])).rejects.toThrow(
        new RegExp(`Migration ${NEXT} \\(broken\\) failed; nothing was applied: .*no_such_table`),
      );
      // Not even migration 1, which ran in the same transaction.
      expect((await migrationStatus({ pool: backend.ownerPool, schema })).current).toBe(0);
      expect(await tables(schema)).toEqual([]);

      const harmless: Migration = { ...broken, up: 'create table {{schema}}.extra (id int);' };
      await runMigrations({ pool: backend.ownerPool, schema }, [...MIGRATIONS, harmless]);
      await expect(runRollback({ pool: backend.ownerPool, schema, to: 0 }, [...MIGRATIONS, harmless])).rejects.toThrow(
        new RegExp(`Rolling back migration ${NEXT} \\(broken\\) failed; nothing was rolled back`),
      );
      expect(await tables(schema)).toEqual([...ALL_TABLES, 'extra'].sort());
      // A schema migrated by a newer version is refused, not half-understood.
      await expect(migrate({ pool: backend.ownerPool, schema })).rejects.toThrow(
        new RegExp(`has migration ${NEXT} \\(broken\\), which this version of @agentry/postgres does not know`),
      );
    });

    it('refuses bad options with clear errors', async () => {
      await expect(migrate({ pool: backend.ownerPool, schema: 'x; drop table y' })).rejects.toThrow(
        /schema must be a PostgreSQL name/,
      );
      await expect(rollback({ pool: backend.ownerPool, schema: fresh(), to: -1 })).rejects.toThrow(
        /to must be a version/,
      );
      await expect(migrate({ pool: backend.ownerPool, schema: fresh(), appRole: 'no_such_role_x' })).rejects.toThrow(
        /The app role "no_such_role_x" does not exist\. Create it first/,
      );
    });
  });
}

describe.skipIf(!server.available)('migrations on the server, from several instances at once', () => {
  let backend: TestBackend;
  const schema = schemaName();
  beforeAll(async () => {
    backend = await createServerBackend();
  });
  afterAll(async () => {
    await backend.ownerPool.query(`drop schema if exists ${schema} cascade`);
    await backend?.close();
  });

  it('applies each migration once when four instances migrate together (the advisory lock)', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate({ pool: backend.ownerPool, schema })));
    expect(results.map((result) => result.ran.length).sort()).toEqual([0, 0, 0, MIGRATIONS.length]);
    expect((await migrationStatus({ pool: backend.ownerPool, schema })).applied).toHaveLength(MIGRATIONS.length);
  });
});
