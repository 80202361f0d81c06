import {
  AgentryError,
  type Budget,
  budgetExceededError,
  budgetWindowBounds,
  type InterruptedRun,
  type Lease,
  type LeaseRequest,
  type RunningExecution,
  type Settlement,
} from '@agentry/core';
import { inTransaction, type PostgresPool } from '../pool';
import { coordinatorFailure } from './coordinator-failure';
import type { AcquireCall, createAcquireStatement } from './hot-statements';

// The SQL of leases, one function per step: taking, renewing, releasing and reclaiming a lease,
// and a run's cancel flag. Each is one round trip (a function of migration 5; the acquire grouped
// with other runs' under load, migration 7) or a short transaction off the hot path. No state of
// this instance lives here.

/** Where the coordinator's statements run. */
export interface LeaseDatabase {
  pool: PostgresPool;
  schema: string;
  cancelChannel: string;
  /** Sends `acquire_lease`, alone or in a batch with other runs' ({@link createAcquireStatement}). */
  acquire: (call: AcquireCall) => Promise<string>;
}

/**
 * Takes the lease in one statement (or a share of one); throws `limit_exceeded`,
 * `budget_exceeded` or (taken) a TypeError.
 */
export async function acquireLease(database: LeaseDatabase, request: LeaseRequest, lease: Lease, at: number) {
  const { run, limit, budgets } = request;
  const windows = budgets.map((budget: Budget, idx) => ({
    idx,
    budget_window: budget.window,
    window_start: budgetWindowBounds(budget.window, at).start,
    max_tokens: budget.maxTokens ?? null,
    max_cost: budget.maxCostUsd ?? null,
  }));
  let answer: string;
  try {
    answer = await database.acquire({
      tenant: run.tenantId,
      execution: run.executionId,
      lease: lease.id,
      now: at,
      expires: lease.expiresAt,
      limit,
      budgets: windows,
      run,
    });
  } catch (error) {
    throw coordinatorFailure('acquire a lease', error);
  }
  if (answer === 'ok') return;
  const [kind, detail, limitKind] = answer.split(' ');
  if (kind === 'limit') {
    throw new AgentryError('limit_exceeded', `This tenant already has ${detail} executions running (limit ${limit}).`);
  }
  if (kind === 'budget') {
    const budget = budgets[Number(detail)] as Budget;
    throw budgetExceededError(budget, limitKind === 'cost' ? 'cost' : 'tokens', at);
  }
  throw new TypeError(`Coordinator.acquire: execution "${run.executionId}" already holds a lease.`);
}

/** Extends an unexpired lease; answers its new expiry and cancel flag, or `undefined` when it is gone. */
export async function renewLease(database: LeaseDatabase, lease: Lease, at: number, ttlMs: number) {
  const { pool, schema } = database;
  const rows = await inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [lease.tenantId]);
    return (
      await client.query(
        `update ${schema}.leases set expires_at = $4 + $5::bigint
          where tenant_id = $1 and execution_id = $2 and lease_id = $3 and expires_at > $4
          returning expires_at, cancel_requested`,
        [lease.tenantId, lease.executionId, lease.id, at, ttlMs],
      )
    ).rows;
  }).catch((error: unknown) => {
    throw coordinatorFailure('renew a lease', error);
  });
  const row = rows[0];
  return row === undefined
    ? undefined
    : { expiresAt: Number(row.expires_at), cancelRequested: row.cancel_requested === true };
}

/** The spend of a settlement, per budget window (the JSON `release_lease` and `finish_execution` take). */
export function spendRows(settlement: Settlement | undefined, at: number): unknown[] {
  if (settlement === undefined) return [];
  const tokens = Number.isFinite(settlement.spend.tokens) ? Math.max(0, settlement.spend.tokens) : 0;
  const costUsd = Number.isFinite(settlement.spend.costUsd) ? Math.max(0, settlement.spend.costUsd) : 0;
  const windows = new Set(settlement.budgets.map((budget: Budget) => budget.window));
  return [...windows].map((window) => ({
    budget_window: window,
    window_start: budgetWindowBounds(window, at).start,
    tokens,
    cost_usd: costUsd,
  }));
}

