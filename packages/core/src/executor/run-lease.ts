import type { ExecutionMode } from '../agent';
import {
  type Budget,
  type Coordinator,
  checkBudget,
  type Lease,
  type LeaseRequest,
  type LocalEventLog,
  type RunningExecution,
  type Settlement,
} from '../coordinator';
import { AgentryError } from '../errors';
import type { TenantContext } from '../tenant';
import type { ExecutorContext } from './executor-context';
import type { RenewableLease } from './lease-renewals';
import type { RunAbort } from './run-abort';
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
   * Appends the run's next event to its log (ids 1, 2, 3, …), without waiting. Events logged in
   * one synchronous stretch go to the coordinator as one `appendEvents` call, in order.
   */
  log(event: ExecutionEvent): void;
  /** Resolves once every event logged so far is stored (or failed); `undefined` when none is pending. */
  logged(): Promise<void> | undefined;
  /**
   * Stops renewing, waits for the log, settles the budgets and releases the lease. Never throws;
   * `undefined` when it finished at once (nothing to wait for, an in-process coordinator).
   */
  end(result: ExecutionResult | undefined): Promise<void> | undefined;
}

const NO_BUDGETS: readonly Budget[] = Object.freeze([]);

/** The budgets that apply to a run of this tenant in this mode (a throwing function refuses the run). */
export function budgetsFor(context: ExecutorContext, tenant: TenantContext, mode: ExecutionMode): readonly Budget[] {
  const option = context.options.limits?.budgets;
  if (option === undefined) return NO_BUDGETS;
  let budgets: readonly Budget[] | undefined;
  try {
    budgets = typeof option === 'function' ? option(tenant) : option;
  } catch (thrown) {
    throw context.report.error('limits.budgets', thrown, "The host's budgets function failed", {
      tenant_id: tenant.tenantId,
    });
  }
  if (budgets === undefined) return NO_BUDGETS;
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

/** One run's lease, log and cancel wiring; see {@link RunLease}. */
class RunLeaseHandle implements RunLease, RenewableLease {
  lease: Lease;
  /** When the lease was taken or last renewed (`Date.now()`). */
  renewedAt: number;
  renewalSlot = -1;
  readonly #context: ExecutorContext;
  readonly #run: RunningExecution;
  readonly #budgets: readonly Budget[];
  readonly #callerSignal: AbortSignal | undefined;
  readonly #cancel: () => void;
  readonly #stopCancel: () => void;
  #renewing = false;
  #nextId = 0;
  #appendFailed = false;
  // Appends in flight, and who waits for them to settle (`end`): a counter, not a set of
  // promises, so an append costs one reaction.
  #inFlight = 0;
  #drained: (() => void)[] | undefined = undefined;
  // Entries logged since the last flush; flushed at the end of this synchronous stretch.
  #pending: ExecutionEventEntry[] | undefined = undefined;
  // On the in-process coordinator, the log appended to at once (no batch, no promise).
  readonly #local: LocalEventLog | undefined;
  // The batched path's callbacks, made on its first use (the in-process fast path needs none).
  #flush: (() => void) | undefined = undefined;
  #settled: (() => void) | undefined = undefined;
  #failed: ((error: unknown) => void) | undefined = undefined;

  /**
   * `cancel` aborts the run (see {@link cancelOf}); `listening`: the coordinator already calls it
   * on a cancel request (the in-process one, given it with the lease).
   */
  constructor(
    context: ExecutorContext,
    run: RunningExecution,
    lease: Lease,
    budgets: readonly Budget[],
    callerSignal: AbortSignal | undefined,
    cancel: () => void,
    listening: boolean,
  ) {
    this.#context = context;
    this.#run = run;
    this.lease = lease;
    this.renewedAt = Date.now();
    this.#budgets = budgets;
    this.#callerSignal = callerSignal;
    this.#cancel = cancel;
    if (callerSignal?.aborted) cancel();
    else callerSignal?.addEventListener('abort', cancel, { once: true });
    this.#stopCancel = listening ? noop : context.coordinator.onCancelRequested(lease, cancel);
    this.#local = context.localEventLogs?.(run.tenantId, run.executionId);
    context.renewals.add(this);
  }

  #fields() {
    return { tenant_id: this.#run.tenantId, execution_id: this.#run.executionId };
  }

  async renew(coordinator: Coordinator, at: number): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    this.renewedAt = at;
    try {
      const renewed = await coordinator.renew(this.lease);
      if (renewed === undefined) {
        // Reclaimed as interrupted elsewhere: this run finishes, and its record replaces that one.
        this.#context.logger.warn('agentry.coordinator.lease_lost', this.#fields());
        this.#context.renewals.delete(this);
        return;
      }
      this.lease = renewed;
    } catch (error) {
      this.#context.logger.error('agentry.coordinator.renew_failed', {
        ...this.#fields(),
        error_message: messageOf(error),
      });
    } finally {
      this.#renewing = false;
    }
  }

  #settle(): void {
    this.#inFlight -= 1;
    const waiting = this.#drained;
    if (this.#inFlight === 0 && waiting !== undefined) {
      this.#drained = undefined;
      for (const resolve of waiting) resolve();
    }
  }

  #fail(error: unknown): void {
    this.#reportAppendFailure(error);
    this.#settle();
  }

  #reportAppendFailure(error: unknown): void {
    // Once per run: a broken log must not flood the logs, nor break the run.
    if (!this.#appendFailed)
      this.#context.logger.error('agentry.coordinator.append_failed', {
        ...this.#fields(),
        error_message: messageOf(error),
      });
    this.#appendFailed = true;
  }

  #flushPending(): void {
    const entries = this.#pending;
    this.#pending = undefined;
    if (entries === undefined) return;
    this.#inFlight += 1;
    try {
      this.#settled ??= () => this.#settle();
      this.#failed ??= (error: unknown) => this.#fail(error);
      this.#context.coordinator
        .appendEvents(this.#run.tenantId, this.#run.executionId, entries)
        .then(this.#settled, this.#failed);
    } catch (error) {
      this.#fail(error);
    }
  }

  log(event: ExecutionEvent): void {
    this.#nextId += 1;
    if (this.#local !== undefined) {
      try {
        this.#local.append(this.#nextId, event);
      } catch (error) {
        this.#reportAppendFailure(error);
      }
      return;
    }
    if (this.#pending === undefined) {
      this.#pending = [];
      // A resolved promise's reaction, not queueMicrotask: Node wraps the latter in an async
      // resource, which costs more than the append it batches.
      this.#flush ??= () => this.#flushPending();
      void Promise.resolve().then(this.#flush);
    }
    this.#pending.push({ id: this.#nextId, event });
  }

  logged(): Promise<void> | undefined {
    // Flushes what is pending and resolves once every append made so far has settled.
    this.#flushPending();
    if (this.#inFlight === 0) return undefined;
    return new Promise<void>((resolve) => {
      if (this.#drained === undefined) this.#drained = [resolve];
      else this.#drained.push(resolve);
    });
  }

  end(result: ExecutionResult | undefined): Promise<void> | undefined {
    this.#context.renewals.delete(this);
    this.#stopCancel();
    this.#callerSignal?.removeEventListener('abort', this.#cancel);
    const logging = this.logged();
    const local = this.#context.localLeases;
    if (logging === undefined && local !== undefined) {
      try {
        local.release(this.lease, this.#settlement(result));
      } catch (error) {
        this.#releaseFailed(error);
      }
      return undefined;
    }
    return this.#release(logging, result);
  }

  async #release(logging: Promise<void> | undefined, result: ExecutionResult | undefined): Promise<void> {
    if (logging !== undefined) await logging;
    try {
      await this.#context.coordinator.release(this.lease, this.#settlement(result));
    } catch (error) {
      this.#releaseFailed(error);
    }
  }

  #settlement(result: ExecutionResult | undefined): Settlement | undefined {
    const budgets = this.#budgets;
    return result !== undefined && budgets.length > 0
      ? {
          budgets,
          spend: {
            tokens: (result.metrics.inputTokens ?? 0) + (result.metrics.outputTokens ?? 0),
            costUsd: result.metrics.costUsd ?? 0,
          },
        }
      : undefined;
  }

  #releaseFailed(error: unknown): void {
    this.#context.logger.error('agentry.coordinator.release_failed', {
      ...this.#fields(),
      error_message: messageOf(error),
    });
  }
}

