import {
  AgentryError,
  type Budget,
  budgetExceededError,
  budgetWindowBounds,
  type Coordinator,
  type ExecutionEventEntry,
  type InterruptedRun,
  type Lease,
  type LeaseRequest,
  type RunningExecution,
} from '@agentry/core';
import { checkSchemaName, DEFAULT_SCHEMA } from '../identifiers';
import { inTransaction, type PostgresPool, type PostgresPoolClient } from '../pool';
import type { PostgresListen } from './postgres-listener';

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
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`createPostgresCoordinator: ${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

function failure(operation: string, error: unknown): AgentryError | TypeError {
  if (error instanceof AgentryError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentryError('internal', `The PostgreSQL coordinator failed to ${operation}: ${message}`, {
    cause: error,
    retryable: true,
  });
}

async function asTenant(client: PostgresPoolClient, tenantId: string): Promise<void> {
  await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
}

const key = (tenantId: string, executionId: string) => JSON.stringify([tenantId, executionId]);

const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function' ? (callback) => setImmediate(callback) : (callback) => setTimeout(callback, 0);

/**
 * The {@link Coordinator} on PostgreSQL (or PGlite): leases with expiry, budgets settled in one
 * statement, cancel requests as a flag plus `NOTIFY`, and event logs, shared by every instance
 * on one database. Run `migrate()` first (migration 2).
 *
 * @example
 * const coordinator = createPostgresCoordinator({ pool, listen: listenWith(pgClient) });
 * const executor = createExecutor({ agents, store, coordinator });
 */
export function createPostgresCoordinator(options: PostgresCoordinatorOptions): Coordinator {
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('createPostgresCoordinator: pool must be a pg-compatible Pool (query and connect).');
  }
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createPostgresCoordinator');
  const leaseTtlMs = positiveInteger(options.leaseTtlMs ?? 30_000, 'leaseTtlMs');
  const retentionMs = options.eventLogRetentionMs ?? 300_000;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const now = options.now ?? Date.now;
  const cancelChannel = `${schema}_cancel`;
  const eventsChannel = `${schema}_events`;

  // This instance's leases: cancel listeners, and whether a cancel was seen.
  const local = new Map<string, { lease: Lease; listeners: Set<() => void>; cancelled: boolean }>();
  // Entries this instance registered in acquire, before its lease existed: with LISTEN on, a cancel
  // requested since then has been heard (or is re-read when the connection comes back).
  const acquiredHere = new WeakSet<object>();
  const appendListeners = new Map<string, Set<() => void>>();
  const unlisten: Promise<() => Promise<void>>[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;

  function cancelSeen(entryKey: string): void {
    const entry = local.get(entryKey);
    if (entry === undefined) return;
    entry.cancelled = true;
    for (const listener of [...entry.listeners]) listener();
  }
  function appended(entryKey: string): void {
    for (const listener of [...(appendListeners.get(entryKey) ?? [])]) listener();
  }

  // After the LISTEN connection came back: cancels and appends sent meanwhile were not heard.
  function resumeCancels(): void {
    pollCancels().catch(() => undefined);
  }
  function resumeEvents(): void {
    for (const listeners of [...appendListeners.values()]) for (const listener of [...listeners]) listener();
  }

  if (options.listen !== undefined) {
    unlisten.push(options.listen(cancelChannel, cancelSeen, resumeCancels));
    unlisten.push(options.listen(eventsChannel, appended, resumeEvents));
    for (const pending of unlisten) pending.catch(() => undefined);
  }

  async function pollCancels(): Promise<void> {
    for (const [entryKey, entry] of local) {
      if (entry.cancelled) continue;
      const flagged = await cancelFlag(entry.lease);
      if (flagged) cancelSeen(entryKey);
    }
  }
  function startPolling(): void {
    if (timer !== undefined || pollIntervalMs <= 0) return;
    timer = setInterval(() => {
      pollCancels().catch(() => undefined);
    }, pollIntervalMs);
    (timer as { unref?: () => void }).unref?.();
  }

  async function cancelFlag(lease: Lease): Promise<boolean> {
    return inTransaction(pool, async (client) => {
      await asTenant(client, lease.tenantId);
      const { rows } = await client.query(
        `select cancel_requested from ${schema}.leases where tenant_id = $1 and execution_id = $2 and lease_id = $3`,
        [lease.tenantId, lease.executionId, lease.id],
      );
      return rows[0]?.cancel_requested === true;
    });
  }

  // Appends of one execution, in call order. A run logs without awaiting, so its appends overlap;
  // on a pool they would race for the connection (and the advisory lock) and could commit out of
  // order. Each execution gets one flush at a time; calls made meanwhile go out together in the
  // next flush: one transaction for a burst of events.
  interface AppendCall {
    entries: readonly ExecutionEventEntry[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }
  const appendQueues = new Map<string, AppendCall[]>();

  function queueAppend(tenantId: string, executionId: string, entries: readonly ExecutionEventEntry[]): Promise<void> {
    const entryKey = key(tenantId, executionId);
    return new Promise<void>((resolve, reject) => {
      const queued = appendQueues.get(entryKey);
      if (queued !== undefined) {
        queued.push({ entries, resolve, reject });
        return;
      }
      const queue: AppendCall[] = [{ entries, resolve, reject }];
      appendQueues.set(entryKey, queue);
      // After the current turn of the event loop: the events a run emits together (a mock run's
      // whole output, a burst of deltas) go out in one statement.
      nextTurn(() => {
        flushAppends(tenantId, executionId, entryKey, queue).catch(() => undefined);
      });
    });
  }

  async function flushAppends(tenantId: string, executionId: string, entryKey: string, queue: AppendCall[]) {
    while (queue.length > 0) {
      const calls = queue.splice(0);
      const outcomes = await writeAppends(tenantId, executionId, calls).catch((error: unknown) =>
        calls.map(() => failure('append events', error)),
      );
      calls.forEach((call, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) call.resolve();
        else call.reject(outcome);
      });
      if (outcomes.some((outcome) => outcome === undefined)) appended(entryKey);
    }
    appendQueues.delete(entryKey);
  }

  /** Writes the calls' entries in one statement; answers, per call, `undefined` or why it was refused. */
  async function writeAppends(
    tenantId: string,
    executionId: string,
    calls: readonly AppendCall[],
  ): Promise<(Error | undefined)[]> {
    const outcomes: (Error | undefined)[] = calls.map((call) => {
      let previous = Number.NEGATIVE_INFINITY;
      for (const entry of call.entries) {
        if (!Number.isInteger(entry.id) || entry.id <= previous) {
          return new TypeError(
            `Coordinator.appendEvents: event ids must increase (got ${entry.id} after ${previous}) for "${executionId}".`,
          );
        }
        previous = entry.id;
      }
      return undefined;
    });
    const sent = calls.flatMap((call, idx) =>
      outcomes[idx] === undefined
        ? [
            {
              idx,
              first_id: call.entries[0]?.id,
              last_id: call.entries.at(-1)?.id,
              entries: call.entries.map((entry) => ({ id: entry.id, event: entry.event })),
            },
          ]
        : [],
    );
    if (sent.length === 0) return outcomes;
    const { rows } = await pool.query(`select ${schema}.append_events($1, $2, $3, $4::json, $5, $6) as refused`, [
      tenantId,
      executionId,
      now(),
      JSON.stringify(sent),
      eventsChannel,
      key(tenantId, executionId),
    ]);
    const stored = rows[0]?.refused;
    const refused = (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? [])) as {
      idx: number;
      after: number;
    }[];
    for (const { idx, after } of refused) {
      const first = calls[idx]?.entries[0]?.id;
      outcomes[idx] = new TypeError(
        `Coordinator.appendEvents: event ids must increase (got ${first} after ${after}) for "${executionId}".`,
      );
    }
    return outcomes;
  }

  return {
    leaseTtlMs,

    async acquire(request: LeaseRequest): Promise<Lease> {
      const { run, limit, budgets } = request;
      const at = now();
      const lease: Lease = {
        id: `lease_${globalThis.crypto.randomUUID()}`,
        tenantId: run.tenantId,
        executionId: run.executionId,
        expiresAt: at + leaseTtlMs,
      };
      const windows = budgets.map((budget: Budget, idx) => ({
        idx,
        budget_window: budget.window,
        window_start: budgetWindowBounds(budget.window, at).start,
        max_tokens: budget.maxTokens ?? null,
        max_cost: budget.maxCostUsd ?? null,
      }));
      // Registered before the lease exists, so a NOTIFY that arrives before onCancelRequested is kept.
      const entryKey = key(run.tenantId, run.executionId);
      const entry = { lease, listeners: new Set<() => void>(), cancelled: false };
      local.set(entryKey, entry);
      acquiredHere.add(entry);
      let answer: string;
      try {
        const { rows } = await pool.query(
          `select ${schema}.acquire_lease($1, $2, $3, $4, $5, $6, $7::json, $8::json) as answer`,
          [
            run.tenantId,
            run.executionId,
            lease.id,
            at,
            lease.expiresAt,
            limit,
            JSON.stringify(windows),
            JSON.stringify(run),
          ],
        );
        answer = String(rows[0]?.answer);
      } catch (error) {
        if (local.get(entryKey) === entry) local.delete(entryKey);
        throw failure('acquire a lease', error);
      }
      if (answer === 'ok') return lease;
      if (local.get(entryKey) === entry) local.delete(entryKey);
      const [kind, detail, limitKind] = answer.split(' ');
      if (kind === 'limit') {
        throw new AgentryError(
          'limit_exceeded',
          `This tenant already has ${detail} executions running (limit ${limit}).`,
        );
      }
      if (kind === 'budget') {
        const budget = budgets[Number(detail)] as Budget;
        throw budgetExceededError(budget, limitKind === 'cost' ? 'cost' : 'tokens', at);
      }
      throw new TypeError(`Coordinator.acquire: execution "${run.executionId}" already holds a lease.`);
    },

    async renew(lease) {
      const at = now();
      const rows = await inTransaction(pool, async (client) => {
        await asTenant(client, lease.tenantId);
        return (
          await client.query(
            `update ${schema}.leases set expires_at = $4 + $5::bigint
              where tenant_id = $1 and execution_id = $2 and lease_id = $3 and expires_at > $4
              returning expires_at, cancel_requested`,
            [lease.tenantId, lease.executionId, lease.id, at, leaseTtlMs],
          )
        ).rows;
      }).catch((error: unknown) => {
        throw failure('renew a lease', error);
      });
      const row = rows[0];
      if (row === undefined) return undefined;
      // The fallback for a NOTIFY this instance missed.
      if (row.cancel_requested === true) cancelSeen(key(lease.tenantId, lease.executionId));
      return { ...lease, expiresAt: Number(row.expires_at) };
    },

    async release(lease, settlement) {
      const entryKey = key(lease.tenantId, lease.executionId);
      if (local.get(entryKey)?.lease.id === lease.id) local.delete(entryKey);
      const at = now();
      let spend: unknown[] = [];
      if (settlement !== undefined) {
        const tokens = Number.isFinite(settlement.spend.tokens) ? Math.max(0, settlement.spend.tokens) : 0;
        const costUsd = Number.isFinite(settlement.spend.costUsd) ? Math.max(0, settlement.spend.costUsd) : 0;
        const windows = new Set(settlement.budgets.map((budget: Budget) => budget.window));
        spend = [...windows].map((window) => ({
          budget_window: window,
          window_start: budgetWindowBounds(window, at).start,
          tokens,
          cost_usd: costUsd,
        }));
      }
      try {
        // Gone already (released or reclaimed): settled by whoever removed it, or never.
        await pool.query(`select ${schema}.release_lease($1, $2, $3, $4::json)`, [
          lease.tenantId,
          lease.executionId,
          lease.id,
          JSON.stringify(spend),
        ]);
      } catch (error) {
        throw failure('release a lease', error);
      }
    },

    async reclaimExpired() {
      const at = now();
      const rows = await inTransaction(pool, async (client) => {
        await client.query(`select set_config('agentry.scope', 'maintenance', true)`);
        // The row lock of DELETE hands each expired run to exactly one sweeper.
        const { rows: expired } = await client.query(
          `delete from ${schema}.leases where expires_at <= $1 returning run, expires_at`,
          [at],
        );
        // Finished logs past retention (no lease left for their execution).
        await client.query(
          `delete from ${schema}.execution_events e where e.appended_at <= $1
             and not exists (select 1 from ${schema}.leases l where l.tenant_id = e.tenant_id and l.execution_id = e.execution_id)`,
          [at - retentionMs],
        );
        return expired;
      }).catch((error: unknown) => {
        throw failure('reclaim expired leases', error);
      });
      const interrupted: InterruptedRun[] = rows.map((row) => ({
        run: (typeof row.run === 'string' ? JSON.parse(row.run) : row.run) as RunningExecution,
        expiredAt: Number(row.expires_at),
      }));
      interrupted.sort((a, b) => a.expiredAt - b.expiredAt);
      return interrupted;
    },

    async requestCancel(tenantId, executionId) {
      const at = now();
      const found = await inTransaction(pool, async (client) => {
        await asTenant(client, tenantId);
        const { rows } = await client.query(
          `update ${schema}.leases set cancel_requested = true
            where tenant_id = $1 and execution_id = $2 and expires_at > $3 returning 1 as ok`,
          [tenantId, executionId, at],
        );
        if (rows.length === 0) return false;
        // Delivered at commit, to every instance's LISTEN connection.
        await client.query('select pg_notify($1, $2)', [cancelChannel, key(tenantId, executionId)]);
        return true;
      }).catch((error: unknown) => {
        throw failure('request a cancel', error);
      });
      if (found) cancelSeen(key(tenantId, executionId));
      return found;
    },

    onCancelRequested(lease, listener) {
      const entryKey = key(lease.tenantId, lease.executionId);
      let entry = local.get(entryKey);
      if (entry === undefined || entry.lease.id !== lease.id) {
        entry = { lease, listeners: new Set(), cancelled: false };
        local.set(entryKey, entry);
      }
      const held = entry;
      held.listeners.add(listener);
      startPolling();
      if (held.cancelled) listener();
      else if (options.listen === undefined || !acquiredHere.has(held)) {
        // Requested before this instance listened (or without LISTEN): the flag is in the row.
        cancelFlag(lease)
          .then((flagged) => {
            if (flagged && held.listeners.has(listener) && !held.cancelled) cancelSeen(entryKey);
          })
          .catch(() => undefined);
      }
      return () => {
        held.listeners.delete(listener);
      };
    },

    appendEvents(tenantId, executionId, entries) {
      if (entries.length === 0) return Promise.resolve();
      return queueAppend(tenantId, executionId, entries);
    },

    async readEvents(tenantId, executionId, afterId) {
      const rows = await inTransaction(pool, async (client) => {
        await asTenant(client, tenantId);
        const found = (
          await client.query(
            `select id, event from ${schema}.execution_events
              where tenant_id = $1 and execution_id = $2 and (id > $3 or id = (
                select min(id) from ${schema}.execution_events where tenant_id = $1 and execution_id = $2))
              order by id`,
            [tenantId, executionId, afterId],
          )
        ).rows;
        if (found.length > 0) return found;
        // A run in flight whose first append has not committed yet (its instance logs without
        // waiting, and may already have streamed that event to a client that now reconnects
        // here) has an empty log, not none: the reader waits instead of answering 404.
        const { rows: leased } = await client.query(
          `select 1 as ok from ${schema}.leases where tenant_id = $1 and execution_id = $2`,
          [tenantId, executionId],
        );
        return leased.length > 0 ? [] : undefined;
      }).catch((error: unknown) => {
        throw failure('read events', error);
      });
      if (rows === undefined) return undefined;
      return rows
        .map((row) => ({
          id: Number(row.id),
          event: (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as ExecutionEventEntry['event'],
        }))
        .filter((entry) => entry.id > afterId);
    },

    onEventsAppended(tenantId, executionId, listener) {
      const entryKey = key(tenantId, executionId);
      let listeners = appendListeners.get(entryKey);
      if (listeners === undefined) {
        listeners = new Set();
        appendListeners.set(entryKey, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) appendListeners.delete(entryKey);
      };
    },

    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      local.clear();
      appendListeners.clear();
      for (const pending of unlisten.splice(0)) {
        const stop = await pending.catch(() => undefined);
        await stop?.();
      }
    },
  };
}
