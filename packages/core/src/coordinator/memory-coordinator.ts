import { AgentryError } from '../errors';
import { budgetExceededError, budgetWindowBounds, spentLimit, type WindowSpend } from './budget-window';
import type {
  Budget,
  Coordinator,
  InterruptedRun,
  Lease,
  LeaseRequest,
  RunningExecution,
  Settlement,
} from './coordinator';
import { type LocalEventLog, MemoryEventLogs } from './memory-event-logs';

export type { LocalEventLog };

/** Options for {@link createMemoryCoordinator}. */
export interface MemoryCoordinatorOptions {
  /** How long a lease lives without renewal. @default 30_000 */
  leaseTtlMs?: number;
  /**
   * The clock leases, budget windows and log retention read, in ms since the epoch. Inject one
   * in tests to expire leases or cross a budget window without waiting.
   * @default Date.now
   */
  now?: () => number;
  /** How long a finished execution's event log stays readable (for late resumes). @default 300_000 */
  eventLogRetentionMs?: number;
  /** Finished executions' event logs kept at most; the oldest go first. @default 1000 */
  maxFinishedEventLogs?: number;
}

// Held per running execution; the `Lease` handed out is a separate object, so a caller that
// changes it cannot change the coordinator's state. Listeners are an array made on first use:
// most runs are never cancelled, and have one listener (their own executor's).
interface Held {
  leaseId: string;
  tenantId: string;
  expiresAt: number;
  run: RunningExecution;
  cancelRequested: boolean;
  cancelListeners: (() => void)[] | undefined;
  /** The cancel listener of the run that took the lease in process (no array, nothing to unsubscribe). */
  onCancel: (() => void) | undefined;
  /** Its index in its tenant's list of running executions. */
  slot: number;
}

/**
 * The key of `held`'s one permanent entry. A Map that one run at a time enters and leaves
 * empties on every run, and V8 shrinks (reallocates) an emptied table: a runtime call and a few
 * hundred bytes per run. No execution id (a string) can be this key.
 */
const KEEPS_HELD_FROM_EMPTYING = Symbol('never an execution id');

/** Opens a run's {@link LocalEventLog}. */
export type OpenLocalEventLog = (tenantId: string, executionId: string) => LocalEventLog;

const localLogOpeners = new WeakMap<Coordinator, OpenLocalEventLog>();

/**
 * The executor's fast path on the in-process coordinator: a run appends each event to its log
 * at once, with no batch, promise or copy in between (what `appendEvents` costs a coordinator
 * across instances). Answers `undefined` for any other coordinator — including a wrapper of a
 * memory coordinator, which then sees every append through its own `appendEvents`.
 */
export function localEventLogs(coordinator: Coordinator): OpenLocalEventLog | undefined {
  return localLogOpeners.get(coordinator);
}

/** An in-process coordinator's `acquire` and `release` without their promises (they wait on nothing). */
export interface LocalLeases {
  /**
   * `onCancel` is called on a cancel request while the lease is held, like a listener from
   * `onCancelRequested` that `release` removes.
   */
  acquire(request: LeaseRequest, onCancel?: () => void): Lease;
  release(lease: Lease, settlement: Settlement | undefined): void;
}

const localLeaseTakers = new WeakMap<Coordinator, LocalLeases>();

/**
 * The executor's fast path on the in-process coordinator: a run takes and gives back its lease
 * synchronously. Answers `undefined` for any other coordinator — including a wrapper of a memory
 * coordinator, which then sees every call through its own `acquire` and `release`.
 */
