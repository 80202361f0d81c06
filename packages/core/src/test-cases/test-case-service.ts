import type { TestCase, TestCaseBody } from '../protocol';

/**
 * Saved test cases of the signed-in tenant, per agent: what `client.testCases` offers over HTTP
 * (`createClient`), and what `<TestPanel testCases={…}>` uses.
 */
export interface TestCaseService {
  /** The agent's cases, oldest first. */
  list(agentId: string, options?: { signal?: AbortSignal }): Promise<TestCase[]>;
  /** Saves a new case; rejects with `validation_failed` (name, input, expectations, too many cases). */
  create(agentId: string, body: TestCaseBody, options?: { signal?: AbortSignal }): Promise<TestCase>;
  /** Replaces a case's name, input and expectations. */
  update(
    agentId: string,
    testCaseId: string,
    body: TestCaseBody,
    options?: { signal?: AbortSignal },
  ): Promise<TestCase>;
  /** Deletes a case; `not_found` when there is none (or it is another tenant's). */
  delete(agentId: string, testCaseId: string, options?: { signal?: AbortSignal }): Promise<void>;
}
