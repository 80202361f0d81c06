import {
  type Coordinator,
  createExecutor,
  createMemoryCoordinator,
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

// The store linked to the coordinator: a run's end (buffered events, record, final event, lease
// release and settlement) in one statement, so a run costs two round trips; and what must still
// hold with events buffered on the running instance.

const { backends } = await testBackends();

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
  mock: ({ text }) => `echo: ${text}`,
});

const types = (entries: { event: ExecutionEvent }[] | undefined) => entries?.map((entry) => entry.event.type);

type Succeeded = Extract<ExecutionResult, { status: 'succeeded' }>;
const startedAt = new Date().toISOString();

/** What the executor hands `acquire` for a mock run of `echo`. */
const runOf = (executionId: string) => ({
  executionId,
  tenantId: 'tenant_a',
  agentId: 'echo',
  mode: 'mock' as const,
  requestedMode: 'mock' as const,
  provider: 'mock',
  model: 'mock',
  input: {},
  startedAt,
});

/** A succeeded record of that run. */
const recordOf = (executionId: string, output: string) =>
  ({
    id: executionId,
    agentId: 'echo',
    tenantId: 'tenant_a',
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output,
    metrics: { durationMs: 1 },
    startedAt,
    finishedAt: startedAt,
  }) as unknown as Succeeded;

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`the store linked to the coordinator on ${entry.name}`, () => {
    let backend: TestBackend;
    const closing: Coordinator[] = [];
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(async () => {
      for (const coordinator of closing) await coordinator.close?.();
      await backend?.close();
    });

    async function setup(options: { concurrency?: number; budgetTokens?: number } = {}) {
      const schema = await backend.freshSchema('finish');
      const recording = recordingPool(backend.appPool);
      // As deployed, with LISTEN: on its own connection, so no statement per run (none arrives here).
      const listen = async () => async () => undefined;
      const coordinator = createPostgresCoordinator({ pool: recording.pool, schema, pollIntervalMs: 0, listen });
      const store = createPostgresStore({ pool: recording.pool, schema, coordinator });
      await store.ready();
      // Another instance on the same schema, reading what this one wrote.
      const other = createPostgresCoordinator({ pool: backend.appPool, schema, pollIntervalMs: 0 });
      closing.push(coordinator, other);
      const gated = gatedProvider();
      const executor = createExecutor({
        agents: [echo, defineAgent({ ...echo, id: 'gated', model: { provider: 'gated', model: 'gated-1' } })],
        providers: { mock: mockProvider(), gated: gated.provider },
        store,
        coordinator,
        limits: {
          concurrencyPerTenant: options.concurrency ?? 10,
          budgets:
            options.budgetTokens === undefined
              ? []
              : [{ window: 'day', maxTokens: options.budgetTokens, modes: ['mock', 'live'] }],
        },
      });
      return { schema, recording, coordinator, store, other, executor, gated };
    }

    const run = (executor: ReturnType<typeof createExecutor>) =>
      executor.execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'mock', tenant: { tenantId: 'tenant_a' } });
    /** A first run pays for the store's startup check and the first sweep of expired leases. */
    async function warmUp(executor: ReturnType<typeof createExecutor>, statements: string[]) {
      expect((await run(executor)).status).toBe('succeeded');
      statements.length = 0;
    }

    it('a mock run costs two statements: acquire_lease, then finish_execution with its events and record', async () => {
      const { recording, store, other, executor } = await setup({ concurrency: 1 });
      await warmUp(executor, recording.statements);
      const result = await run(executor);
      expect(result.status).toBe('succeeded');
      expect(recording.statements).toEqual(['acquire_lease', 'finish_execution']);
      expect(await store.get('tenant_a', result.id)).toEqual(JSON.parse(JSON.stringify(result)));
      // Every event, once, in order, the final one carrying the record.
      const log = await other.readEvents('tenant_a', result.id, 0);
      expect(log?.map((logged) => logged.id)).toEqual(log?.map((_, index) => index + 1));
      expect(types(log)?.[0]).toBe('execution-start');
      const final = log?.at(-1)?.event;
      expect(final?.type).toBe('execution-finish');
      expect(final?.type === 'execution-finish' ? final.result : undefined).toEqual(JSON.parse(JSON.stringify(result)));
      // The lease went with the record: a limit of 1 lets the next run in.
      expect((await run(executor)).status).toBe('succeeded');
    });

    it("settles the run's spend with its record: a budget spent by one run refuses the next", async () => {
      const { executor } = await setup({ budgetTokens: 1 });
      const first = await run(executor);
      expect(first.metrics.inputTokens ?? 0).toBeGreaterThan(0);
      await expect(run(executor)).rejects.toMatchObject({ code: 'budget_exceeded' });
    });

    it('writes a long run’s events on the flush timer, for a reader on another instance, before it ends', async () => {
      const { executor, other, gated, store } = await setup();
      const received: ExecutionEvent[] = [];
      const streaming = (async () => {
        for await (const event of executor.stream({
          agentId: 'gated',
          input: { text: 'hi' },
          mode: 'live',
          tenant: { tenantId: 'tenant_a' },
        })) {
          received.push(event);
        }
      })();
      await expect.poll(() => received.some((event) => event.type === 'output-delta')).toBe(true);
      const executionId = received[0]?.executionId ?? '';
      // Still running (at the gate), and the other instance reads the start and the first delta.
      await expect
        .poll(async () => types(await other.readEvents('tenant_a', executionId, 0)), { timeout: 10_000 })
        .toEqual(['execution-start', 'output-delta']);
      expect(await store.get('tenant_a', executionId)).toBeUndefined();
      gated.open();
      await streaming;
      const log = await other.readEvents('tenant_a', executionId, 0);
      expect(log?.map((logged) => logged.event)).toEqual(JSON.parse(JSON.stringify(received)));
      expect(log?.map((logged) => logged.id)).toEqual(received.map((_, index) => index + 1));
    });

    it('the executor’s own final event is not written again; a different one replaces the stored one', async () => {
      const { coordinator, store, other, recording } = await setup();
      recording.statements.length = 0;
      const lease = await coordinator.acquire({ run: runOf('exe_1'), limit: 5, budgets: [] });
      await coordinator.appendEvents('tenant_a', 'exe_1', [
        { id: 1, event: { type: 'output-delta', executionId: 'exe_1', delta: 'a' } },
      ]);
      const record = recordOf('exe_1', 'a');
      await store.save(record);
      expect((await other.readEvents('tenant_a', 'exe_1', 1))?.[0]).toEqual({
        id: 2,
        event: { type: 'execution-finish', executionId: 'exe_1', result: record },
      });
      const before = recording.statements.length;
      // As the executor sends it: the same record.
      await coordinator.appendEvents('tenant_a', 'exe_1', [
        { id: 2, event: { type: 'execution-finish', executionId: 'exe_1', result: record } },
      ]);
      expect(recording.statements.length).toBe(before);
      await coordinator.release(lease);
      expect(recording.statements.length).toBe(before);

      // Another run whose final event is not the one its record makes.
      const second = await coordinator.acquire({ run: runOf('exe_2'), limit: 5, budgets: [] });
      await store.save(recordOf('exe_2', 'a'));
      const changed = recordOf('exe_2', 'changed after the save');
      await coordinator.appendEvents('tenant_a', 'exe_2', [
        { id: 1, event: { type: 'execution-finish', executionId: 'exe_2', result: changed } },
      ]);
      await coordinator.release(second);
      expect(await other.readEvents('tenant_a', 'exe_2', 0)).toEqual([
        { id: 1, event: { type: 'execution-finish', executionId: 'exe_2', result: changed } },
      ]);
    });

    it('a log that holds its final event before the save gets no second one', async () => {
      const { coordinator, store, other } = await setup();
      const lease = await coordinator.acquire({ run: runOf('exe_early'), limit: 5, budgets: [] });
      const record = recordOf('exe_early', 'a');
      await coordinator.appendEvents('tenant_a', 'exe_early', [
        { id: 1, event: { type: 'execution-finish', executionId: 'exe_early', result: record } },
      ]);
      await store.save(record);
      await coordinator.release(lease);
      expect(types(await other.readEvents('tenant_a', 'exe_early', 0))).toEqual(['execution-finish']);
      expect(await store.get('tenant_a', 'exe_early')).toEqual(record);
    });

    it('a finish that fails keeps the events: the release writes them, and frees the slot', async () => {
      const { executor, other, recording, store } = await setup({ concurrency: 1 });
      await warmUp(executor, recording.statements);
      recording.failNext('finish_execution');
      const result = await run(executor);
      expect(recording.statements).toEqual(['acquire_lease', 'finish_execution', 'append_events', 'release_lease']);
      // Nothing of the record was written; every event, the final one included, was.
      expect(await store.get('tenant_a', result.id)).toBeUndefined();
      const log = await other.readEvents('tenant_a', result.id, 0);
      expect(log?.map((logged) => logged.id)).toEqual(log?.map((_, index) => index + 1));
      expect(types(log)?.at(0)).toBe('execution-start');
      expect(types(log)?.at(-1)).toMatch(/^execution-(finish|error)$/);
      expect((await run(executor)).status).toBe('succeeded');
    });

    it('events written once already (the answer lost) are not lost from the finish: the rest goes with the release', async () => {
      const { coordinator, store, other, recording } = await setup();
      const lease = await coordinator.acquire({ run: runOf('exe_lost'), limit: 5, budgets: [] });
      const delta = (id: number, text: string) => ({
        id,
        event: { type: 'output-delta' as const, executionId: 'exe_lost', delta: text },
      });
      await coordinator.appendEvents('tenant_a', 'exe_lost', [delta(1, 'a')]);
      // A reader here flushes the held event; it is committed, but the answer is lost, so it
      // stays held and goes out again with the finish, behind the next one.
      recording.loseNextAnswer('append_events');
      expect((await coordinator.readEvents('tenant_a', 'exe_lost', 0))?.map((logged) => logged.id)).toEqual([1]);
      await coordinator.appendEvents('tenant_a', 'exe_lost', [delta(2, 'b')]);
      const record = recordOf('exe_lost', 'ab');
      await store.save(record);
      const final = { type: 'execution-finish' as const, executionId: 'exe_lost', result: record };
      await coordinator.appendEvents('tenant_a', 'exe_lost', [{ id: 3, event: final }]);
      await coordinator.release(lease);
      expect(await other.readEvents('tenant_a', 'exe_lost', 0)).toEqual([
        delta(1, 'a'),
        delta(2, 'b'),
        { id: 3, event: final },
      ]);
      expect(await store.get('tenant_a', 'exe_lost')).toEqual(record);
    });

    it('refuses a coordinator that cannot be linked, with what to do', async () => {
      const schema = await backend.freshSchema('link');
      expect(() =>
        createPostgresStore({ pool: backend.appPool, schema, coordinator: createMemoryCoordinator() }),
      ).toThrow(/coordinator must come from createPostgresCoordinator/);
      const coordinator = createPostgresCoordinator({ pool: backend.appPool, schema, pollIntervalMs: 0 });
      closing.push(coordinator);
      expect(() => createPostgresStore({ pool: backend.appPool, schema: 'agentry', coordinator })).toThrow(
        `the coordinator uses the schema "${schema}" and the store "agentry"`,
      );
    });
  });
}
