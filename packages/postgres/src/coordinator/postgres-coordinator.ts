import type { Coordinator, Lease, LeaseRequest } from '@agentry/core';
import { checkSchemaName, DEFAULT_SCHEMA } from '../identifiers';
import type { PostgresPool } from '../pool';
import { coordinatorFailure, executionKey } from './coordinator-failure';
import { createEventLog } from './event-log';
import { createAcquireStatement } from './hot-statements';
import {
  acquireLease,
  flagCancel,
  type LeaseDatabase,
  readCancelFlag,
  readCancelFlags,
  reclaimExpiredLeases,
  releaseLease,
  renewLease,
} from './lease-statements';
import { createLocalRuns } from './local-runs';
import type { PostgresListen } from './postgres-listener';
import { createRunFinisher, registerRunFinisher } from './run-finish';

/** Options of {@link createPostgresCoordinator}. */
export interface PostgresCoordinatorOptions {
  /** The application's pool (the role row-level security applies to). */
  pool: PostgresPool;
  /** The schema `migrate()` created. @default 'agentry' */
  schema?: string;
  /** How long a lease lives without renewal. @default 30_000 */
  leaseTtlMs?: number;
  /** The clock of leases, budget windows and log retention, in ms since the epoch. @default Date.now */
  now?: () => number;
  /**
   * LISTEN on one dedicated connection so a cancel (or new events) sent through another instance
   * arrives at once: `createPostgresListener({ createClient: () => new pg.Client(…) }).listen`
   * with `pg`, `(channel, onNotify) => database.listen(channel, onNotify)` with PGlite. Without
   * it, cancels still arrive: the flag is read on every lease renewal and every `pollIntervalMs`.
   */
  listen?: PostgresListen;
  /** How often the cancel flags of this instance's leases are polled (fallback). @default 2_000; 0: never */
  pollIntervalMs?: number;
  /** How long a finished execution's event log stays readable, trimmed by `reclaimExpired`. @default 300_000 */
  eventLogRetentionMs?: number;
  /**
   * With the store linked (`createPostgresStore({ coordinator })`), how long a running
   * execution's events may wait on this instance before they are written for readers on other
   * instances. A run that ends sooner writes them with its record, in one round trip; a reader
   * on this instance gets them at once. @default 25
   */
  eventFlushMs?: number;
  /**
   * Under load, the most runs whose `acquire_lease` (or `finish_execution`) go out together as
   * one statement: while `batchesInFlight` of a kind are in flight, later calls of that kind wait
   * for one to return and then go out as one statement (one round trip, one commit). A call that
   * finds fewer in flight goes out at once, alone, as before. 1: every run alone. @default 64
   */
  batchSize?: number;
  /**
   * How many statements of each kind (acquire, finish) may be in flight before calls are grouped.
   * 1 (one acquire and one finish at a time) gave the lowest CPU per run in the handler bench.
   * @default 1
   */
  batchesInFlight?: number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`createPostgresCoordinator: ${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

/**
 * The {@link Coordinator} on PostgreSQL (or PGlite): leases with expiry, budgets settled in one
 * statement, cancel requests as a flag plus `NOTIFY`, and event logs, shared by every instance
 * on one database. Run `migrate()` first. Link the store to it (`createPostgresStore({ pool,
 * coordinator })`) and a run costs two round trips: its lease, then its end (events, record,
 * release) in one statement. Under load, concurrent runs share those statements (`batchSize`).
 *
 * @example
 * const coordinator = createPostgresCoordinator({ pool, listen: listener.listen });
 * const store = createPostgresStore({ pool, coordinator });
 * const executor = createExecutor({ agents, store, coordinator });
 */
export function createPostgresCoordinator(options: PostgresCoordinatorOptions): Coordinator {
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('createPostgresCoordinator: pool must be a pg-compatible Pool (query and connect).');
  }
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createPostgresCoordinator');
  const leaseTtlMs = positiveInteger(options.leaseTtlMs ?? 30_000, 'leaseTtlMs');
  const eventFlushMs = positiveInteger(options.eventFlushMs ?? 25, 'eventFlushMs');
  const retentionMs = options.eventLogRetentionMs ?? 300_000;
  const now = options.now ?? Date.now;
  const batching = {
    maxBatch: positiveInteger(options.batchSize ?? 64, 'batchSize'),
    maxInFlight: positiveInteger(options.batchesInFlight ?? 1, 'batchesInFlight'),
  };
  const database: LeaseDatabase = {
    pool,
    schema,
    cancelChannel: `${schema}_cancel`,
    acquire: createAcquireStatement(pool, schema, batching),
  };
  const eventsChannel = `${schema}_events`;
  const listening = options.listen !== undefined;

  const runs = createLocalRuns({
    readCancelFlag: (lease) => readCancelFlag(database, lease),
    readCancelFlags: (leases) => readCancelFlags(database, leases),
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
  });
  const events = createEventLog({ pool, schema, eventsChannel, now, flushMs: eventFlushMs });
  const finishing = createRunFinisher({ schema, eventsChannel, now, runs, events, batching });

  const unlisten: Promise<() => Promise<void>>[] = [];
  if (options.listen !== undefined) {
    // After the LISTEN connection came back, cancels and appends sent meanwhile were not heard.
    unlisten.push(options.listen(database.cancelChannel, runs.seen, () => runs.poll().catch(() => undefined)));
    unlisten.push(options.listen(eventsChannel, events.notified, events.wakeAll));
    for (const pending of unlisten) pending.catch(() => undefined);
  }

  const coordinator: Coordinator = {
    leaseTtlMs,

    async acquire(request: LeaseRequest): Promise<Lease> {
      const { run } = request;
      const at = now();
      const lease: Lease = {
        id: `lease_${globalThis.crypto.randomUUID()}`,
        tenantId: run.tenantId,
        executionId: run.executionId,
        expiresAt: at + leaseTtlMs,
      };
      // Registered before the lease exists, so a NOTIFY that arrives before onCancelRequested is kept.
      const local = runs.add(lease, request.budgets);
      try {
        await acquireLease(database, request, lease, at);
      } catch (error) {
        runs.remove(local);
        throw error;
      }
      if (finishing.linked) events.hold(run.tenantId, run.executionId);
      return lease;
    },

    async renew(lease) {
      // Ended with its record already: the run is about to release it.
      if (runs.holding(lease)?.finished === true) return lease;
      const renewed = await renewLease(database, lease, now(), leaseTtlMs);
      if (renewed === undefined) return undefined;
      // The fallback for a NOTIFY this instance missed.
      if (renewed.cancelRequested) runs.seen(executionKey(lease.tenantId, lease.executionId));
      return { ...lease, expiresAt: renewed.expiresAt };
    },

    async release(lease, settlement) {
      const local = runs.holding(lease);
      if (local !== undefined) runs.remove(local);
      // Stored before the release resolves: what the run logged after its finish, if anything.
      await events.release(lease.tenantId, lease.executionId);
      // Released (and settled) with its record by the store's finish.
      if (local?.finished === true) return;
      // Gone already (released or reclaimed): settled by whoever removed it, or never.
      await releaseLease(database, lease, settlement, now());
    },

    async reclaimExpired() {
      const interrupted = await reclaimExpiredLeases(database, now(), retentionMs);
      for (const { run } of interrupted) {
        // A run of this instance that lost its lease (its process stalled past the expiry): the
        // `interrupted` record about to be saved is not its end, and its own end is a plain save.
        const local = runs.of(run.tenantId, run.executionId);
        if (local === undefined) continue;
        runs.remove(local);
        events.release(run.tenantId, run.executionId).catch(() => undefined);
      }
      return interrupted;
    },

    async requestCancel(tenantId, executionId) {
      const key = executionKey(tenantId, executionId);
      const found = await flagCancel(database, tenantId, executionId, key, now());
      if (found) runs.seen(key);
      return found;
    },

    onCancelRequested(lease, listener) {
      return runs.onCancel(lease, listener, listening);
    },

    appendEvents(tenantId, executionId, entries) {
      return events.append(tenantId, executionId, entries);
    },

    readEvents(tenantId, executionId, afterId) {
      return events.read(tenantId, executionId, afterId);
    },

    onEventsAppended(tenantId, executionId, listener) {
      return events.onAppended(tenantId, executionId, listener);
    },

    async close() {
      runs.close();
      await events.close().catch((error: unknown) => {
        throw coordinatorFailure('write the buffered events', error);
      });
      for (const pending of unlisten.splice(0)) {
        const stop = await pending.catch(() => undefined);
        await stop?.();
      }
    },
  };
  registerRunFinisher(coordinator, finishing.finisher);
  return coordinator;
}
