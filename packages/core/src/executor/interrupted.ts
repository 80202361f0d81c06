import type { InterruptedRun } from '../coordinator';
import { AgentryError, serializeError } from '../errors';
import type { ExecutionMetrics, Usage } from '../metrics';
import { mergeUsage, unknownUsage } from '../metrics/usage';
import { type ExecutionEventEntry, isTerminalEvent } from '../protocol';
import { terminalEventOf } from './execution-events';
import type { ExecutorContext, InterruptedSweeper } from './executor-context';
import type { FailedExecution } from './types';

// Runs whose instance died: their leases expired, the coordinator hands each to one instance,
// which writes its record (`failed`, code `interrupted`) and ends its event log, so no run is
// left "running" and no reader waits forever.

function interruptedRecord(context: ExecutorContext, interrupted: InterruptedRun, entries: ExecutionEventEntry[]) {
  const { run, expiredAt } = interrupted;
  let text = '';
  let usage: Usage = unknownUsage();
  let usageReported = false;
  for (const { event } of entries) {
    if (event.type === 'output-delta') text += event.delta;
    else if (event.type === 'usage') {
      usage = mergeUsage(usage, event.usage);
      usageReported = true;
    }
  }
  const tenant = run.userId === undefined ? { tenantId: run.tenantId } : { tenantId: run.tenantId, userId: run.userId };
  const metrics: ExecutionMetrics = {
    durationMs: Math.max(0, expiredAt - Date.parse(run.startedAt)) || 0,
    timeToFirstOutputMs: null,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: usageReported ? context.priceOf(run.model, usage, tenant, run.executionId) : null,
    provider: run.provider,
    model: run.model,
    attempts: 1,
    simulated: run.mode === 'mock',
  };
  const expiredIso = new Date(expiredAt).toISOString();
  const error = new AgentryError(
    'interrupted',
    `The instance running this execution stopped before it finished (its lease expired at ${expiredIso}). Run it again.`,
    { executionId: run.executionId },
  );
  const record: FailedExecution = {
    id: run.executionId,
    agentId: run.agentId,
    mode: run.mode,
    requestedMode: run.requestedMode,
    tenantId: run.tenantId,
    ...(run.userId === undefined ? {} : { userId: run.userId }),
    input: run.input,
    metrics,
    startedAt: run.startedAt,
    finishedAt: expiredIso,
    status: 'failed',
    output: text === '' ? null : context.redactor.redactString(text),
    error: serializeError(error),
  };
  return record;
}

async function recordInterrupted(context: ExecutorContext, interrupted: InterruptedRun): Promise<boolean> {
  const { coordinator, store, logger } = context;
  const { run } = interrupted;
  const fields = { tenant_id: run.tenantId, execution_id: run.executionId, agent_id: run.agentId };
  try {
    // A run that did finish (its record saved) but could not release its lease keeps its record.
    if ((await store.get(run.tenantId, run.executionId)) !== undefined) return false;
    const entries = (await coordinator.readEvents(run.tenantId, run.executionId, 0)) ?? [];
    const last = entries.at(-1);
    if (last !== undefined && isTerminalEvent(last.event)) return false;
    const record = interruptedRecord(context, interrupted, entries);
    await store.save(record);
    await coordinator.appendEvents(run.tenantId, run.executionId, [
      {
        id: (last?.id ?? 0) + 1,
        event: terminalEventOf(record),
      },
    ]);
    logger.warn('agentry.execution.interrupted', {
      ...fields,
      mode: run.mode,
      provider: run.provider,
      model: run.model,
      status: 'failed',
      error_code: 'interrupted',
    });
    return true;
  } catch (error) {
    logger.error('agentry.execution.interrupted_record_failed', {
      ...fields,
      error_message: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}

export function createInterruptedSweeper(context: () => ExecutorContext): InterruptedSweeper {
  let lastSweep = Number.NEGATIVE_INFINITY;
  let running: Promise<number> | undefined;
  const interval = () => Math.max(1, Math.floor(context().coordinator.leaseTtlMs / 2));
  return {
    due() {
      return Date.now() - lastSweep >= interval();
    },
    async sweep(force) {
      const current = context();
      const at = Date.now();
      if (!force && at - lastSweep < interval()) return 0;
      // One sweep at a time per executor: concurrent callers share it.
      if (running !== undefined) return running;
      lastSweep = at;
      running = (async () => {
        try {
          const expired = await current.coordinator.reclaimExpired();
          let recorded = 0;
          for (const interrupted of expired) if (await recordInterrupted(current, interrupted)) recorded += 1;
          return recorded;
        } catch (error) {
          current.logger.error('agentry.coordinator.reclaim_failed', {
            error_message: error instanceof Error ? error.message : String(error),
          });
          return 0;
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
  };
}
