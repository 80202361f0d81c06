import type { AgentryBody } from './response-bodies';

/**
 * What a saved test case expects of a run, beyond succeeding (every case expects the run to
 * succeed). Each field is optional; a case with none checks only that the run succeeds.
 */
export interface TestCaseExpectations {
  /** The output must be valid against the agent's output schema (any output, when it has none). */
  schemaValid?: boolean;
  /** The output must equal this JSON value (object key order does not matter). */
  equals?: unknown;
  /**
   * The output must contain this JSON value: a string is a substring of a string output; an
   * object's every key must be present with a value that contains the expected one; an array's
   * every item must be contained by some item of the output's array; numbers, booleans and null
   * must be equal.
   */
  contains?: unknown;
  /** The run's `durationMs` must be at most this. */
  maxLatencyMs?: number;
  /** The run's `costUsd` must be known and at most this (US dollars). */
  maxCostUsd?: number;
}

/** A saved test case: one input of one agent, with what its run is expected to do. Kept per tenant. */
export interface TestCase {
  /** `tc_` and 32 hex digits. */
  id: string;
  /** The tenant it belongs to (from the server's `resolveTenant`, never from a request body). */
  tenantId: string;
  agentId: string;
  name: string;
  input: unknown;
  expectations: TestCaseExpectations;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; equals `createdAt` until the case is changed. */
  updatedAt: string;
}

/** The body of `POST /agents/:agentId/test-cases` and `PUT /agents/:agentId/test-cases/:id`. */
export interface TestCaseBody {
  name: string;
  input: unknown;
  /** @default {} */
  expectations?: TestCaseExpectations;
}

/** The limits the server holds test cases to. */
export const TEST_CASE_LIMITS = {
  /** Characters of a name (after trimming). */
  maxNameLength: 120,
  /** Test cases one tenant may keep per agent, unless the handler is configured otherwise. */
  maxPerAgent: 100,
} as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is a stored {@link TestCase}, as the client checks an answer before trusting it. */
export function isTestCase(value: unknown): value is TestCase {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.agentId === 'string' &&
    typeof value.name === 'string' &&
    isObject(value.expectations) &&
    typeof value.createdAt === 'string'
  );
}

/** `POST /agents/:agentId/test-cases` and `PUT …/test-cases/:id`. */
export const TEST_CASE: AgentryBody<TestCase> = { expected: 'a test case', is: isTestCase };

/** `GET /agents/:agentId/test-cases`. */
export const TEST_CASE_LIST: AgentryBody<TestCase[]> = {
  expected: 'a list of test cases',
  is: (value): value is TestCase[] => Array.isArray(value) && value.every(isTestCase),
};
