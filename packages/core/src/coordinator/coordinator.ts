import type { ExecutionMode } from '../agent';
import type { ExecutionEventEntry } from '../protocol';

export type { ExecutionEventEntry };

// The state Agentry shares between the instances of one deployment: who runs what (leases),
// what each tenant has spent (budgets), cancel requests, and each running execution's events.
// One in-memory implementation (`createMemoryCoordinator`, the embedded default) and one on
// PostgreSQL (`@agentry/postgres`) implement it; `describeCoordinatorContract` from
// `@agentry/core/testing` is the suite both pass. Documented in docs/multi-instance.md.

/** A budget's window, in UTC: a calendar day (00:00 to 24:00) or a calendar month. */
export type BudgetWindow = 'day' | 'month';

/**
 * A per-tenant spending limit over one window. A run is refused with `budget_exceeded` (HTTP
 * 429, carrying `resetsAt`) once the tenant's spend in the current window has reached a limit.
 * At least one of `maxTokens` and `maxCostUsd` is set.
 */
export interface Budget {
  window: BudgetWindow;
  /** Input plus output tokens allowed in the window. */
  maxTokens?: number;
  /** Cost allowed in the window, in US dollars (runs whose cost is unknown add nothing). */
  maxCostUsd?: number;
  /**
   * Which runs count against this budget and are refused when it is spent. The executor applies
   * it; a coordinator only ever sees the budgets that apply to the run at hand.
   * @default ['live']
   */
  modes?: readonly ExecutionMode[];
}

/** What one finished run spent, added to every budget window it is settled in. */
export interface Spend {
  /** Input plus output tokens (unknown counts add 0). */
  tokens: number;
  /** Cost in US dollars (unknown cost adds 0). */
  costUsd: number;
}

/**
 * What the coordinator keeps about a running execution, enough to write its record if the
 * instance running it dies (the record then ends `failed` with code `interrupted`). The input
 * is already redacted.
 */
export interface RunningExecution {
  executionId: string;
  tenantId: string;
  userId?: string;
  agentId: string;
  mode: ExecutionMode;
  requestedMode: ExecutionMode;
  provider: string;
  model: string;
  input: unknown;
  /** ISO 8601. */
  startedAt: string;
}

/** What {@link Coordinator.acquire} takes: the run, the tenant's concurrency limit and its budgets. */
export interface LeaseRequest {
  run: RunningExecution;
  /**
   * Unexpired leases this tenant may hold at once, across all instances. Acquiring past it
   * throws `limit_exceeded`. Expired leases do not count.
   */
  limit: number;
  /**
   * Budgets checked before the run starts, atomically with taking the slot: when the tenant's
   * spend in a budget's current window has reached one of its limits, `acquire` throws
   * `budget_exceeded` with `resetsAt` (the window's end). Empty: no budget.
   */
  budgets: readonly Budget[];
}

/**
 * A running execution's hold on one of its tenant's concurrency slots, and its entry in the
 * registry of runs in flight. It lives until `expiresAt` unless renewed; an instance that dies
 * stops renewing, so its slots free themselves and its runs are reclaimed as interrupted.
 */
export interface Lease {
  /** Unique per acquisition. */
  id: string;
  tenantId: string;
  executionId: string;
  /** When the lease ends unless renewed, in ms since the epoch (the coordinator's clock). */
  expiresAt: number;
}

/** A run whose lease expired before it was released: its instance stopped (crashed, killed, frozen). */
export interface InterruptedRun {
  run: RunningExecution;
  /** When its lease expired, in ms since the epoch. */
  expiredAt: number;
}

/** What {@link Coordinator.release} settles: the run's spend, against the budgets it was checked with. */
export interface Settlement {
  spend: Spend;
  budgets: readonly Budget[];
}

/**
 * Per-tenant state shared by every instance of a deployment. Every method that reads takes the
 * tenant id and must never answer about another tenant's execution (the executor re-checks).
 * Implementations must be safe under concurrent calls from many instances: the contract suite
 * (`describeCoordinatorContract`) checks the rules below.
 *
 * Round trips: the executor calls `acquire` once before a run and `release` once after it;
 * `appendEvents` calls may be buffered (not awaited by the run) as long as an implementation
 * keeps their order and has stored every entry before `release` resolves.
 */
export interface Coordinator {
  /** How long a lease lives without `renew`; the executor renews at a third of it. */
  readonly leaseTtlMs: number;

  /**
   * Takes a concurrency slot for the run and registers it as in flight, after checking the
   * budgets; one atomic step. Throws an `AgentryError` `limit_exceeded` when the tenant already
   * holds `limit` unexpired leases, or `budget_exceeded` (with `resetsAt`) when a budget is spent.
   */
  acquire(request: LeaseRequest): Promise<Lease>;

  /**
   * Extends an unexpired lease by `leaseTtlMs` from now. Answers `undefined` when the lease is
   * gone (released, or expired and reclaimed): the run no longer holds its slot.
   */
  renew(lease: Lease): Promise<Lease | undefined>;

  /**
   * Gives the slot back and removes the run from the registry; with a settlement, adds its spend
   * to the tenant's current window of each budget, atomically (concurrent settles never lose an
   * update). A lease past its expiry that nobody reclaimed yet is still released (and settled):
   * its run did finish. A lease that is gone (released already, or reclaimed) is left alone:
   * nothing is settled and nothing is thrown.
   */
  release(lease: Lease, settlement?: Settlement): Promise<void>;

  /**
   * Runs whose leases expired, removed from the registry. Each expired run is answered to
   * exactly one caller across all instances, which writes its `interrupted` record.
   */
  reclaimExpired(): Promise<InterruptedRun[]>;

  /**
   * Asks the instance running this tenant's execution to stop it. Answers `true` when a run of
   * this tenant with this id is in flight (its `onCancelRequested` listeners are called, on
   * whichever instance they are), `false` otherwise (unknown, finished, or another tenant's).
   */
  requestCancel(tenantId: string, executionId: string): Promise<boolean>;

  /**
   * Calls `listener` when a cancel is requested for the lease's run; at once when one was
   * requested before the call. Answers the unsubscribe.
   */
  onCancelRequested(lease: Lease, listener: () => void): () => void;

  /**
   * Appends entries to the execution's event log, in order (ids strictly increasing, following
   * the last stored one). May be called without awaiting; see the round-trip note above.
   */
  appendEvents(tenantId: string, executionId: string, entries: readonly ExecutionEventEntry[]): Promise<void>;

  /**
   * The logged entries of this tenant's execution with an id greater than `afterId`, in order;
   * `undefined` when there is no log for it (unknown, another tenant's, or expired from the log).
   */
  readEvents(tenantId: string, executionId: string, afterId: number): Promise<ExecutionEventEntry[] | undefined>;

  /**
   * Calls `listener` (no arguments) whenever entries may have been appended to this tenant's
   * execution's log, on any instance; the reader then calls `readEvents`. Spurious calls are
   * allowed. Answers the unsubscribe.
   */
  onEventsAppended(tenantId: string, executionId: string, listener: () => void): () => void;

  /** Releases what the coordinator holds (timers, connections). Optional. */
  close?(): Promise<void>;
}
