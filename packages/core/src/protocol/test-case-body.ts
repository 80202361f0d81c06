// The body of `POST`/`PUT …/test-cases`, checked by the server. Apart from test-case.ts so the
// browser client, which only reads test cases back, does not carry the checks.
import { AgentryError, type ValidationIssue } from '../errors';
import { TEST_CASE_LIMITS, type TestCaseBody, type TestCaseExpectations } from './test-case';

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
