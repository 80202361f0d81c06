import {
  type Coordinator,
  createExecutor,
  defineAgent,
  type ExecutionEvent,
  type ExecutionResult,
  mockProvider,
} from '@agentry/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type TestBackend, testBackends } from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { recordingPool } from './linked-runs.test-support';
import { createPostgresCoordinator } from './postgres-coordinator';

// Strings PostgreSQL's text cannot hold, in runs' records and events: a NUL (U+0000, `\u0000` in
// JSON, which every SQL function that extracts a JSON field as text refuses) and lone surrogates
// (`\ud800`, which JSON.stringify escapes and the same functions refuse). Every path that writes
// them (the linked finish alone and batched, the batched acquire, an unlinked save and append)
// must store them, and every read (this instance, another) must give back the exact strings.

const { backends } = await testBackends();

/** A NUL, every other control character, a lone high and a lone low surrogate, a pair, and JSON's own escapes. */
const HOSTILE = `a\u0000b ${String.fromCharCode(...Array.from({ length: 32 }, (_, code) => code))}\u007f \ud800 \udfff 🙂 "\\ \\u0000 \u2028`;

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
  mock: ({ text }) => `echo: ${text}`,
});

const startedAt = new Date().toISOString();
type Succeeded = Extract<ExecutionResult, { status: 'succeeded' }>;

const runOf = (executionId: string, text: string) => ({
  executionId,
  tenantId: 'tenant_a',
  agentId: 'echo',
  mode: 'mock' as const,
  requestedMode: 'mock' as const,
  provider: 'mock',
  model: 'mock',
  input: { text },
  startedAt,
});

const recordOf = (executionId: string, output: string) =>
  ({
    id: executionId,
    agentId: 'echo',
    tenantId: 'tenant_a',
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: { text: output },
    output,
    metrics: { durationMs: 1 },
    startedAt,
    finishedAt: startedAt,
  }) as unknown as Succeeded;

/** Any UTF-16 string, weighted to what PostgreSQL's text refuses: control characters and lone surrogates. */
const anyString = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x1f }),
      fc.constantFrom(0x22, 0x5c, 0x7f, 0x2028, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffe, 0xffff),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    { maxLength: 40 },
  )
  .map((codes) => String.fromCharCode(...codes));

