import { AgentryError, type ValidationIssue } from '../errors';
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

const EXPECTATION_KEYS = new Set(['schemaValid', 'equals', 'contains', 'maxLatencyMs', 'maxCostUsd']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkExpectations(value: unknown, issues: ValidationIssue[]): TestCaseExpectations {
  if (value === undefined) return {};
  if (!isObject(value)) {
    issues.push({
      path: ['expectations'],
      code: 'invalid_type',
      message: 'Expected an object such as { "schemaValid": true, "maxLatencyMs": 2000 }.',
    });
    return {};
  }
  const expectations: TestCaseExpectations = {};
  for (const key of Object.keys(value)) {
    if (!EXPECTATION_KEYS.has(key)) {
      issues.push({
        path: ['expectations', key],
        code: 'unrecognized_key',
        message: `Unknown expectation; use ${[...EXPECTATION_KEYS].join(', ')}.`,
      });
    }
  }
  if (value.schemaValid !== undefined) {
    if (typeof value.schemaValid === 'boolean') expectations.schemaValid = value.schemaValid;
    else
      issues.push({ path: ['expectations', 'schemaValid'], code: 'invalid_type', message: 'Expected true or false.' });
  }
  // JSON cannot carry `undefined`: a key that is present holds a value to compare with.
  if (Object.hasOwn(value, 'equals')) expectations.equals = value.equals;
  if (Object.hasOwn(value, 'contains')) expectations.contains = value.contains;
  for (const [key, unit] of [
    ['maxLatencyMs', 'milliseconds'],
    ['maxCostUsd', 'US dollars'],
  ] as const) {
    const limit = value[key];
    if (limit === undefined) continue;
    if (typeof limit === 'number' && Number.isFinite(limit) && limit >= 0) expectations[key] = limit;
    else
      issues.push({ path: ['expectations', key], code: 'invalid_type', message: `Expected a number ≥ 0 (${unit}).` });
  }
  return expectations;
}

/**
 * Checks a test case's request body: a name of 1–120 characters (trimmed), an `input`, and
 * well-formed `expectations`. Unknown top-level fields (a forged `tenantId`, `id`, `createdAt`)
 * are ignored, never read. Whether the input fits the agent's schema is the server's next check.
 * Throws `validation_failed` with one issue per problem.
 */
export function parseTestCaseBody(value: unknown): TestCaseBody {
  if (!isObject(value)) {
    throw new AgentryError(
      'validation_failed',
      'The request body must be a JSON object: { "name": "…", "input": …, "expectations": { … } }.',
      { issues: [{ path: [], code: 'invalid_type', message: 'Expected an object with "name" and "input".' }] },
    );
  }
  const issues: ValidationIssue[] = [];
  const name = typeof value.name === 'string' ? value.name.trim() : undefined;
  if (name === undefined) {
    issues.push({ path: ['name'], code: 'invalid_type', message: 'Required: a name for the test case.' });
  } else if (name.length === 0 || name.length > TEST_CASE_LIMITS.maxNameLength) {
    issues.push({
      path: ['name'],
      code: name.length === 0 ? 'too_small' : 'too_big',
      message: `Expected 1 to ${TEST_CASE_LIMITS.maxNameLength} characters, got ${name.length}.`,
    });
  }
  if (!Object.hasOwn(value, 'input')) {
    issues.push({ path: ['input'], code: 'required', message: 'Required: the input the agent runs with.' });
  }
  const expectations = checkExpectations(value.expectations, issues);
  if (issues.length > 0) {
    throw new AgentryError(
      'validation_failed',
      `The test case is invalid: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
      { issues, userMessage: 'The test case could not be saved. Fix the marked fields and try again.' },
    );
  }
  return { name: name as string, input: value.input, expectations };
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
