import type { ExecutionPage, ExecutionResult, ListExecutionsOptions } from '../protocol';

export type { ExecutionPage, ListExecutionsOptions };

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