const noop = (): void => {};

/** Aborts the run: a cancel, from the caller or from anywhere, reads the same on the record. */
function cancelOf(controller: RunAbort, executionId: string): () => void {
  return () =>
    controller.abort(new AgentryError('cancelled', 'The execution was cancelled by its caller.', { executionId }));
}

/**
 * Takes the run's lease (concurrency slot, budgets, registry) and arms its renewal and cancel:
 * the caller's signal and cancel requests abort the run's own `controller` (one per run).
 */
export function acquireRunLease(
  context: ExecutorContext,
  run: RunningExecution,
  budgets: readonly Budget[],
  callerSignal: AbortSignal | undefined,
  controller: RunAbort,
): RunLease | Promise<RunLease> {
  const request = { run, limit: context.policy.concurrencyPerTenant, budgets };
  // The in-process coordinator answers at once (or throws the refusal): no promise.
  if (context.localLeases !== undefined) {
    const cancel = cancelOf(controller, run.executionId);
    const lease = context.localLeases.acquire(request, cancel);
    return new RunLeaseHandle(context, run, lease, budgets, callerSignal, cancel, true);
  }
  return acquireAsync(context, request, callerSignal, controller);
}

async function acquireAsync(
  context: ExecutorContext,
  request: LeaseRequest,
  callerSignal: AbortSignal | undefined,
  controller: RunAbort,
): Promise<RunLease> {
  const lease = await context.coordinator.acquire(request);
  const cancel = cancelOf(controller, request.run.executionId);
  return new RunLeaseHandle(context, request.run, lease, request.budgets, callerSignal, cancel, false);
}
