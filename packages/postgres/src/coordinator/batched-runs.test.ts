import {
  type Coordinator,
  createExecutor,
  defineAgent,
  type ExecutionEvent,
  type ExecutionResult,
  mockProvider,
} from '@agentry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type TestBackend, testBackends } from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { gatedProvider, recordingPool } from './linked-runs.test-support';
import { createPostgresCoordinator } from './postgres-coordinator';

// Group batching of the hot statements: runs of one instance that arrive while its statements
// are in flight share one `acquire_leases` / `finish_executions`, and each still gets exactly
// its own outcome: its lease or its refusal, its record and events, its cancel, its error.

const { backends } = await testBackends();

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
  mock: ({ text }) => `echo: ${text}`,
});

const startedAt = new Date().toISOString();
type Succeeded = Extract<ExecutionResult, { status: 'succeeded' }>;

/** What the executor hands `acquire` for a mock run of `echo`. */
const runOf = (tenantId: string, executionId: string) => ({
  executionId,
  tenantId,
  agentId: 'echo',
  mode: 'mock' as const,
  requestedMode: 'mock' as const,
  provider: 'mock',
  model: 'mock',
  input: {},
  startedAt,
});

/** A succeeded record of that run. */
const recordOf = (tenantId: string, executionId: string, output: string, started = startedAt) =>
  ({
    id: executionId,
    agentId: 'echo',
    tenantId,
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output,
    metrics: { durationMs: 1 },
    startedAt: started,
    finishedAt: startedAt,
  }) as unknown as Succeeded;

