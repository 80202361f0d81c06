import type { Coordinator, ExecutionResult, Lease, RunningExecution } from '@agentry/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresPool } from '../pool';
import {
  createServerBackend,
  probeServer,
  TEST_APP_ROLE,
  TEST_DATABASE,
  type TestBackend,
  urlFor,
} from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { createPostgresCoordinator } from './postgres-coordinator';
import { createPostgresListener, type PostgresListener } from './postgres-listener';

// Cancel from anywhere through LISTEN/NOTIFY on the real server: two coordinators (two
// instances) on one schema, the poll and the lease renewal set to an hour so that NOTIFY is the
// only way a cancel can arrive. A broken NOTIFY path makes these tests time out, not pass.

const server = await probeServer();
const HOUR = 3_600_000;

function running(executionId: string, tenantId = 'tenant_a'): RunningExecution {
  return {
    executionId,
    tenantId,
    agentId: 'agent',
    mode: 'mock',
    requestedMode: 'mock',
    provider: 'mock',
    model: 'mock-1',
    input: {},
    startedAt: new Date().toISOString(),
  };
}

/** Polls `condition` every 20 ms until it holds; the test's own timeout is the deadline. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

function cancelled(coordinator: Coordinator, lease: Lease): Promise<void> {
  return new Promise((resolve) => {
    coordinator.onCancelRequested(lease, resolve);
  });
}

describe.skipIf(!server.available)('createPostgresListener on the PostgreSQL server', () => {
  let backend: TestBackend & { adminPool: pg.Pool };
  let schema: string;
  let listener: PostgresListener;
  let running_: Coordinator;
  let other: Coordinator;
  // While `down`, new LISTEN connections are refused (a database that is away).
  let down = false;
  const applicationName = `agentry_listener_test_${process.pid}`;

  beforeAll(async () => {
    backend = await createServerBackend();
    schema = await backend.freshSchema('listen');
    listener = createPostgresListener({
      createClient: () => {
        if (down) return refusingClient();
        return new pg.Client({
          connectionString: urlFor(TEST_DATABASE, TEST_APP_ROLE),
          application_name: applicationName,
        });
      },
      reconnectDelayMs: 20,
      maxReconnectDelayMs: 100,
    });
    running_ = createPostgresCoordinator({
      pool: backend.appPool,
      schema,
      leaseTtlMs: HOUR,
      pollIntervalMs: HOUR,
      listen: listener.listen,
    });
    other = createPostgresCoordinator({ pool: backend.appPool, schema, leaseTtlMs: HOUR, pollIntervalMs: 0 });
    await listener.ready();
  });

  afterAll(async () => {
    await running_?.close?.();
    await other?.close?.();
    await listener?.close();
    await backend?.close();
  });

  async function terminateListenConnection(): Promise<void> {
    await backend.adminPool.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [applicationName],
    );
    await until(() => !listener.connected);
  }

  it('a cancel requested through another instance stops the run through NOTIFY, without the poll', async () => {
    const lease = await running_.acquire({ run: running('exe_notify'), limit: 5, budgets: [] });
    const stopped = cancelled(running_, lease);
    expect(await other.requestCancel('tenant_a', 'exe_notify')).toBe(true);
    await stopped;
    await running_.release(lease);
  });

  it('listens again after its connection is killed, and the next cancel arrives through NOTIFY', async () => {
    await terminateListenConnection();
    await listener.ready();
    expect(listener.connected).toBe(true);
    const lease = await running_.acquire({ run: running('exe_after_reconnect'), limit: 5, budgets: [] });
    const stopped = cancelled(running_, lease);
    expect(await other.requestCancel('tenant_a', 'exe_after_reconnect')).toBe(true);
    await stopped;
    await running_.release(lease);
  });

  it('a cancel sent while the connection was down is read back when it returns', async () => {
    const lease = await running_.acquire({ run: running('exe_missed'), limit: 5, budgets: [] });
    let heard = false;
    running_.onCancelRequested(lease, () => {
      heard = true;
    });
    down = true;
    await terminateListenConnection();
    // The NOTIFY of this cancel goes nowhere: nobody of this instance listens.
    expect(await other.requestCancel('tenant_a', 'exe_missed')).toBe(true);
    expect(heard).toBe(false);
    down = false;
    await listener.ready();
    await until(() => heard);
    await running_.release(lease);
  });

  it("does not hear another tenant's cancel of an execution with the same id", async () => {
    const lease = await running_.acquire({ run: running('exe_same_id', 'tenant_a'), limit: 5, budgets: [] });
    let heard = false;
    running_.onCancelRequested(lease, () => {
      heard = true;
    });
    expect(await other.requestCancel('tenant_b', 'exe_same_id')).toBe(false);
    // A later NOTIFY on the same channel proves the connection delivered everything before it.
    const probe = await running_.acquire({ run: running('exe_probe'), limit: 5, budgets: [] });
    const probeStopped = cancelled(running_, probe);
    await other.requestCancel('tenant_a', 'exe_probe');
    await probeStopped;
    expect(heard).toBe(false);
    await running_.release(lease);
    await running_.release(probe);
  });

  it('runs that finish in one batch NOTIFY once, and a reader on another instance hears each of them', async () => {
    // A third instance whose store is linked: concurrent saves go out as one finish_executions.
    const finishing = createPostgresCoordinator({ pool: backend.appPool, schema, leaseTtlMs: HOUR, pollIntervalMs: 0 });
    const store = createPostgresStore({ pool: backend.appPool, schema, coordinator: finishing });
    const payloads: string[] = [];
    const raw = await listener.listen(`${schema}_events`, (payload) => payloads.push(payload));
    const ids = ['exe_batch_1', 'exe_batch_2', 'exe_batch_3', 'exe_batch_4', 'exe_batch_5'];
    const leases = [];
    for (const id of ids) leases.push(await finishing.acquire({ run: running(id), limit: 10, budgets: [] }));
    const woke = new Set<string>();
    const unsubscribe = ids.map((id) => running_.onEventsAppended('tenant_a', id, () => woke.add(id)));
    await Promise.all(ids.map((id) => store.save(succeeded(id))));
    await until(() => woke.size === ids.length);
    // The first finish went alone (one key), the four that queued behind it as one batch (one array).
    const keys = payloads.flatMap((payload) =>
      payload.startsWith('[[') ? JSON.parse(payload) : [JSON.parse(payload)],
    );
    expect(keys.map(([, execution]: string[]) => execution).sort()).toEqual(ids);
    expect(payloads.length).toBeLessThan(ids.length);
    for (const id of ids)
      expect((await running_.readEvents('tenant_a', id, 0))?.at(-1)?.event.type).toBe('execution-finish');
    for (const stop of unsubscribe) stop();
    for (const lease of leases) await finishing.release(lease);
    await raw();
    await finishing.close?.();
  });

  it('closes its connection when the last channel is unsubscribed', async () => {
    const own = createPostgresListener({
      createClient: () => new pg.Client({ connectionString: urlFor(TEST_DATABASE, TEST_APP_ROLE) }),
    });
    const heard: string[] = [];
    const unsubscribe = await own.listen(`${schema}_probe`, (payload) => heard.push(payload));
    expect(own.connected).toBe(true);
    await (backend.appPool as PostgresPool).query('select pg_notify($1, $2)', [`${schema}_probe`, 'hello']);
    await until(() => heard.length === 1);
    expect(heard).toEqual(['hello']);
    await unsubscribe();
    expect(own.connected).toBe(false);
    await own.close();
    await expect(own.listen('x', () => undefined)).rejects.toThrow(/closed/);
  });
});

/** A succeeded record of a run of `running(executionId)`. */
function succeeded(executionId: string): ExecutionResult {
  const at = new Date().toISOString();
  return {
    id: executionId,
    agentId: 'agent',
    tenantId: 'tenant_a',
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output: 'done',
    metrics: { durationMs: 1 },
    startedAt: at,
    finishedAt: at,
  } as unknown as ExecutionResult;
}

function refusingClient() {
  return {
    connect: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    query: () => Promise.reject(new Error('not connected')),
    on: () => undefined,
    end: () => Promise.resolve(),
  };
}
