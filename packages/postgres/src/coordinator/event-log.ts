import type { ExecutionEvent, ExecutionEventEntry } from '@agentry/core';
import { inTransaction, type PostgresPool } from '../pool';
import { coordinatorFailure, executionKey } from './coordinator-failure';
import { callJson, readEventLog, refusedCalls } from './event-statements';

// Each execution's event log: appends, reads for Last-Event-ID resume, and who waits for them.
//
// Two ways to append. An execution this instance runs, with the store linked to the coordinator
// (`held`), buffers its events: each append is accepted at once and the buffer is written on a
// timer (`flushMs`), when it grows, when a reader on this instance waits, or with the run's record
// by the store's finish — so an instant run writes its events in the finish, and a long one every
// `flushMs`. Any other append (a run without the link, an interrupted run's last event) is written
// in the next turn of the event loop and resolves once stored. Either way one execution's writes
// go out one at a time, in call order: a pool would otherwise race them (ids must increase).

interface AppendCall {
  entries: readonly ExecutionEventEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The final event the finish stored for a run, so the executor's own append of it is not written twice. */
export interface StoredFinal {
  id: number;
  event: ExecutionEvent;
}

interface ExecutionLog {
  tenantId: string;
  executionId: string;
  key: string;
  calls: AppendCall[];
  /** The writes of this log, one after another. */
  chain: Promise<void>;
  links: number;
  flushScheduled: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  held: boolean;
  /** Held: the last id accepted (buffered or stored). */
  lastId: number;
  final: StoredFinal | undefined;
}

/** Options of {@link createEventLog}. */
export interface EventLogOptions {
  pool: PostgresPool;
  schema: string;
  eventsChannel: string;
  now: () => number;
  /** How long a held run's events may wait in the buffer. */
  flushMs: number;
}

const FLUSH_AT_ENTRIES = 64;
const ignore = () => undefined;

const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function' ? (callback) => setImmediate(callback) : (callback) => setTimeout(callback, 0);

function increasing(
  entries: readonly ExecutionEventEntry[],
  after: number,
  executionId: string,
): TypeError | undefined {
  let previous = after;
  for (const entry of entries) {
    if (!Number.isInteger(entry.id) || entry.id <= previous) {
      return new TypeError(
        `Coordinator.appendEvents: event ids must increase (got ${entry.id} after ${previous}) for "${executionId}".`,
      );
    }
    previous = entry.id;
  }
  return undefined;
}

export function createEventLog(options: EventLogOptions) {
  const { pool, schema, eventsChannel, now, flushMs } = options;
  const logs = new Map<string, ExecutionLog>();
  const listeners = new Map<string, Set<() => void>>();

  function appended(key: string): void {
    for (const listener of [...(listeners.get(key) ?? [])]) listener();
  }

  /**
   * A NOTIFY of the events channel: one execution's key (`["tenant","execution"]`), or the keys of
   * a batch of finishes as one array (`[["tenant","execution"],…]`, migration 9).
   */
  function notified(payload: string): void {
    if (!payload.startsWith('[[')) {
      appended(payload);
      return;
    }
    if (listeners.size === 0) return;
    let keys: unknown;
    try {
      keys = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(keys)) return;
    for (const key of keys) appended(JSON.stringify(key));
  }

  function logOf(tenantId: string, executionId: string): ExecutionLog {
    const key = executionKey(tenantId, executionId);
    let log = logs.get(key);
    if (log === undefined) {
      log = {
        tenantId,
        executionId,
        key,
        calls: [],
        chain: Promise.resolve(),
        links: 0,
        flushScheduled: false,
        timer: undefined,
        held: false,
        lastId: 0,
        final: undefined,
      };
      logs.set(key, log);
    }
    return log;
  }

  /** Runs `step` after the log's earlier writes; forgets the log once nothing holds it. */
  function exclusive<TResult>(log: ExecutionLog, step: () => Promise<TResult>): Promise<TResult> {
    log.links += 1;
    const result = log.chain.then(step);
    log.chain = result.then(ignore, ignore).then(() => {
      log.links -= 1;
      if (log.links === 0 && log.calls.length === 0 && !log.held && logs.get(log.key) === log) logs.delete(log.key);
    });
    return result;
  }

  /** Writes the calls in one statement; answers, per call, `undefined` or why it was refused. */
  async function write(log: ExecutionLog, calls: readonly AppendCall[]): Promise<(Error | undefined)[]> {
    const outcomes: (Error | undefined)[] = calls.map((call) => increasing(call.entries, -Infinity, log.executionId));
    const sent = calls.flatMap((call, idx) => (outcomes[idx] === undefined ? [{ idx, entries: call.entries }] : []));
    if (sent.length === 0) return outcomes;
    const { rows } = await pool.query(`select ${schema}.append_events($1, $2, $3, $4::json, $5, $6) as refused`, [
      log.tenantId,
      log.executionId,
      now(),
      `[${sent.map(({ idx, entries }) => callJson(idx, entries)).join(',')}]`,
      eventsChannel,
      log.key,
    ]);
    for (const { idx, after } of refusedCalls(rows[0]?.refused)) {
      outcomes[idx] = increasing(calls[idx]?.entries ?? [], after, log.executionId);
    }
    return outcomes;
  }

  function flush(log: ExecutionLog): Promise<void> {
    log.flushScheduled = false;
    if (log.timer !== undefined) clearTimeout(log.timer);
    log.timer = undefined;
    return exclusive(log, async () => {
      const calls = log.calls.splice(0);
      if (calls.length === 0) return;
      let outcomes: (Error | undefined)[];
      try {
        outcomes = await write(log, calls);
      } catch (error) {
        // A held run's events stay buffered for the next flush or its finish; others are told.
        if (log.held) log.calls.unshift(...calls);
        outcomes = calls.map(() => coordinatorFailure('append events', error));
      }
      calls.forEach((call, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) call.resolve();
        else call.reject(outcome);
      });
      if (outcomes.some((outcome) => outcome === undefined)) appended(log.key);
    });
  }