export function localLeases(coordinator: Coordinator): LocalLeases | undefined {
  return localLeaseTakers.get(coordinator);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`createMemoryCoordinator: ${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

/**
 * The in-memory {@link Coordinator}: the executor's default, for one process. Its leases,
 * budgets, cancel requests and event logs live in this process and are lost on restart; share
 * one between executors in one process, or use `@agentry/postgres` across instances.
 */
export function createMemoryCoordinator(options: MemoryCoordinatorOptions = {}): Coordinator {
  const leaseTtlMs = positiveInteger(options.leaseTtlMs ?? 30_000, 'leaseTtlMs');
  const retentionMs = options.eventLogRetentionMs ?? 300_000;
  const maxFinishedLogs = positiveInteger(options.maxFinishedEventLogs ?? 1000, 'maxFinishedEventLogs');
  const now = options.now ?? Date.now;

  const held = new Map<string | symbol, Held | undefined>([[KEEPS_HELD_FROM_EMPTYING, undefined]]); // by execution id
  // Tenant → its executions holding a lease, each at its `slot`: a list, not a Set, for the
  // same reason as the permanent entry above (a tenant's set empties after each of its runs).
  const byTenant = new Map<string, Held[]>();
  const expired: InterruptedRun[] = [];
  const spend = new Map<string, WindowSpend & { start: number }>(); // tenant + window → spend
  const logs = new MemoryEventLogs(now, retentionMs, maxFinishedLogs);
  let leaseCounter = 0;
  const leasePrefix = globalThis.crypto.randomUUID().slice(0, 8);

  function drop(executionId: string): Held | undefined {
    const entry = held.get(executionId);
    if (entry === undefined) return undefined;
    held.delete(executionId);
    // The tenant's last entry takes the dropped one's slot. An emptied list stays for the
    // tenant's next run; `reclaimExpired` removes the empty ones.
    const running = byTenant.get(entry.tenantId) as Held[];
    const last = running.pop() as Held;
    if (last !== entry) {
      running[entry.slot] = last;
      last.slot = entry.slot;
    }
    return entry;
  }

  /** Moves this tenant's (or everyone's) expired leases to the reclaim queue. */
  function expire(at: number, tenantId?: string): void {
    if (tenantId !== undefined) expireAmong(byTenant.get(tenantId), at);
    else for (const running of byTenant.values()) expireAmong(running, at);
  }

  function expireAmong(running: Held[] | undefined, at: number): void {
    if (running === undefined) return;
    // From the end: a drop moves the list's last entry, already visited, into the dropped slot.
    for (let index = running.length - 1; index >= 0; index -= 1) {
      const entry = running[index] as Held;
      if (entry.expiresAt <= at) {
        drop(entry.run.executionId);
        expired.push({ run: entry.run, expiredAt: entry.expiresAt });
      }
    }
  }

  function current(lease: Lease): Held | undefined {
    const entry = held.get(lease.executionId);
    return entry !== undefined && entry.leaseId === lease.id ? entry : undefined;
  }

  function leaseOf(entry: Held): Lease {
    return {
      id: entry.leaseId,
      tenantId: entry.tenantId,
      executionId: entry.run.executionId,
      expiresAt: entry.expiresAt,
    };
  }

  function spendKey(tenantId: string, budget: Budget): string {
    return `${tenantId}\u0000${budget.window}`;
  }

  function spentIn(tenantId: string, budget: Budget, at: number): WindowSpend & { start: number } {
    const { start } = budgetWindowBounds(budget.window, at);
    const key = spendKey(tenantId, budget);
    let entry = spend.get(key);
    if (entry === undefined || entry.start !== start) {
      entry = { start, tokens: 0, costUsd: 0 };
      spend.set(key, entry);
    }
    return entry;
  }

  function acquireNow(request: LeaseRequest, onCancel?: () => void): Lease {
    const { run, limit, budgets } = request;
    const at = now();
    if (held.has(run.executionId)) {
      throw new TypeError(`Coordinator.acquire: execution "${run.executionId}" already holds a lease.`);
    }
    expire(at, run.tenantId);
    let running = byTenant.get(run.tenantId);
    const active = running?.length ?? 0;
    if (active >= limit) {
      throw new AgentryError(
        'limit_exceeded',
        `This tenant already has ${active} executions running (limit ${limit}).`,
        { limit: { kind: 'concurrent_runs', value: limit, unit: 'runs' } },
      );
    }
    for (const budget of budgets) {
      const reached = spentLimit(budget, spentIn(run.tenantId, budget, at));
      if (reached !== undefined) throw budgetExceededError(budget, reached, at);
    }
    leaseCounter += 1;
    const entry: Held = {
      // Unique per acquisition: this coordinator's random prefix (one UUID, not one per lease) and a counter.
      leaseId: `lease_${leasePrefix}_${leaseCounter}`,
      tenantId: run.tenantId,
      expiresAt: at + leaseTtlMs,
      run,
      cancelRequested: false,
      cancelListeners: undefined,
      onCancel,
      slot: active,
    };
    held.set(run.executionId, entry);
    if (running === undefined) {
      running = [];
      byTenant.set(run.tenantId, running);
    }
    running.push(entry);
    return leaseOf(entry);
  }

  function releaseNow(lease: Lease, settlement: Settlement | undefined): void {
    const entry = current(lease);
    if (entry === undefined) return;
    drop(lease.executionId);
    entry.cancelListeners = undefined;
    entry.onCancel = undefined;
    if (settlement === undefined) return;
    const at = now();
    const tokens = Number.isFinite(settlement.spend.tokens) ? Math.max(0, settlement.spend.tokens) : 0;
    const costUsd = Number.isFinite(settlement.spend.costUsd) ? Math.max(0, settlement.spend.costUsd) : 0;
    for (const budget of settlement.budgets) {
      const spent = spentIn(lease.tenantId, budget, at);
      spent.tokens += tokens;
      spent.costUsd += costUsd;
    }
  }

  const coordinator: Coordinator = {
    leaseTtlMs,

    async acquire(request: LeaseRequest): Promise<Lease> {
      return acquireNow(request);
    },

    async renew(lease) {
      const entry = current(lease);
      const at = now();
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= at) {
        expire(at, lease.tenantId);
        return undefined;
      }
      entry.expiresAt = at + leaseTtlMs;
      return leaseOf(entry);
    },

    async release(lease, settlement) {
      releaseNow(lease, settlement);
    },

    async reclaimExpired() {
      expire(now());
      for (const [tenantId, running] of byTenant) if (running.length === 0) byTenant.delete(tenantId);
      return expired.splice(0);
    },

    async requestCancel(tenantId, executionId) {
      const entry = held.get(executionId);
      if (entry === undefined || entry.tenantId !== tenantId) return false;
      if (entry.expiresAt <= now()) return false;
      entry.cancelRequested = true;
      entry.onCancel?.();
      if (entry.cancelListeners !== undefined) for (const listener of [...entry.cancelListeners]) listener();
      return true;
    },

    onCancelRequested(lease, listener) {
      const entry = current(lease);
      if (entry === undefined) return () => undefined;
      if (entry.cancelRequested) listener();
      if (entry.cancelListeners === undefined) entry.cancelListeners = [listener];
      else entry.cancelListeners.push(listener);
      return () => {
        const listeners = entry.cancelListeners;
        if (listeners === undefined) return;
        // Moved down by hand: `splice` makes an array of what it removed, on every run.
        const index = listeners.indexOf(listener);
        if (index < 0) return;
        for (let next = index + 1; next < listeners.length; next += 1)
          listeners[next - 1] = listeners[next] as () => void;
        listeners.pop();
      };
    },

    async appendEvents(tenantId, executionId, entries) {
      logs.append(tenantId, executionId, entries);
    },

    async readEvents(tenantId, executionId, afterId) {
      return logs.read(tenantId, executionId, afterId);
    },

    onEventsAppended(tenantId, executionId, listener) {
      // The listener only wakes the reader, which reads with its tenant: nothing leaks.
      void tenantId;
      return logs.subscribe(executionId, listener);
    },
  };
  localLeaseTakers.set(coordinator, { acquire: acquireNow, release: releaseNow });
  localLogOpeners.set(coordinator, (tenantId, executionId) => logs.open(tenantId, executionId));
  return coordinator;
}
