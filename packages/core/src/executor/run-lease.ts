import type { ExecutionMode } from '../agent';
import { type Budget, checkBudget, type Lease, type RunningExecution } from '../coordinator';
import { AgentryError } from '../errors';
import type { TenantContext } from '../tenant';
import type { ExecutorContext } from './executor-context';
import type { ExecutionEvent, ExecutionEventEntry, ExecutionResult } from './types';

// One run's side of the coordinator: its lease (taken before the run, renewed while it lives,
// released after it with its spend), the cancel requests that reach it from any instance, and
// its event log. Everything here runs once or per event; nothing waits on the run's hot path
// except `acquire` before it and `release` after it.

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A run's hold on the coordinator, from `acquireRunLease` to `end`. */
export interface RunLease {
  readonly lease: Lease;
  /**
   * The run's signal (its controller's): aborted when a cancel is requested from anywhere, or
   * by the caller's own signal, both as `cancelled`.
   */
  readonly signal: AbortSignal;
  /**
   * Appends the run's next event to its log (ids 1, 2, 3, …), without waiting. Events logged in
   * one synchronous stretch go to the coordinator as one `appendEvents` call, in order.
   */
  log(event: ExecutionEvent): void;
  /** Resolves once every event logged so far is stored (or failed); `undefined` when none is pending. */
  logged(): Promise<void> | undefined;
  /** Stops renewing, waits for the log, settles the budgets and releases the lease. Never throws. */
  end(result: ExecutionResult | undefined): Promise<void>;
}

/** The budgets that apply to a run of this tenant in this mode (a throwing function refuses the run). */
export function budgetsFor(context: ExecutorContext, tenant: TenantContext, mode: ExecutionMode): readonly Budget[] {
  const option = context.options.limits?.budgets;
  if (option === undefined) return [];
  let budgets: readonly Budget[] | undefined;
  try {
    budgets = typeof option === 'function' ? option(tenant) : option;
  } catch (thrown) {
    throw context.report.error('limits.budgets', thrown, "The host's budgets function failed", {
      tenant_id: tenant.tenantId,
    });
  }
  if (budgets === undefined) return [];
  if (!Array.isArray(budgets)) {
    throw context.report.error(
      'limits.budgets',
      new TypeError('limits.budgets must be an array of budgets (or a function answering one).'),
      'The budgets are misconfigured',
      { tenant_id: tenant.tenantId },
    );
  }
  return budgets.filter((budget, index) => {
    try {
      checkBudget(budget, `limits.budgets[${index}]`);
    } catch (thrown) {
      throw context.report.error('limits.budgets', thrown, 'The budgets are misconfigured', {
        tenant_id: tenant.tenantId,
      });
    }
    return (budget.modes ?? ['live']).includes(mode);
  });
}

/**
 * Takes the run's lease (concurrency slot, budgets, registry) and arms its renewal and cancel:
 * the caller's signal and cancel requests abort the run's own `controller` (one per run).
 */
export async function acquireRunLease(
  context: ExecutorContext,
  run: RunningExecution,
  budgets: readonly Budget[],
  callerSignal: AbortSignal | undefined,
  controller: AbortController,
): Promise<RunLease> {
  const { coordinator, logger } = context;
  const fields = { tenant_id: run.tenantId, execution_id: run.executionId };
  let lease = await coordinator.acquire({ run, limit: context.policy.concurrencyPerTenant, budgets });
  // A cancel, from the caller or from anywhere, reads the same on the record.
  const cancel = () =>
    controller.abort(
      new AgentryError('cancelled', 'The execution was cancelled by its caller.', { executionId: run.executionId }),
    );
  if (callerSignal?.aborted) cancel();
  else callerSignal?.addEventListener('abort', cancel, { once: true });
  const stopCancel = coordinator.onCancelRequested(lease, cancel);

  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const renewEvery = Math.max(1, Math.floor(coordinator.leaseTtlMs / 3));
  const scheduleRenewal = () => {
    timer = setTimeout(async () => {
      try {
        const renewed = await coordinator.renew(lease);
        if (renewed === undefined) {
          // Reclaimed as interrupted elsewhere: this run finishes, and its record replaces that one.
          logger.warn('agentry.coordinator.lease_lost', fields);
          return;
        }
        lease = renewed;
      } catch (error) {
        logger.error('agentry.coordinator.renew_failed', { ...fields, error_message: messageOf(error) });
      }
      if (!ended) scheduleRenewal();
    }, renewEvery);
    // A renewal never keeps a Node process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  };
  scheduleRenewal();

  let nextId = 0;
  let appendFailed = false;
  // Appends in flight, and who waits for them to settle (`end`): a counter, not a set of
  // promises, so an append costs one reaction.
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const settled = () => {
    inFlight -= 1;
    if (inFlight === 0 && drained.length > 0) {
      const waiting = drained;
      drained = [];
      for (const resolve of waiting) resolve();
    }
  };
  // Flushes what is pending and resolves once every append made so far has settled.
  const drain = (): Promise<void> | undefined => {
    flush();
    if (inFlight === 0) return undefined;
    return new Promise<void>((resolve) => {
      drained.push(resolve);
    });
  };
  const failed = (error: unknown) => {
    // Once per run: a broken log must not flood the logs, nor break the run.
    if (!appendFailed)
      logger.error('agentry.coordinator.append_failed', { ...fields, error_message: messageOf(error) });
    appendFailed = true;
    settled();
  };
  // Entries logged since the last flush; flushed at the end of this synchronous stretch.
  let pending: ExecutionEventEntry[] | undefined;
  const flush = () => {
    const entries = pending;
    pending = undefined;
    if (entries === undefined) return;
    inFlight += 1;
    try {
      coordinator.appendEvents(run.tenantId, run.executionId, entries).then(settled, failed);
    } catch (error) {
      failed(error);
    }
  };
  return {
    get lease() {
      return lease;
    },
    signal: controller.signal,
    log(event) {
      nextId += 1;
      if (pending === undefined) {
        pending = [];
        // A resolved promise's reaction, not queueMicrotask: Node wraps the latter in an async
        // resource, which costs more than the append it batches.
        void Promise.resolve().then(flush);
      }
      pending.push({ id: nextId, event });
    },
    logged() {
      return drain();
    },
    async end(result) {
      ended = true;
      if (timer !== undefined) clearTimeout(timer);
      stopCancel();
      callerSignal?.removeEventListener('abort', cancel);
      await drain();
      const settlement =
        result !== undefined && budgets.length > 0
          ? {
              budgets,
              spend: {
                tokens: (result.metrics.inputTokens ?? 0) + (result.metrics.outputTokens ?? 0),
                costUsd: result.metrics.costUsd ?? 0,
              },
            }
          : undefined;
      try {
        await coordinator.release(lease, settlement);
      } catch (error) {
        logger.error('agentry.coordinator.release_failed', { ...fields, error_message: messageOf(error) });
      }
    },
  };
}
