import type { PostgresPool } from '../pool';
import { jsonAsString } from './event-statements';
import { createStatementBatcher } from './statement-batcher';

// The two statements every run sends, `acquire_lease` before it and `finish_execution` at its
// end, alone or grouped with the same statement of other runs of this instance
// (`acquire_leases` / `finish_executions`, migration 7) while one is in flight. A batch is sent
// in tenant order, so two batches in flight take the per-tenant locks (the lease lock, the
// tenant's row, its budget rows) in the same order and cannot deadlock each other.

/** How the hot statements are grouped. */
export interface HotStatementBatching {
  /** The most runs in one statement; 1 sends each alone. */
  maxBatch: number;
  /** The most statements of one kind in flight at once. */
  maxInFlight: number;
}

/** The arguments of `acquire_lease`, in order. */
export interface AcquireCall {
  tenant: string;
  execution: string;
  lease: string;
  now: number;
  expires: number;
  limit: number;
  budgets: unknown[];
  run: unknown;
}

/** The arguments of `finish_execution`, in order; `record`, `spend` and `calls` are JSON text. */
export interface FinishCall {
  tenant: string;
  id: string;
  agent: string;
  status: string;
  started: string;
  finished: string;
  record: string;
  lease: string;
  spend: string;
  at: number;
  calls: string;
  channel: string;
  key: string;
}

/** The indexes of `calls` in tenant order, ties in arrival order. */
function tenantOrder(calls: readonly { tenant: string }[]): number[] {
  return calls
    .map((_, index) => index)
    .sort((a, b) => {
      const left = (calls[a] as { tenant: string }).tenant;
      const right = (calls[b] as { tenant: string }).tenant;
      return left < right ? -1 : left > right ? 1 : a - b;
    });
}

/** Sends `calls` in tenant order through `send`, and answers in the callers' order. */
async function inTenantOrder<TCall extends { tenant: string }, TAnswer>(
  calls: readonly TCall[],
  send: (ordered: TCall[]) => Promise<Record<string, unknown>[]>,
): Promise<TAnswer[]> {
  const order = tenantOrder(calls);
  const rows = await send(order.map((index) => calls[index] as TCall));
  const answers = new Array<TAnswer>(calls.length);
  let answered = 0;
  for (const row of rows) {
    const index = order[Number(row.idx)];
    if (index === undefined) continue;
    answers[index] = row.answer as TAnswer;
    answered += 1;
  }
  if (answered !== calls.length) throw new Error(`a batch of ${calls.length} runs answered ${answered}`);
  return answers;
}

/**
 * A value as a JSON string, as the single statement's parameter would be sent: numbers too, so
 * the batch casts them in SQL and refuses what the single statement refuses (`NaN`, `1.5` for an
 * integer) rather than reading `null`; `undefined` as `null`.
 */
function text(value: unknown): string {
  return value === undefined || value === null ? 'null' : JSON.stringify(String(value));
}

function acquireArguments(call: AcquireCall): string {
  return (
    `{"tenant":${text(call.tenant)},"execution":${text(call.execution)},"lease":${text(call.lease)},` +
    `"now":${text(call.now)},"expires":${text(call.expires)},"limit":${text(call.limit)},` +
    `"budgets":${JSON.stringify(call.budgets)},"run":${jsonAsString(JSON.stringify(call.run))}}`
  );
}

function finishArguments(call: FinishCall): string {
  // The record and the events are JSON already (serialized once, by the caller): the record goes as
  // a string of its text (see jsonAsString), the calls as they are (their events are strings already).
  return (
    `{"tenant":${text(call.tenant)},"id":${text(call.id)},"agent":${text(call.agent)},` +
    `"status":${text(call.status)},"started":${text(call.started)},"finished":${text(call.finished)},` +
    `"record":${jsonAsString(call.record)},"lease":${text(call.lease)},"spend":${call.spend},"at":${text(call.at)},` +
    `"calls":${call.calls},"channel":${text(call.channel)},"key":${text(call.key)}}`
  );
}

/** `acquire_lease`, grouped under load; answers its text answer. */
export function createAcquireStatement(pool: PostgresPool, schema: string, batching: HotStatementBatching) {
  const batcher = createStatementBatcher<AcquireCall, string>({
    ...batching,
    async single(call) {
      const { rows } = await pool.query(
        `select ${schema}.acquire_lease($1, $2, $3, $4, $5, $6, $7::json, $8::json) as answer`,
        [
          call.tenant,
          call.execution,
          call.lease,
          call.now,
          call.expires,
          call.limit,
          JSON.stringify(call.budgets),
          JSON.stringify(call.run),
        ],
      );
      return String(rows[0]?.answer);
    },
    batch: (calls) =>
      inTenantOrder<AcquireCall, string>(calls, async (ordered) => {
        const { rows } = await pool.query(`select idx, answer from ${schema}.acquire_leases($1::json)`, [
          `[${ordered.map(acquireArguments).join(',')}]`,
        ]);
        return rows;
      }).then((answers) => answers.map(String)),
  });
  return batcher.call;
}

/** `finish_execution`, grouped under load (one group per pool); answers its JSON answer, parsed. */
export function createFinishStatement(schema: string, batching: HotStatementBatching) {
  const batchers = new WeakMap<PostgresPool, ReturnType<typeof createStatementBatcher<FinishCall, unknown>>>();
  const parsed = (answer: unknown) => (typeof answer === 'string' ? JSON.parse(answer) : answer);

  function batcherOf(pool: PostgresPool) {
    let batcher = batchers.get(pool);
    if (batcher === undefined) {
      batcher = createStatementBatcher<FinishCall, unknown>({
        ...batching,
        async single(call) {
          const { rows } = await pool.query(
            `select ${schema}.finish_execution($1, $2, $3, $4, $5, $6, $7::json, $8, $9::json, $10, $11::json, $12, $13) as answer`,
            [
              call.tenant,
              call.id,
              call.agent,
              call.status,
              call.started,
              call.finished,
              call.record,
              call.lease,
              call.spend,
              call.at,
              call.calls,
              call.channel,
              call.key,
            ],
          );
          return parsed(rows[0]?.answer);
        },
        batch: (calls) =>
          inTenantOrder<FinishCall, unknown>(calls, async (ordered) => {
            const { rows } = await pool.query(`select idx, answer from ${schema}.finish_executions($1::json)`, [
              `[${ordered.map(finishArguments).join(',')}]`,
            ]);
            return rows;
          }).then((answers) => answers.map(parsed)),
      });
      batchers.set(pool, batcher);
    }
    return batcher;
  }

  return (pool: PostgresPool, call: FinishCall) => batcherOf(pool).call(call);
}