const delta = (executionId: string, text: string): ExecutionEvent => ({
  type: 'output-delta',
  executionId,
  delta: text,
});
const count = (statements: string[], name: string) => statements.filter((statement) => statement === name).length;
/** What a record is once it has been through JSON (undefined fields dropped). */
const stored = <TValue>(value: TValue): TValue => JSON.parse(JSON.stringify(value));

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`NUL and lone surrogates in runs on ${entry.name}`, () => {
    let backend: TestBackend;
    const closing: Coordinator[] = [];
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(async () => {
      for (const coordinator of closing) await coordinator.close?.();
      await backend?.close();
    });

    async function setup(options: { batchesInFlight?: number } = {}) {
      const schema = await backend.freshSchema('nul');
      const recording = recordingPool(backend.appPool);
      const listen = async () => async () => undefined;
      const coordinator = createPostgresCoordinator({
        pool: recording.pool,
        schema,
        pollIntervalMs: 0,
        listen,
        ...(options.batchesInFlight === undefined ? {} : { batchesInFlight: options.batchesInFlight }),
      });
      const store = createPostgresStore({ pool: recording.pool, schema, coordinator });
      await store.ready();
      // Another instance on the same schema, and a store that is not linked.
      const other = createPostgresCoordinator({ pool: backend.appPool, schema, pollIntervalMs: 0 });
      const unlinked = createPostgresStore({ pool: backend.appPool, schema });
      closing.push(coordinator, other);
      const executor = createExecutor({
        agents: [echo],
        providers: { mock: mockProvider() },
        store,
        coordinator,
        limits: { concurrencyPerTenant: 100 },
      });
      return { schema, recording, coordinator, store, other, unlinked, executor };
    }

    /** The record in the history (get and list, through both stores) and its log on both instances. */
    async function expectStored(
      context: Awaited<ReturnType<typeof setup>>,
      record: ExecutionResult,
      events?: readonly ExecutionEvent[],
    ) {
      const { schema, store, unlinked, coordinator, other } = context;
      const expected = stored(record);
      // In the tables: the JSON text as serialized, an object (never a JSON string of it, which the
      // readers would also decode).
      const { rows: records } = await backend.ownerPool.query(
        `select record::text as record from ${schema}.executions where tenant_id = $1 and id = $2`,
        [record.tenantId, record.id],
      );
      expect(records).toEqual([{ record: JSON.stringify(record) }]);
      const { rows: logged } = await backend.ownerPool.query(
        `select json_typeof(x.event) as type, x.event::text as event
           from ${schema}.execution_event_batches b, json_array_elements(b.events) with ordinality as x(event, position)
          where b.tenant_id = $1 and b.execution_id = $2 order by b.last_id, x.position`,
        [record.tenantId, record.id],
      );
      expect(logged.map((row) => row.type)).toEqual(logged.map(() => 'object'));
      if (events !== undefined)
        expect(logged.map((row) => row.event)).toEqual(events.map((event) => JSON.stringify(event)));
      expect(await store.get(record.tenantId, record.id)).toEqual(expected);
      expect(await unlinked.get(record.tenantId, record.id)).toEqual(expected);
      const { items } = await unlinked.list(record.tenantId, { limit: 100 });
      expect(items.find((item) => item.id === record.id)).toEqual(expected);
      for (const reader of [coordinator, other]) {
        const log = await reader.readEvents(record.tenantId, record.id, 0);
        if (events !== undefined) expect(log?.map((logged) => logged.event)).toEqual(stored(events));
        const final = log?.at(-1)?.event;
        expect(final?.type === 'execution-finish' ? final.result : undefined).toEqual(expected);
      }
    }

    it('a run whose input and answer hold them succeeds in two statements, its record and events intact', async () => {
      const context = await setup();
      const { recording, executor } = context;
      const run = (text: string) =>
        executor.execute({ agentId: 'echo', input: { text }, mode: 'mock', tenant: { tenantId: 'tenant_a' } });
      expect((await run('warm up')).status).toBe('succeeded');
      recording.statements.length = 0;
      const result = await run(HOSTILE);
      expect(result).toMatchObject({ status: 'succeeded', output: `echo: ${HOSTILE}` });
      expect(recording.statements).toEqual(['acquire_lease', 'finish_execution']);
      await expectStored(context, result);

      // Streamed: every event in the log as the client received it.
      const received: ExecutionEvent[] = [];
      for await (const event of executor.stream({
        agentId: 'echo',
        input: { text: HOSTILE },
        mode: 'mock',
        tenant: { tenantId: 'tenant_a' },
      })) {
        received.push(event);
      }
      const streamed = await context.store.get('tenant_a', received[0]?.executionId ?? '');
      expect(streamed?.output).toBe(`echo: ${HOSTILE}`);
      await expectStored(context, streamed as ExecutionResult, received);
    });

    it('concurrent runs that hold them share their statements, and every batch goes through', async () => {
      const context = await setup();
      const { recording, executor } = context;
      const run = (text: string) =>
        executor.execute({ agentId: 'echo', input: { text }, mode: 'mock', tenant: { tenantId: 'tenant_a' } });
      expect((await run('warm up')).status).toBe('succeeded');
      recording.statements.length = 0;
      const runs = 12;
      const results = await Promise.all(Array.from({ length: runs }, (_, index) => run(`${index} ${HOSTILE}`)));
      expect(results.map((result) => result.status)).toEqual(results.map(() => 'succeeded'));
      const { statements } = recording;
      expect(count(statements, 'acquire_leases')).toBeGreaterThan(0);
      expect(count(statements, 'finish_executions')).toBeGreaterThan(0);
      // No batch was refused and sent again run by run.
      expect(count(statements, 'acquire_lease') + count(statements, 'acquire_leases')).toBeLessThan(runs);
      expect(count(statements, 'finish_execution') + count(statements, 'finish_executions')).toBeLessThan(runs);
      for (const result of results) await expectStored(context, result);
    });

    it('a batched finish and a batched acquire carry them: one statement each after the first', async () => {
      const context = await setup();
      const { recording, coordinator, store } = context;
      const ids = ['exe_1', 'exe_2', 'exe_3'];
      recording.statements.length = 0;
      const leases = await Promise.all(
        ids.map((id) => coordinator.acquire({ run: runOf(id, `${id} ${HOSTILE}`), limit: 10, budgets: [] })),
      );
      expect(recording.statements).toEqual(['acquire_lease', 'acquire_leases']);
      // Each lease keeps its run as sent (what the sweep records as interrupted, should it expire).
      const { rows } = await backend.ownerPool.query(`select run from ${context.schema}.leases order by execution_id`);
      expect(rows.map((row) => row.run)).toEqual(ids.map((id) => stored(runOf(id, `${id} ${HOSTILE}`))));
      for (const id of ids) await coordinator.appendEvents('tenant_a', id, [{ id: 1, event: delta(id, HOSTILE) }]);
      recording.statements.length = 0;
      const records = ids.map((id) => recordOf(id, `${id}: ${HOSTILE}`));
      await Promise.all(records.map((record) => store.save(record)));
      expect(recording.statements).toEqual(['finish_execution', 'finish_executions']);
      for (const record of records) {
        await expectStored(context, record, [
          delta(record.id, HOSTILE),
          { type: 'execution-finish', executionId: record.id, result: record },
        ]);
      }
      for (const lease of leases) await coordinator.release(lease);
    });

    it('any string: a run that finishes with it, and a plain append of it, read back exactly (property)', async () => {
      const context = await setup();
      const { coordinator, store, other } = context;
      let counter = 0;
      await fc.assert(
        fc.asyncProperty(anyString, anyString, async (answer, streamed) => {
          counter += 1;
          const id = `exe_p${counter}`;
          const lease = await coordinator.acquire({ run: runOf(id, answer), limit: 10, budgets: [] });
          await coordinator.appendEvents('tenant_a', id, [{ id: 1, event: delta(id, streamed) }]);
          const record = recordOf(id, answer);
          await store.save(record);
          await coordinator.release(lease);
          await expectStored(context, record, [
            delta(id, streamed),
            { type: 'execution-finish', executionId: id, result: record },
          ]);
          await other.appendEvents('tenant_a', `${id}_plain`, [{ id: 1, event: delta(id, streamed) }]);
          expect(await coordinator.readEvents('tenant_a', `${id}_plain`, 0)).toEqual([
            { id: 1, event: delta(id, streamed) },
          ]);
        }),
        { numRuns: 40 },
      );
    });

    it('an unlinked save and a plain append store them, read back the same everywhere', async () => {
      const context = await setup();
      const { unlinked, other } = context;
      const record = recordOf('exe_plain', HOSTILE);
      await unlinked.save(record);
      const events: ExecutionEvent[] = [
        delta('exe_plain', HOSTILE),
        { type: 'execution-finish', executionId: 'exe_plain', result: record },
      ];
      // Not a run of either instance: each append is written by itself.
      for (const [index, event] of events.entries()) {
        await other.appendEvents('tenant_a', 'exe_plain', [{ id: index + 1, event }]);
      }
      await expectStored(context, record, events);
    });
  });
}