/** Deletes the lease and settles its spend; a lease already gone is left alone and not settled. */
export async function releaseLease(
  database: LeaseDatabase,
  lease: Lease,
  settlement: Settlement | undefined,
  at: number,
) {
  const { pool, schema } = database;
  try {
    await pool.query(`select ${schema}.release_lease($1, $2, $3, $4::json)`, [
      lease.tenantId,
      lease.executionId,
      lease.id,
      JSON.stringify(spendRows(settlement, at)),
    ]);
  } catch (error) {
    throw coordinatorFailure('release a lease', error);
  }
}

/** Deletes expired leases (each to exactly one sweeper) and event logs past retention. */
export async function reclaimExpiredLeases(database: LeaseDatabase, at: number, retentionMs: number) {
  const { pool, schema } = database;
  const rows = await inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.scope', 'maintenance', true)`);
    // The row lock of DELETE hands each expired run to exactly one sweeper.
    const { rows: expired } = await client.query(
      `delete from ${schema}.leases where expires_at <= $1 returning run, expires_at`,
      [at],
    );
    // Finished logs past retention (no lease left for their execution).
    await client.query(
      `delete from ${schema}.execution_event_batches e where e.appended_at <= $1
         and not exists (select 1 from ${schema}.leases l where l.tenant_id = e.tenant_id and l.execution_id = e.execution_id)`,
      [at - retentionMs],
    );
    return expired;
  }).catch((error: unknown) => {
    throw coordinatorFailure('reclaim expired leases', error);
  });
  const interrupted: InterruptedRun[] = rows.map((row) => ({
    run: (typeof row.run === 'string' ? JSON.parse(row.run) : row.run) as RunningExecution,
    expiredAt: Number(row.expires_at),
  }));
  interrupted.sort((a, b) => a.expiredAt - b.expiredAt);
  return interrupted;
}

/** Whether a cancel was requested for this lease (the flag, read back). */
export async function readCancelFlag(database: LeaseDatabase, lease: Lease): Promise<boolean> {
  const { pool, schema } = database;
  return inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [lease.tenantId]);
    const { rows } = await client.query(
      `select cancel_requested from ${schema}.leases where tenant_id = $1 and execution_id = $2 and lease_id = $3`,
      [lease.tenantId, lease.executionId, lease.id],
    );
    return rows[0]?.cancel_requested === true;
  });
}

/** The ids of the leases, among these, whose cancel was requested: one statement for all of them. */
export async function readCancelFlags(database: LeaseDatabase, leases: readonly Lease[]): Promise<Set<string>> {
  if (leases.length === 0) return new Set();
  const { pool, schema } = database;
  const { rows } = await pool.query(`select ${schema}.cancel_flags($1::json) as lease_id`, [
    JSON.stringify(
      leases.map((lease) => ({ tenant_id: lease.tenantId, execution_id: lease.executionId, lease_id: lease.id })),
    ),
  ]);
  return new Set(rows.map((row) => String(row.lease_id)));
}

/** Sets the cancel flag of an unexpired lease and NOTIFYs it at commit; answers whether there was one. */
export async function flagCancel(
  database: LeaseDatabase,
  tenantId: string,
  executionId: string,
  payload: string,
  at: number,
): Promise<boolean> {
  const { pool, schema, cancelChannel } = database;
  return inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query(
      `update ${schema}.leases set cancel_requested = true
        where tenant_id = $1 and execution_id = $2 and expires_at > $3 returning 1 as ok`,
      [tenantId, executionId, at],
    );
    if (rows.length === 0) return false;
    // Delivered at commit, to every instance's LISTEN connection.
    await client.query('select pg_notify($1, $2)', [cancelChannel, payload]);
    return true;
  }).catch((error: unknown) => {
    throw coordinatorFailure('request a cancel', error);
  });
}