const count = (statements: string[], name: string) => statements.filter((statement) => statement === name).length;
const types = (entries: { event: ExecutionEvent }[] | undefined) => entries?.map((entry) => entry.event.type);

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`batched runs on ${entry.name}`, () => {
    let backend: TestBackend;
    const closing: Coordinator[] = [];
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(async () => {
      for (const coordinator of closing) await coordinator.close?.();
      await backend?.close();
    });

    async function setup(options: { batchesInFlight?: number; pollIntervalMs?: number; concurrency?: number } = {}) {
      const schema = await backend.freshSchema('batch');
      const recording = recordingPool(backend.appPool);
      // As deployed, with LISTEN on its own connection (a no-op here: nothing arrives through it).
      const listen = async () => async () => undefined;
      const coordinator = createPostgresCoordinator({
        pool: recording.pool,
        schema,
        pollIntervalMs: options.pollIntervalMs ?? 0,
        listen,
        ...(options.batchesInFlight === undefined ? {} : { batchesInFlight: options.batchesInFlight }),
      });
      const store = createPostgresStore({ pool: recording.pool, schema, coordinator });
      await store.ready();
      // Another instance on the same schema.
      const other = createPostgresCoordinator({ pool: backend.appPool, schema, pollIntervalMs: 0 });
      closing.push(coordinator, other);
      const gated = gatedProvider();
      const executor = createExecutor({
        agents: [echo, defineAgent({ ...echo, id: 'gated', model: { provider: 'gated', model: 'gated-1' } })],
        providers: { mock: mockProvider(), gated: gated.provider },
        store,
        coordinator,
        limits: { concurrencyPerTenant: options.concurrency ?? 100 },
      });
      return { recording, coordinator, store, other, executor, gated };
    }

    it.each([1, 2])(
      'concurrent runs share statements (%i in flight), each keeping its own record and events',
      async (batchesInFlight) => {
        const { recording, store, other, executor } = await setup({ batchesInFlight });
        const run = (tenantId: string) =>
          executor.execute({ agentId: 'echo', input: { text: tenantId }, mode: 'mock', tenant: { tenantId } });
        // The first run pays for the startup check and the first sweep.
        expect((await run('tenant_a')).status).toBe('succeeded');
        recording.statements.length = 0;

        const runs = 24;
        const results = await Promise.all(
          Array.from({ length: runs }, (_, index) => run(['tenant_c', 'tenant_a', 'tenant_b'][index % 3] as string)),
        );
        expect(results.map((result) => result.status)).toEqual(results.map(() => 'succeeded'));
        const { statements } = recording;
        expect(count(statements, 'acquire_leases')).toBeGreaterThan(0);
        expect(count(statements, 'finish_executions')).toBeGreaterThan(0);
        expect(count(statements, 'acquire_lease') + count(statements, 'acquire_leases')).toBeLessThan(runs);
        expect(count(statements, 'finish_execution') + count(statements, 'finish_executions')).toBeLessThan(runs);
        // Nothing else on the hot path.
        expect(statements.filter((statement) => !/^(acquire_lease|finish_execution)s?$/.test(statement))).toEqual([]);
        expect(statements.length).toBeLessThan(2 * runs);

        for (const result of results) {
          expect(await store.get(result.tenantId, result.id)).toEqual(JSON.parse(JSON.stringify(result)));
          const log = await other.readEvents(result.tenantId, result.id, 0);
          expect(log?.map((logged) => logged.id)).toEqual(log?.map((_, index) => index + 1));
          expect(types(log)?.[0]).toBe('execution-start');
          const final = log?.at(-1)?.event;
          expect(final?.type === 'execution-finish' ? final.result : undefined).toEqual(
            JSON.parse(JSON.stringify(result)),
          );
        }
        // Every lease went with its record.
        for (const result of results) expect(await other.requestCancel(result.tenantId, result.id)).toBe(false);
      },
    );

    it('a batch grants leases in arrival order within each tenant, up to each limit', async () => {
      // One statement in flight: the first call alone, the nine others in one batch behind it.
      const { recording, coordinator, other } = await setup({ batchesInFlight: 1 });
      recording.statements.length = 0;
      const calls = Array.from({ length: 10 }, (_, index) => ({
        tenantId: index % 2 === 0 ? 'tenant_a' : 'tenant_b',
        executionId: `exe_${index}`,
      }));
      const outcomes = await Promise.allSettled(
        calls.map(({ tenantId, executionId }) =>
          coordinator.acquire({ run: runOf(tenantId, executionId), limit: 2, budgets: [] }),
        ),
      );
      expect(recording.statements).toEqual(['acquire_lease', 'acquire_leases']);
      const granted = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [`exe_${index}`] : []));
      expect(granted).toEqual(['exe_0', 'exe_1', 'exe_2', 'exe_3']);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'limit_exceeded' });
      }
      // The leases are in the database, for another instance: exactly the granted ones.
      for (const { tenantId, executionId } of calls) {
        expect(await other.requestCancel(tenantId, executionId)).toBe(granted.includes(executionId));
      }
      // Released, each frees its own slot.
      for (const outcome of outcomes) if (outcome.status === 'fulfilled') await coordinator.release(outcome.value);
      await expect(
        coordinator.acquire({ run: runOf('tenant_a', 'exe_4'), limit: 1, budgets: [] }),
      ).resolves.toMatchObject({ executionId: 'exe_4' });
    });

    it('a batched run is cancelled through another instance; the others in its batch finish', async () => {
      const { recording, other, executor, gated, store } = await setup({ pollIntervalMs: 20 });
      await executor.execute({ agentId: 'echo', input: { text: 'warm' }, mode: 'mock', tenant: { tenantId: 't' } });
      recording.statements.length = 0;
      const streams = Array.from({ length: 6 }, () => {
        const received: ExecutionEvent[] = [];
        const done = (async () => {
          for await (const event of executor.stream({
            agentId: 'gated',
            input: { text: 'hi' },
            mode: 'live',
            tenant: { tenantId: 'tenant_a' },
          })) {
            received.push(event);
          }
        })();
        return { received, done };
      });
      await expect
        .poll(() => streams.every(({ received }) => received.some((event) => event.type === 'output-delta')))
        .toBe(true);
      // The first went alone, the five after it together (one statement in flight, the default).
      // The cancel poll (every 20 ms here) may come between them when the first acquire is slow.
      expect(recording.statements.filter((statement) => statement !== 'cancel_flags').slice(0, 2)).toEqual([
        'acquire_lease',
        'acquire_leases',
      ]);
      const ids = streams.map(({ received }) => received[0]?.executionId ?? '');
      const cancelled = ids.filter((_, index) => index % 2 === 1);
      for (const id of cancelled) expect(await other.requestCancel('tenant_a', id)).toBe(true);
      // Seen by the poll; each cancelled run ends on its own, the others stay open at the gate.
      for (const index of [1, 3, 5]) await streams[index]?.done;
      gated.open();
      await Promise.all(streams.map(({ done }) => done));
      for (const [index, id] of ids.entries()) {
        const record = await store.get('tenant_a', id);
        expect(record?.status).toBe(index % 2 === 1 ? 'cancelled' : 'succeeded');
        if (index % 2 === 1) expect(record?.output).toBe('one ');
      }
    });

    it('one bad run in a batched finish fails alone: every other record and log is saved', async () => {
      // Two in flight: the first two alone, the three others in one batch.
      const { recording, coordinator, store, other } = await setup({ batchesInFlight: 2 });
      const ids = ['exe_1', 'exe_2', 'exe_3', 'exe_bad', 'exe_5'];
      const leases = [];
      for (const id of ids) {
        leases.push(await coordinator.acquire({ run: runOf('tenant_a', id), limit: 10, budgets: [] }));
        await coordinator.appendEvents('tenant_a', id, [
          { id: 1, event: { type: 'output-delta', executionId: id, delta: id } },
        ]);
      }
      recording.statements.length = 0;
      // A start time PostgreSQL refuses: the batch it rides in is rolled back as a whole.
      const records = ids.map((id) => recordOf('tenant_a', id, id, id === 'exe_bad' ? 'not a time' : startedAt));
      const saved = await Promise.allSettled(records.map((record) => store.save(record)));
      // Two alone, then the three others in one statement, rolled back, then each alone.
      expect(recording.statements).toEqual([
        'finish_execution',
        'finish_execution',
        'finish_executions',
        'finish_execution',
        'finish_execution',
        'finish_execution',
      ]);
      expect(saved.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(saved[3]).toMatchObject({
        status: 'rejected',
        reason: { code: 'internal', message: expect.stringMatching(/not a time/) },
      });
      for (const record of records) {
        if (record.id === 'exe_bad') continue;
        expect(await store.get('tenant_a', record.id)).toEqual(record);
        expect(await other.readEvents('tenant_a', record.id, 0)).toEqual([
          { id: 1, event: { type: 'output-delta', executionId: record.id, delta: record.id } },
          { id: 2, event: { type: 'execution-finish', executionId: record.id, result: record } },
        ]);
      }
      // The bad run's record is not saved, its lease still held and its events still buffered:
      // its release writes them and frees the slot, as for any finish that fails.
      expect(await store.get('tenant_a', 'exe_bad')).toBeUndefined();
      for (const lease of leases) await coordinator.release(lease);
      expect(types(await other.readEvents('tenant_a', 'exe_bad', 0))).toEqual(['output-delta']);
      expect(await other.requestCancel('tenant_a', 'exe_bad')).toBe(false);
    });

    it('a batched finish keeps each record byte for byte (escapes, non-ASCII, key order)', async () => {
      const { recording, coordinator, store } = await setup();
      const ids = ['exe_1', 'exe_2', 'exe_3'];
      for (const id of ids) await coordinator.acquire({ run: runOf('tenant_a', id), limit: 10, budgets: [] });
      recording.statements.length = 0;
      const records = ids.map((id) => ({
        zeta: 'first key',
        ...recordOf('tenant_a', id, `${id}: "quoted" \\ \n é ✓ 🙂`),
      }));
      await Promise.all(records.map((record) => store.save(record)));
      expect(recording.statements).toEqual(['finish_execution', 'finish_executions']);
      for (const record of records) {
        const stored = await store.get('tenant_a', record.id);
        expect(stored).toEqual(record);
        expect(Object.keys(stored ?? {})).toEqual(Object.keys(record));
      }
    });

    it('one bad call in a batched acquire is refused alone', async () => {
      const { recording, coordinator } = await setup({ batchesInFlight: 2 });
      recording.statements.length = 0;
      // A limit PostgreSQL cannot read as an integer.
      const limits = [5, 5, 5, 1.5, 5];
      const outcomes = await Promise.allSettled(
        limits.map((limit, index) =>
          coordinator.acquire({ run: runOf('tenant_a', `exe_${index}`), limit, budgets: [] }),
        ),
      );
      expect(recording.statements).toEqual([
        'acquire_lease',
        'acquire_lease',
        'acquire_leases',
        'acquire_lease',
        'acquire_lease',
        'acquire_lease',
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: { code: 'internal' } });
    });
  });
}
