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
      flushAppends(tenantId, executionId, entryKey, queue).catch(() => undefined);
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

  /** Writes the calls' entries in one transaction; answers, per call, `undefined` or why it was refused. */
  async function writeAppends(
    tenantId: string,
    executionId: string,
    calls: readonly AppendCall[],
  ): Promise<(Error | undefined)[]> {
    const at = now();
    return inTransaction(pool, async (client) => {
      await asTenant(client, tenantId);
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${schema}.events:${tenantId}:${executionId}`]);
      const { rows } = await client.query(
        `select max(id) as last from ${schema}.execution_events where tenant_id = $1 and execution_id = $2`,
        [tenantId, executionId],
      );
      let last = rows[0]?.last === null || rows[0]?.last === undefined ? 0 : Number(rows[0].last);
      const accepted: ExecutionEventEntry[] = [];
      const outcomes = calls.map((call) => {
        let previous = last;
        for (const entry of call.entries) {
          if (!Number.isInteger(entry.id) || entry.id <= previous) {
            return new TypeError(
              `Coordinator.appendEvents: event ids must increase (got ${entry.id} after ${previous}) for "${executionId}".`,
            );
          }
          previous = entry.id;
        }
        last = previous;
        accepted.push(...call.entries);
        return undefined;
      });
      if (accepted.length > 0) {
        await client.query(
          `insert into ${schema}.execution_events (tenant_id, execution_id, id, appended_at, event)
           select $1, $2, e.id, $3, e.event from json_to_recordset($4::json) as e(id bigint, event json)`,
          [tenantId, executionId, at, JSON.stringify(accepted.map((entry) => ({ id: entry.id, event: entry.event })))],
        );
        await client.query('select pg_notify($1, $2)', [eventsChannel, key(tenantId, executionId)]);
      }
      return outcomes;
    });
  }

  return {
    leaseTtlMs,

    async acquire(request: LeaseRequest): Promise<Lease> {
      const { run, limit, budgets } = request;
      const at = now();
      try {
        return await inTransaction(pool, async (client) => {
          await asTenant(client, run.tenantId);
          // One acquirer per tenant at a time: the count and the insert are one decision.
          await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${schema}.lease:${run.tenantId}`]);
          const { rows: counted } = await client.query(
            `select count(*)::int as active from ${schema}.leases where tenant_id = $1 and expires_at > $2`,
            [run.tenantId, at],
          );
          const active = Number(counted[0]?.active ?? 0);
          if (active >= limit) {
            throw new AgentryError(
              'limit_exceeded',
              `This tenant already has ${active} executions running (limit ${limit}).`,
            );
          }
          for (const budget of budgets) {
            const { start } = budgetWindowBounds(budget.window, at);
            const { rows } = await client.query(
              `select tokens, cost_usd from ${schema}.budget_spend where tenant_id = $1 and budget_window = $2 and window_start = $3`,
              [run.tenantId, budget.window, start],
            );
            const tokens = Number(rows[0]?.tokens ?? 0);
            const costUsd = Number(rows[0]?.cost_usd ?? 0);
            if (budget.maxTokens !== undefined && tokens >= budget.maxTokens)
              throw budgetExceededError(budget, 'tokens', at);
            if (budget.maxCostUsd !== undefined && costUsd >= budget.maxCostUsd)
              throw budgetExceededError(budget, 'cost', at);
          }
          const lease: Lease = {
            id: `lease_${globalThis.crypto.randomUUID()}`,
            tenantId: run.tenantId,
            executionId: run.executionId,
            expiresAt: at + leaseTtlMs,
          };
          // An expired, unreclaimed lease of the same execution id stays for the sweep.
          const { rows: inserted } = await client.query(
            `insert into ${schema}.leases (tenant_id, execution_id, lease_id, expires_at, run)
             values ($1, $2, $3, $4, $5) on conflict (tenant_id, execution_id) do nothing returning 1 as ok`,
            [run.tenantId, run.executionId, lease.id, lease.expiresAt, JSON.stringify(run)],
          );
          if (inserted.length === 0) {
            throw new TypeError(`Coordinator.acquire: execution "${run.executionId}" already holds a lease.`);
          }
          return lease;
        });
      } catch (error) {
        throw failure('acquire a lease', error);
      }
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
      local.delete(key(lease.tenantId, lease.executionId));
      const at = now();
      await inTransaction(pool, async (client) => {
        await asTenant(client, lease.tenantId);
        const { rows } = await client.query(
          `delete from ${schema}.leases where tenant_id = $1 and execution_id = $2 and lease_id = $3 returning 1 as ok`,
          [lease.tenantId, lease.executionId, lease.id],
        );
        // Gone already (released or reclaimed): settled by whoever removed it, or never.
        if (rows.length === 0 || settlement === undefined) return;
        const tokens = Number.isFinite(settlement.spend.tokens) ? Math.max(0, settlement.spend.tokens) : 0;
        const costUsd = Number.isFinite(settlement.spend.costUsd) ? Math.max(0, settlement.spend.costUsd) : 0;
        const windows = new Set(settlement.budgets.map((budget: Budget) => budget.window));
        for (const window of windows) {
          const { start } = budgetWindowBounds(window, at);
          await client.query(
            `insert into ${schema}.budget_spend as s (tenant_id, budget_window, window_start, tokens, cost_usd)
             values ($1, $2, $3, $4, $5)
             on conflict (tenant_id, budget_window, window_start)
             do update set tokens = s.tokens + excluded.tokens, cost_usd = s.cost_usd + excluded.cost_usd`,
            [lease.tenantId, window, start, tokens, costUsd],
          );
        }
      }).catch((error: unknown) => {
        throw failure('release a lease', error);
      });
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
      else {
        // Requested before this instance listened: the flag is in the row.
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
