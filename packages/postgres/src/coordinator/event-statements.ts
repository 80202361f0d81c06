import type { ExecutionEvent, ExecutionEventEntry } from '@agentry/core';
import { inTransaction, type PostgresPool } from '../pool';
import { coordinatorFailure } from './coordinator-failure';

// The SQL of event logs that is not the buffering: the JSON `append_events` and
// `finish_execution` take and answer, and the read behind Last-Event-ID resume. Each append call
// is one row of `execution_event_batches` (migration 9): its ids, and its events as one array.

/**
 * JSON text as a JSON string, the way the functions take a value they store whole (migration 8):
 * SQL that reads a field of a JSON value decodes all of its strings to text, which cannot hold a
 * NUL or a lone surrogate; the text inside a string has neither left to decode.
 */
export function jsonAsString(json: string): string {
  return JSON.stringify(json);
}

/** The JSON text of an array of the entries' events, in order: one row's `events` (migration 9). */
export function eventsJson(entries: readonly ExecutionEventEntry[]): string {
  let json = '[';
  for (let index = 0; index < entries.length; index += 1) {
    if (index > 0) json += ',';
    json += JSON.stringify((entries[index] as ExecutionEventEntry).event);
  }
  return `${json}]`;
}

/**
 * One element of the `p_calls` JSON of `append_events` and `finish_execution`: one append call,
 * stored as one row. `events` is the JSON text of the array of its events (`eventsJson`, or built
 * by the caller), sent as a string (see jsonAsString); the ids travel beside it.
 */
export function callJson(idx: number, entries: readonly ExecutionEventEntry[], events = eventsJson(entries)): string {
  let ids = '';
  for (let index = 0; index < entries.length; index += 1) {
    if (index > 0) ids += ',';
    ids += (entries[index] as ExecutionEventEntry).id;
  }
  return (
    `{"idx":${idx},"first_id":${entries[0]?.id},"last_id":${entries.at(-1)?.id},` +
    `"ids":[${ids}],"events":${jsonAsString(events)}}`
  );
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
    // answers one row without ids: an empty log, not none, so the reader waits. The rows whose
    // last id is past `afterId`, or else the first row, which says the log exists.
    const { rows: found } = await client.query(
      `with log as (
         select last_id, ids, events from ${schema}.execution_event_batches
          where tenant_id = $1 and execution_id = $2 and (last_id > $3 or last_id = (
            select min(last_id) from ${schema}.execution_event_batches where tenant_id = $1 and execution_id = $2)))
       select last_id, ids, events from log
       union all
       select null, null, null from ${schema}.leases
        where tenant_id = $1 and execution_id = $2 and not exists (select 1 from log)
       order by last_id`,
      [tenantId, executionId, afterId],
    );
    if (found.length === 0) return undefined;
    return found[0]?.last_id === null ? [] : found;
  }).catch((error: unknown) => {
    throw coordinatorFailure('read events', error);
  });
  if (rows === undefined) return undefined;
  const entries: ExecutionEventEntry[] = [];
  for (const row of rows) {
    const ids = idsOf(row.ids);
    const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as ExecutionEvent[];
    for (const [index, id] of ids.entries()) {
      if (id > afterId) entries.push({ id, event: events[index] as ExecutionEvent });
    }
  }
  return entries;
}

/** A `bigint[]` as the driver returns it: an array (of strings or numbers), or its text `{1,2}`. */
function idsOf(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const text = String(value);
  return text.length <= 2 ? [] : text.slice(1, -1).split(',').map(Number);
}
