import type { TestCase } from '../protocol';

/** What a store saves: a test case, and how many cases its agent may hold. */
export interface CreateTestCaseOptions {
  /** Cases this tenant may keep for this agent; the store refuses the one past it, atomically. */
  maxPerAgent: number;
}

/**
 * Where saved test cases live, per tenant and agent. Every method takes the tenant id: an
 * implementation must never read, change or delete another tenant's case, and answers a foreign
 * id exactly as an unknown one (`undefined` / `false`), so existence does not leak.
 * `createMemoryTestCaseStore` keeps them in memory; `createPostgresTestCaseStore` from
 * `@agentry/postgres` in PostgreSQL under row-level security.
 */
export interface TestCaseStore {
  /** This tenant's cases for one agent, oldest first (the order they were saved in). */
  list(tenantId: string, agentId: string): Promise<TestCase[]>;
  /** One case, or `undefined` (unknown, another agent's or another tenant's). */
  get(tenantId: string, agentId: string, testCaseId: string): Promise<TestCase | undefined>;
  /**
   * Saves a new case (its `tenantId`, `agentId` and `id` set by the caller). Answers `false`,
   * saving nothing, when the agent already holds `maxPerAgent` cases for this tenant.
   */
  create(testCase: TestCase, options: CreateTestCaseOptions): Promise<boolean>;
  /** Replaces a case's name, input, expectations and `updatedAt`; `undefined` when there is no such case. */
  update(testCase: TestCase): Promise<TestCase | undefined>;
  /** Deletes a case; `false` when there was no such case. */
  delete(tenantId: string, agentId: string, testCaseId: string): Promise<boolean>;
}