  function scheduleSoon(log: ExecutionLog): void {
    if (log.timer !== undefined) clearTimeout(log.timer);
    log.timer = undefined;
    if (log.flushScheduled) return;
    log.flushScheduled = true;
    nextTurn(() => {
      if (log.flushScheduled) flush(log).catch(ignore);
    });
  }

  function scheduleLater(log: ExecutionLog): void {
    if (log.flushScheduled || log.timer !== undefined) return;
    log.timer = setTimeout(() => {
      log.timer = undefined;
      flush(log).catch(ignore);
    }, flushMs);
    (log.timer as { unref?: () => void }).unref?.();
  }

  function rewriteFinal(log: ExecutionLog, entry: ExecutionEventEntry): Promise<void> {
    return exclusive(log, () =>
      inTransaction(pool, async (client) => {
        await client.query(`select set_config('agentry.tenant_id', $1, true)`, [log.tenantId]);
        // The final event is the last of the row the finish wrote (its last id). The array is
        // split and joined again without decoding its strings (they may hold a NUL).
        await client.query(
          `update ${schema}.execution_event_batches b
              set events = (select json_agg(case when x.position = cardinality(b.ids) then $4::json else x.event end order by x.position)
                              from json_array_elements(b.events) with ordinality as x(event, position))
            where b.tenant_id = $1 and b.execution_id = $2 and b.last_id = $3`,
          [log.tenantId, log.executionId, entry.id, JSON.stringify(entry.event)],
        );
        await client.query('select pg_notify($1, $2)', [eventsChannel, log.key]);
      }).then(
        () => appended(log.key),
        (error: unknown) => {
          throw coordinatorFailure('append events', error);
        },
      ),
    );
  }

