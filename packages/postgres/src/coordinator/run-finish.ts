import type { Coordinator, ExecutionEvent, ExecutionResult, Settlement } from '@agentry/core';
import type { PostgresPool } from '../pool';
import { executionKey } from './coordinator-failure';
import type { EventLog } from './event-log';
import { callJson, eventsJson, refusedCalls } from './event-statements';
import { createFinishStatement, type HotStatementBatching } from './hot-statements';
import { spendRows } from './lease-statements';
import type { LocalRuns } from './local-runs';

// A run's end in one round trip. The executor saves a run's record, then logs its final event,
// then releases its lease: three writes. When the store is linked to the coordinator
// (`createPostgresStore({ coordinator })`), the store's save of a run this instance holds a lease
// for does all three in `finish_execution` (migration 6), with the events still buffered: the
// final event is built here from the record exactly as the executor builds it, and the
// executor's own append of it is then recognised and not written again (a different one replaces
// it). The release finds its lease gone and has nothing left to do. Under load the finish goes out
// with other runs' in one `finish_executions` (migration 7, hot-statements.ts).

/** What a linked store calls on save: `false` when the record is not a run this instance holds. */
export interface RunFinisher {
  readonly schema: string;
  /** Marks the coordinator linked: from now on, runs acquired here buffer their events for the finish. */
  link(): void;
  finish(pool: PostgresPool, record: ExecutionResult): Promise<boolean>;
}

const finishers = new WeakMap<object, RunFinisher>();

export function registerRunFinisher(coordinator: Coordinator, finisher: RunFinisher): void {
  finishers.set(coordinator, finisher);
}

/** The finisher of a coordinator made by `createPostgresCoordinator`, or `undefined`. */
export function runFinisherOf(coordinator: unknown): RunFinisher | undefined {
  return typeof coordinator === 'object' && coordinator !== null ? finishers.get(coordinator) : undefined;
}

/** The run's final event, as the executor logs it after saving the record (core's `terminalEventOf`). */
export function finalEventOf(record: ExecutionResult): ExecutionEvent {
  return record.status === 'succeeded'
    ? { type: 'execution-finish', executionId: record.id, result: record }
    : { type: 'execution-error', executionId: record.id, error: record.error, result: record };
}

/** The spend the executor settles for a finished run: its tokens and its cost, unknown as 0. */
export function settlementOf(record: ExecutionResult, budgets: Settlement['budgets']): Settlement | undefined {
  if (budgets.length === 0) return undefined;
  const { metrics } = record;
  return {
    budgets,
    spend: { tokens: (metrics.inputTokens ?? 0) + (metrics.outputTokens ?? 0), costUsd: metrics.costUsd ?? 0 },
  };
}

/** Options of {@link createRunFinisher}. */
export interface RunFinisherOptions {
  schema: string;
  eventsChannel: string;
  now: () => number;
  runs: LocalRuns;
  events: EventLog;
  batching: HotStatementBatching;
}

export function createRunFinisher(options: RunFinisherOptions) {
  const { schema, eventsChannel, now, runs, events } = options;
  const sendFinish = createFinishStatement(schema, options.batching);
  let linked = false;

  const finisher: RunFinisher = {
    schema,
    link() {
      linked = true;
    },
    async finish(pool, record) {
      const run = runs.of(record.tenantId, record.id);
      if (run === undefined || run.finished) return false;
      const { lease } = run;
      const key = executionKey(record.tenantId, record.id);
      const recordJson = JSON.stringify(record);
      const finalEvent = finalEventOf(record);
      // The record is serialized once, for its row and inside its final event.
      const finalJson =
        record.status === 'succeeded'
          ? `{"type":"execution-finish","executionId":${JSON.stringify(record.id)},"result":${recordJson}}`
          : `{"type":"execution-error","executionId":${JSON.stringify(record.id)},"error":${JSON.stringify(record.error)},"result":${recordJson}}`;
      const finishing = events.finishWith(record.tenantId, record.id, async (buffered, finalId, requeue) => {
        // The held events and the final one as one call: one row (migration 9). A log that holds
        // its final event already (an executor that logs it before the save) gets no second one.
        const held = buffered.flat();
        const ended = held.some(
          (entry) => entry.event.type === 'execution-finish' || entry.event.type === 'execution-error',
        );
        let call: string | undefined;
        if (ended) call = callJson(0, held);
        else {
          const heldJson = eventsJson(held);
          call = callJson(
            0,
            [...held, { id: finalId, event: finalEvent }],
            held.length === 0 ? `[${finalJson}]` : `${heldJson.slice(0, -1)},${finalJson}]`,
          );
        }
        const at = now();
        const answer = await sendFinish(pool, {
          tenant: record.tenantId,
          id: record.id,
          agent: record.agentId,
          status: record.status,
          started: record.startedAt,
          finished: record.finishedAt,
          record: recordJson,
          lease: lease.id,
          spend: JSON.stringify(spendRows(settlementOf(record, run.budgets), at)),
          at,
          calls: `[${call}]`,
          channel: eventsChannel,
          key,
        });
        const parsed = answer as { refused: unknown } | undefined;
        // Refused (its first id was stored already, by a write whose answer was lost): the events
        // past the stored ones stay buffered for the release, and the executor's own append of
        // the final event goes out as any other.
        const [refused] = refusedCalls(parsed?.refused);
        if (refused !== undefined) requeue(held.filter((entry) => entry.id > refused.after));
        return ended || refused !== undefined ? undefined : finalId;
      });
      if (finishing === undefined) return false;
      const finalId = await finishing;
      run.finished = true;
      if (finalId !== undefined) events.storedFinal(record.tenantId, record.id, { id: finalId, event: finalEvent });
      return true;
    },
  };
  return {
    finisher,
    get linked() {
      return linked;
    },
  };
}
