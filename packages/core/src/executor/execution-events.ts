import { AgentryError } from '../errors';
import { type ExecutionEventEntry, isTerminalEvent } from '../protocol';
import { assertTenant, type TenantContext } from '../tenant';
import type { ExecutorContext } from './executor-context';
import type { ExecutionEvent, ExecutionEventsOptions, ExecutionResult } from './types';

// Reading an execution from anywhere: its events as they are logged (resumable by id), and
// cancelling it on whichever instance runs it. Both go through the coordinator only; the run
// itself never waits on a reader.

function notFound(executionId: unknown): AgentryError {
  return new AgentryError('not_found', `No execution "${String(executionId)}" in this workspace.`);
}

/** This tenant's record of an execution, or `undefined` (the store is trusted to filter, and checked anyway). */
export async function readRecord(
  context: ExecutorContext,
  tenant: TenantContext,
  executionId: string,
): Promise<ExecutionResult | undefined> {
  let record: ExecutionResult | undefined;
  try {
    record = await context.store.get(tenant.tenantId, executionId);
  } catch (thrown) {
    throw context.report.error('store.get', thrown, 'The execution store failed to read an execution', {
      tenant_id: tenant.tenantId,
    });
  }
  return record?.tenantId === tenant.tenantId ? record : undefined;
}

/**
 * The final event of a finished execution, from its record: what a run logs last, and what a
 * reader gets when the log has expired (the PostgreSQL coordinator's `finalEventOf` mirrors it).
 */
export function terminalEventOf(record: ExecutionResult): ExecutionEvent {
  return record.status === 'succeeded'
    ? { type: 'execution-finish', executionId: record.id, result: record }
    : { type: 'execution-error', executionId: record.id, error: record.error, result: record };
}

function checkLastEventId(lastEventId: unknown): number {
  if (lastEventId === undefined) return 0;
  if (typeof lastEventId === 'number' && Number.isSafeInteger(lastEventId) && lastEventId >= 0) return lastEventId;
  throw new AgentryError(
    'validation_failed',
    `lastEventId (the Last-Event-ID header) must be an integer ≥ 0, the id of the last event received; got ${JSON.stringify(lastEventId)}.`,
    { issues: [{ path: ['Last-Event-ID'], message: 'Expected an event id: an integer ≥ 0.' }] },
  );
}

/** Waits until entries may have been appended, the poll interval passed, or the reader stopped. */
function waitForAppend(
  wakeUp: { pending: boolean; resolve: (() => void) | undefined },
  pollMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (wakeUp.pending || signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      wakeUp.resolve = undefined;
      resolve();
    };
    const timer = setTimeout(done, pollMs);
    signal?.addEventListener('abort', done, { once: true });
    wakeUp.resolve = done;
  });
}

/**
 * An execution's events after `lastEventId`, then the rest as they are logged, ending after the
 * final one. See {@link import('./types').Executor.events}.
 */
export async function* executionEvents(
  context: ExecutorContext,
  tenant: TenantContext,
  executionId: string,
  options: ExecutionEventsOptions = {},
): AsyncGenerator<ExecutionEventEntry> {
  assertTenant(tenant);
  if (typeof executionId !== 'string' || executionId === '') throw notFound(executionId);
  let after = checkLastEventId(options?.lastEventId);
  const signal = options?.signal;
  const { coordinator, sweeper } = context;
  const { tenantId } = tenant;
  const wakeUp: { pending: boolean; resolve: (() => void) | undefined } = { pending: false, resolve: undefined };
  // Subscribed before the first read, so nothing appended in between is missed.
  const unsubscribe = coordinator.onEventsAppended(tenantId, executionId, () => {
    wakeUp.pending = true;
    wakeUp.resolve?.();
  });
  const pollMs = Math.max(50, Math.floor(coordinator.leaseTtlMs / 3));
  try {
    while (!signal?.aborted) {
      wakeUp.pending = false;
      let entries = await coordinator.readEvents(tenantId, executionId, after);
      if (entries === undefined) {
        // No log: finished long ago (its log expired), interrupted and not yet recorded, or unknown.
        const record =
          (await readRecord(context, tenant, executionId)) ?? (await sweepThenRead(context, tenant, executionId));
        if (record !== undefined) {
          yield { id: after + 1, event: terminalEventOf(record) };
          return;
        }
        entries = await coordinator.readEvents(tenantId, executionId, after);
        if (entries === undefined) throw notFound(executionId);
      }
      for (const entry of entries) {
        yield entry;
        after = entry.id;
        if (isTerminalEvent(entry.event)) return;
      }
      if (entries.length > 0) continue;
      // Nothing after `after`. Only a caller's Last-Event-ID gets here with a finished log: it
      // either has every event already, or names one past the end.
      const last = (await coordinator.readEvents(tenantId, executionId, 0))?.at(-1);
      if (last !== undefined && isTerminalEvent(last.event)) {
        if (last.id === after) return;
        // Appended between the two reads (another instance's log is written concurrently).
        if (last.id > after) continue;
        throw new AgentryError(
          'validation_failed',
          `Last-Event-ID ${after} is past the last event (${last.id}) of execution "${executionId}". Resume with the id of an event you received, or without one to replay from the start.`,
          { issues: [{ path: ['Last-Event-ID'], message: `At most ${last.id}.` }] },
        );
      }
      await waitForAppend(wakeUp, pollMs, signal);
      // A quiet log may belong to a dead instance: record it as interrupted (throttled), which ends the log.
      if (!wakeUp.pending) await sweeper.sweep(false);
    }
  } finally {
    unsubscribe();
  }
}

async function sweepThenRead(
  context: ExecutorContext,
  tenant: TenantContext,
  executionId: string,
): Promise<ExecutionResult | undefined> {
  if ((await context.sweeper.sweep(true)) === 0) return undefined;
  return readRecord(context, tenant, executionId);
}

/** Cancels one of this tenant's executions wherever it runs; see {@link import('./types').Executor.cancel}. */
export async function cancelExecution(
  context: ExecutorContext,
  tenant: TenantContext,
  executionId: string,
): Promise<ExecutionResult> {
  assertTenant(tenant);
  if (typeof executionId !== 'string' || executionId === '') throw notFound(executionId);
  const stored = await readRecord(context, tenant, executionId);
  if (stored !== undefined) return stored;
  let requested: boolean;
  try {
    requested = await context.coordinator.requestCancel(tenant.tenantId, executionId);
  } catch (thrown) {
    throw context.report.error('coordinator.requestCancel', thrown, 'The coordinator failed to request a cancel', {
      tenant_id: tenant.tenantId,
    });
  }
  if (!requested) {
    // It may have finished in between, or died without a record yet.
    const finished =
      (await readRecord(context, tenant, executionId)) ?? (await sweepThenRead(context, tenant, executionId));
    if (finished !== undefined) return finished;
    throw notFound(executionId);
  }
  // The run ends soon after the request (or its lease expires and it is recorded as interrupted).
  let lastId = 0;
  for await (const entry of executionEvents(context, tenant, executionId, {})) {
    lastId = entry.id;
    if (isTerminalEvent(entry.event)) return entry.event.result;
  }
  const record = await readRecord(context, tenant, executionId);
  if (record !== undefined) return record;
  throw new AgentryError(
    'internal',
    `The log of execution "${executionId}" ended at event ${lastId} without a final event.`,
  );
}