  return {
    appended,
    notified,

    append(tenantId: string, executionId: string, entries: readonly ExecutionEventEntry[]): Promise<void> {
      if (entries.length === 0) return Promise.resolve();
      const log = logOf(tenantId, executionId);
      if (!log.held) {
        return new Promise<void>((resolve, reject) => {
          log.calls.push({ entries, resolve, reject });
          // After the current turn: the events a run emits together go out in one statement.
          if (!log.flushScheduled) scheduleSoon(log);
        });
      }
      const final = log.final;
      if (final !== undefined && entries.length === 1 && entries[0]?.id === final.id) {
        log.final = undefined;
        // The executor's final event, stored already by the finish (built from the same record).
        return sameFinal(entries[0].event, final.event) ? Promise.resolve() : rewriteFinal(log, entries[0]);
      }
      const refused = increasing(entries, log.lastId, executionId);
      if (refused !== undefined) return Promise.reject(refused);
      log.lastId = entries.at(-1)?.id ?? log.lastId;
      log.calls.push({ entries, resolve: ignore, reject: ignore });
      const buffered = log.calls.reduce((count, call) => count + call.entries.length, 0);
      if (listeners.has(log.key) || buffered >= FLUSH_AT_ENTRIES) scheduleSoon(log);
      else scheduleLater(log);
      return Promise.resolve();
    },

    /** Buffers this execution's appends from now on (a run of this instance, the store linked). */
    hold(tenantId: string, executionId: string): void {
      logOf(tenantId, executionId).held = true;
    },

    /** Stops buffering: writes what is left, and forgets the stored final event. */
    async release(tenantId: string, executionId: string): Promise<void> {
      const log = logs.get(executionKey(tenantId, executionId));
      if (log === undefined || !log.held) return;
      log.final = undefined;
      try {
        if (log.calls.length > 0) await flush(log);
      } finally {
        log.held = false;
        if (log.calls.length > 0) log.calls.splice(0);
        if (log.links === 0 && logs.get(log.key) === log) logs.delete(log.key);
      }
    },

    /**
     * Runs `finish` with a held execution's buffered entries (after any write in progress) and the
     * id its final event takes; answers `undefined` when the execution is not held here. When
     * `finish` throws, the entries stay buffered; `requeue` buffers again, first, entries the
     * finish could not store (written by the next flush or the release).
     */
    finishWith<TResult>(
      tenantId: string,
      executionId: string,
      finish: (
        buffered: readonly (readonly ExecutionEventEntry[])[],
        finalId: number,
        requeue: (entries: readonly ExecutionEventEntry[]) => void,
      ) => Promise<TResult>,
    ): Promise<TResult> | undefined {
      const log = logs.get(executionKey(tenantId, executionId));
      if (log === undefined || !log.held) return undefined;
      if (log.timer !== undefined) clearTimeout(log.timer);
      log.timer = undefined;
      log.flushScheduled = false;
      return exclusive(log, async () => {
        const calls = log.calls.splice(0);
        try {
          return await finish(
            calls.map((call) => call.entries),
            log.lastId + 1,
            (entries) => {
              if (entries.length > 0) log.calls.unshift({ entries, resolve: ignore, reject: ignore });
            },
          );
        } catch (error) {
          log.calls.unshift(...calls);
          throw error;
        }
      });
    },

    /** The finish stored the run's final event: the executor's append of the same event is not written again. */
    storedFinal(tenantId: string, executionId: string, final: StoredFinal): void {
      const log = logs.get(executionKey(tenantId, executionId));
      if (log === undefined) return;
      log.final = final;
      log.lastId = final.id;
      appended(log.key);
    },

    async read(tenantId: string, executionId: string, afterId: number) {
      // A reader here: what this instance still buffers for the execution goes out first.
      const held = logs.get(executionKey(tenantId, executionId));
      if (held?.held === true && held.calls.length > 0) await flush(held).catch(ignore);
      return readEventLog(pool, schema, tenantId, executionId, afterId);
    },

    onAppended(tenantId: string, executionId: string, listener: () => void): () => void {
      const key = executionKey(tenantId, executionId);
      let registered = listeners.get(key);
      if (registered === undefined) {
        registered = new Set();
        listeners.set(key, registered);
      }
      registered.add(listener);
      // A reader here now waits: a run of this instance stops holding its events back.
      const log = logs.get(key);
      if (log?.held === true && log.calls.length > 0) scheduleSoon(log);
      return () => {
        registered.delete(listener);
        if (registered.size === 0) listeners.delete(key);
      };
    },

    /** Wakes every reader (the LISTEN connection came back: appends meanwhile were not heard). */
    wakeAll(): void {
      for (const registered of [...listeners.values()]) for (const listener of [...registered]) listener();
    },

    /** Writes what is still buffered, then forgets everything. */
    async close(): Promise<void> {
      await Promise.all([...logs.values()].map((log) => (log.calls.length > 0 ? flush(log).catch(ignore) : undefined)));
      for (const log of logs.values()) if (log.timer !== undefined) clearTimeout(log.timer);
      logs.clear();
      listeners.clear();
    },
  };
}

/** Whether the executor's final event is the one the finish built (the same record, the same shape). */
function sameFinal(event: ExecutionEvent, stored: ExecutionEvent): boolean {
  if (event.type !== stored.type || event.executionId !== stored.executionId) return false;
  if (event.type !== 'execution-finish' && event.type !== 'execution-error') return false;
  const expected = stored as typeof event;
  if (event.result !== expected.result) return false;
  if (event.type === 'execution-error' && event.error !== (expected as typeof event).error) return false;
  return Object.keys(event).length === Object.keys(stored).length;
}

export type EventLog = ReturnType<typeof createEventLog>;
