import type { ExecutionEvent, ExecutionEventEntry } from '@agentry/core';
import { inTransaction, type PostgresPool } from '../pool';
import { coordinatorFailure } from './coordinator-failure';

// The SQL of event logs that is not the buffering: the JSON `append_events` and
// `finish_execution` take and answer, and the read behind Last-Event-ID resume.

/**
 * JSON text as a JSON string, the way the functions take a value they store whole (migration 8):
 * SQL that reads a field of a JSON value decodes all of its strings to text, which cannot hold a
 * NUL or a lone surrogate; the text inside a string has neither left to decode.
 */
export function jsonAsString(json: string): string {
  return JSON.stringify(json);
}

/** One element of the `p_calls` JSON of `append_events` and `finish_execution`: one append call. */
export function callJson(idx: number, entries: readonly ExecutionEventEntry[]): string {
  return JSON.stringify({
    idx,
    first_id: entries[0]?.id,
    last_id: entries.at(-1)?.id,
    entries: entries.map((entry) => ({ id: entry.id, event: JSON.stringify(entry.event) })),
  });
}

/** What `append_events` answers: the calls it refused, with the id they should have followed. */
export function refusedCalls(stored: unknown): { idx: number; after: number }[] {
  return (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? [])) as { idx: number; after: number }[];
}

/**
 * The logged entries of this tenant's execution after `afterId`, in order: `[]` for a run in
 * flight whose first events are not written yet, `undefined` for no log at all.
 */
export async function readEventLog(
  pool: PostgresPool,
  schema: string,
  tenantId: string,
  executionId: string,
  afterId: number,
): Promise<ExecutionEventEntry[] | undefined> {
  const rows = await inTransaction(pool, async (client) => {
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
    // One statement, so one snapshot: a run that ends between a read of its log and a read of
    // its lease would otherwise look like no log at all (its events and the deletion of its
    // lease commit together). A run in flight whose first events are not written yet (held on
    // its instance, which may already have streamed them to a client that now reconnects here)
    // answers one row without an id: an empty log, not none, so the reader waits.
    const { rows: found } = await client.query(
      `with log as (
         select id, event from ${schema}.execution_events
          where tenant_id = $1 and execution_id = $2 and (id > $3 or id = (
            select min(id) from ${schema}.execution_events where tenant_id = $1 and execution_id = $2)))
       select id, event from log
       union all
       select null, null from ${schema}.leases
        where tenant_id = $1 and execution_id = $2 and not exists (select 1 from log)
       order by id`,
      [tenantId, executionId, afterId],
    );
    if (found.length === 0) return undefined;
    return found[0]?.id === null ? [] : found;
  }).catch((error: unknown) => {
    throw coordinatorFailure('read events', error);
  });
  if (rows === undefined) return undefined;
  return rows
    .map((row) => ({
      id: Number(row.id),
      event: (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as ExecutionEvent,
    }))
    .filter((entry) => entry.id > afterId);
}
