import { inTransaction, type PostgresPool } from '../pool';

/** How much history one tenant keeps. Unset fields keep everything. */
export interface RetentionLimits {
  /** The newest records kept per tenant; older ones are deleted. @example 10_000 */
  maxRecords?: number;
  /** Records that finished longer ago than this (milliseconds) are deleted. @example 90 * 24 * 3_600_000 */
  maxAgeMs?: number;
}

/** Options of `store.cleanup()`: limits for every tenant, and overrides for some. */
export interface CleanupOptions extends RetentionLimits {
  /** Limits for these tenants instead of the ones above (e.g. a plan with a longer history). */
  tenants?: Record<string, RetentionLimits>;
  /** The time ages are measured from. @default new Date() */
  now?: Date;
}

/** What one cleanup deleted. */
export interface CleanupResult {
  /** Records deleted in all (a record both too old and past the count counts once). */
  deleted: number;
}

function checkLimits(limits: RetentionLimits, where: string): void {
  const { maxRecords, maxAgeMs } = limits;
  if (maxRecords !== undefined && (!Number.isInteger(maxRecords) || maxRecords < 0)) {
    throw new TypeError(`cleanup: ${where}maxRecords must be an integer ≥ 0, got ${String(maxRecords)}.`);
  }
  if (maxAgeMs !== undefined && (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs < 0)) {
    throw new TypeError(`cleanup: ${where}maxAgeMs must be a number of milliseconds ≥ 0, got ${String(maxAgeMs)}.`);
  }
}

/**
 * Deletes history past the limits, for every tenant, in one transaction. It is the one job that
 * spans tenants, so it sets `agentry.scope = 'maintenance'`, which the policies let read and
 * delete (never insert or update). Run it on a schedule (cron, a queue, `setInterval`).
 */
export async function cleanupHistory(
  pool: PostgresPool,
  schema: string,
  options: CleanupOptions,
): Promise<CleanupResult> {
  checkLimits(options, '');
  const overrides = Object.entries(options.tenants ?? {});
  for (const [tenantId, limits] of overrides) checkLimits(limits, `tenants[${JSON.stringify(tenantId)}].`);
  const now = options.now ?? new Date();
  const overridden = overrides.map(([tenantId]) => tenantId);

  return inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.scope', 'maintenance', true)`);
    let deleted = 0;
    // $1: the tenants the limits apply to (null: every tenant but the overridden ones, $2).
    const apply = async (limits: RetentionLimits, only: string | null) => {
      if (limits.maxAgeMs !== undefined) {
        const { rows } = await client.query(
          `with gone as (
             delete from ${schema}.executions
              where finished_at < $3
                and (case when $1::text is null then not (tenant_id = any($2::text[])) else tenant_id = $1 end)
             returning 1)
           select count(*)::int as deleted from gone`,
          [only, overridden, new Date(now.getTime() - limits.maxAgeMs).toISOString()],
        );
        deleted += Number(rows[0]?.deleted ?? 0);
      }
      if (limits.maxRecords !== undefined) {
        // Per tenant, the position of its (maxRecords + 1)-th newest record: it and everything
        // older goes. One index scan per tenant on (tenant_id, sequence desc).
        const { rows } = await client.query(
          `with cutoffs as (
             select t.tenant_id, c.cutoff
               from ${schema}.tenants t
               cross join lateral (
                 select x.sequence as cutoff from ${schema}.executions x
                  where x.tenant_id = t.tenant_id order by x.sequence desc offset $3 limit 1) c
              where (case when $1::text is null then not (t.tenant_id = any($2::text[])) else t.tenant_id = $1 end)),
           gone as (
             delete from ${schema}.executions e using cutoffs k
              where e.tenant_id = k.tenant_id and e.sequence <= k.cutoff
             returning 1)
           select count(*)::int as deleted from gone`,
          [only, overridden, limits.maxRecords],
        );
        deleted += Number(rows[0]?.deleted ?? 0);
      }
    };
    await apply(options, null);
    for (const [tenantId, limits] of overrides) await apply(limits, tenantId);
    return { deleted };
  });
}

/** Deletes every row of one tenant, as that tenant (row-level security still applies). */
export async function deleteTenantRows(
  pool: PostgresPool,
  schema: string,
  tenantId: string,
): Promise<{ deleted: number }> {
  return inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
    const { rows } = await client.query(
      `with gone as (delete from ${schema}.executions where tenant_id = $1 returning 1)
       select count(*)::int as deleted from gone`,
      [tenantId],
    );
    await client.query(`delete from ${schema}.tenants where tenant_id = $1`, [tenantId]);
    // Saved test cases (migration 4) leave with the workspace too.
    await client.query(`delete from ${schema}.test_cases where tenant_id = $1`, [tenantId]);
    // And its tapes and saved mocks (migration 3).
    await client.query(`delete from ${schema}.tape_entries where tenant_id = $1`, [tenantId]);
    await client.query(`delete from ${schema}.tape_mocks where tenant_id = $1`, [tenantId]);
    // And its runs' event logs (migrations 2 and 9: the events hold the runs' output) and budget
    // spend. Leases of runs still in flight expire on their own (their runs end as usual).
    await client.query(`delete from ${schema}.execution_event_batches where tenant_id = $1`, [tenantId]);
    await client.query(`delete from ${schema}.execution_events where tenant_id = $1`, [tenantId]);
    await client.query(`delete from ${schema}.budget_spend where tenant_id = $1`, [tenantId]);
    return { deleted: Number(rows[0]?.deleted ?? 0) };
  });
}
