import type { Budget, Lease } from '@agentry/core';
import { executionKey } from './coordinator-failure';

// The runs this instance holds a lease for: who listens for their cancel, whether a cancel was
// seen, and what the finish needs (the budgets to settle). Cancels reach them by NOTIFY (`seen`),
// by the flag read back on renewal, or by the poll (`poll`, one statement for all of this
// instance's runs), whichever comes first.

/** One run of this instance, from `acquire` (or the first `onCancelRequested`) to `release`. */
export interface LocalRun {
  lease: Lease;
  /** The budgets the run was checked with, settled by the finish. */
  budgets: readonly Budget[];
  listeners: Set<() => void>;
  cancelled: boolean;
  /** Registered by `acquire` here: with LISTEN on, a cancel since then has been heard. */
  acquiredHere: boolean;
  /** Released with its record by the store's finish (`finish_execution`): `release` has nothing left to do. */
  finished: boolean;
}

/** Options of {@link createLocalRuns}. */
export interface LocalRunsOptions {
  /** Reads a lease's cancel flag from the database. */
  readCancelFlag: (lease: Lease) => Promise<boolean>;
  /** Reads the cancel flags of many leases in one statement: the ids of those flagged. */
  readCancelFlags: (leases: readonly Lease[]) => Promise<Set<string>>;
  /** How often the flags are polled while a run listens; 0: never. */
  pollIntervalMs: number;
}

export function createLocalRuns(options: LocalRunsOptions) {
  const runs = new Map<string, LocalRun>();
  let timer: ReturnType<typeof setInterval> | undefined;

  function seen(key: string): void {
    const run = runs.get(key);
    if (run === undefined) return;
    run.cancelled = true;
    for (const listener of [...run.listeners]) listener();
  }

  async function poll(): Promise<void> {
    const open = [...runs].filter(([, run]) => !run.cancelled && !run.finished);
    if (open.length === 0) return;
    const flagged = await options.readCancelFlags(open.map(([, run]) => run.lease));
    for (const [key, run] of open) if (flagged.has(run.lease.id)) seen(key);
  }

  function startPolling(): void {
    if (timer !== undefined || options.pollIntervalMs <= 0) return;
    timer = setInterval(() => {
      poll().catch(() => undefined);
    }, options.pollIntervalMs);
    (timer as { unref?: () => void }).unref?.();
  }

  return {
    /** Registers a run acquired here, before its lease exists: a NOTIFY that arrives first is kept. */
    add(lease: Lease, budgets: readonly Budget[]): LocalRun {
      const run: LocalRun = {
        lease,
        budgets,
        listeners: new Set(),
        cancelled: false,
        acquiredHere: true,
        finished: false,
      };
      runs.set(executionKey(lease.tenantId, lease.executionId), run);
      return run;
    },
    /** This instance's run holding this lease (the same lease id), if any. */
    holding(lease: Lease): LocalRun | undefined {
      const run = runs.get(executionKey(lease.tenantId, lease.executionId));
      return run?.lease.id === lease.id ? run : undefined;
    },
    /** This instance's run of this execution, if any. */
    of(tenantId: string, executionId: string): LocalRun | undefined {
      return runs.get(executionKey(tenantId, executionId));
    },
    /** Forgets the run, if it is still the one registered under its key. */
    remove(run: LocalRun): void {
      const key = executionKey(run.lease.tenantId, run.lease.executionId);
      if (runs.get(key) === run) runs.delete(key);
    },
    seen,
    poll,
    /**
     * Calls `listener` when a cancel is seen for the lease's run (at once if one was). A lease
     * this instance did not acquire (or any, without LISTEN) has its flag read once, so a cancel
     * requested before anyone listened still arrives.
     */
    onCancel(lease: Lease, listener: () => void, listening: boolean): () => void {
      const key = executionKey(lease.tenantId, lease.executionId);
      let run = runs.get(key);
      if (run === undefined || run.lease.id !== lease.id) {
        run = { lease, budgets: [], listeners: new Set(), cancelled: false, acquiredHere: false, finished: false };
        runs.set(key, run);
      }
      const held = run;
      held.listeners.add(listener);
      startPolling();
      if (held.cancelled) listener();
      else if (!listening || !held.acquiredHere) {
        options
          .readCancelFlag(lease)
          .then((flagged) => {
            if (flagged && held.listeners.has(listener) && !held.cancelled) seen(key);
          })
          .catch(() => undefined);
      }
      return () => {
        held.listeners.delete(listener);
      };
    },
    close(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      runs.clear();
    },
  };
}

export type LocalRuns = ReturnType<typeof createLocalRuns>;
