import type { ExecutionResult } from '../executor/types';

/** Options for listing a tenant's history. */
export interface ListExecutionsOptions {
  /** Only this agent's executions. */
  agentId?: string;
  /** Page size, 1–100. @default 20 */
  limit?: number;
  /**
   * The `nextCursor` of the previous page, unchanged. Cursors are opaque: anything else (an
   * edited cursor, one from another tenant, one issued by an earlier version) is refused with
   * `validation_failed` (HTTP 400).
   */
  cursor?: string;
}

/** One page of history, newest first. */
export interface ExecutionPage {
  items: ExecutionResult[];
  /**
   * Pass as `cursor` for the next page; absent on the last page. Opaque: a position in this
   * tenant's own history, valid for this tenant only. Runs saved meanwhile do not shift it.
   */
  nextCursor?: string;
}

/**
 * Where execution records live. Every method takes the tenant id: an implementation must
 * never return another tenant's record (the executor re-checks each one anyway).
 * Implement it over your database for durable history.
 */
export interface ExecutionStore {
  /** Saves a finished execution's record. */
  save(record: ExecutionResult): Promise<void>;
  /** One record of this tenant, or `undefined`. */
  get(tenantId: string, executionId: string): Promise<ExecutionResult | undefined>;
  /**
   * This tenant's records, newest first. A cursor an implementation issues must depend on this
   * tenant's records alone (no global counter: it would tell one tenant how many runs the others
   * made), and a cursor it did not issue for this tenant must be refused with an `AgentryError`
   * `validation_failed` (issue path `['cursor']`), never answered with a page or an internal error.
   */
  list(tenantId: string, options?: ListExecutionsOptions): Promise<ExecutionPage>;
}
