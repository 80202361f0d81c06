import type { ExecutionResult } from '../executor/types';

/** Options for listing a tenant's history. */
export interface ListExecutionsOptions {
  /** Only this agent's executions. */
  agentId?: string;
  /** Page size, 1–100. @default 20 */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of history, newest first. */
export interface ExecutionPage {
  items: ExecutionResult[];
  /** Pass as `cursor` for the next page; absent on the last page. */
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
  /** This tenant's records, newest first. */
  list(tenantId: string, options?: ListExecutionsOptions): Promise<ExecutionPage>;
}
