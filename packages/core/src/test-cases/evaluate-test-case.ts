import type { ExecutionResult, TestCaseExpectations } from '../protocol';
import { formatIssuePath, type JsonSchema } from '../validation';
import { validateJsonSchema } from '../validation/json-schema';
import { findContainsMismatch, findEqualsMismatch, type JsonMismatch } from './json-match';

/** What a check looked at: the run's outcome, or one of the {@link TestCaseExpectations}. */
export type TestCaseCheckName = 'succeeded' | keyof TestCaseExpectations;

/** One check of a test case against a run. */
export interface TestCaseCheck {
  check: TestCaseCheckName;
  passed: boolean;
  /** What was expected, what came, and where: fit to show as is. */
  message: string;
  /** Where in the output (for `schemaValid`, `equals`, `contains`); `[]` is the output itself. */
  path?: (string | number)[];
}

/** A test case's verdict on one run. Discriminated on `status`. */
export type TestCaseVerdict =
  | { status: 'passed'; checks: TestCaseCheck[] }
  | { status: 'failed'; checks: TestCaseCheck[]; failures: TestCaseCheck[] };

/** Options of {@link evaluateTestCase}. */
export interface EvaluateTestCaseOptions {
  /** The agent's output schema (`AgentSummary.outputSchema`), for `schemaValid`. */
  outputSchema?: JsonSchema | undefined;
}

const PREVIEW_CHARS = 80;

/** A value as short JSON for a message: `"abc"`, `{"a":1,…}`. */
export function previewJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

function where(path: (string | number)[]): string {
  return path.length === 0 ? 'the output' : `output${formatIssuePath(path).slice(1)}`;
}

function describeMismatch(check: 'equals' | 'contains', found: JsonMismatch): TestCaseCheck {
  const place = where(found.path);
  let message: string;
  if (found.reason === 'a missing key')
    message = `Expected ${place} to be ${previewJson(found.expected)}, but the output has no such key.`;
  else if (found.reason === 'an extra key')
    message = `Expected no key at ${place}, got ${previewJson(found.received)}.`;
  else if (found.reason === 'no item that contains it')
    message = `Expected ${where(found.path.slice(0, -1))} to have an item containing ${previewJson(found.expected)}, found none.`;
  else if (found.reason === 'text that does not include it')
    message = `Expected ${place} to include ${previewJson(found.expected)}, got ${previewJson(found.received)}.`;
  else
    message = `Expected ${place} to ${check === 'equals' ? 'be' : 'contain'} ${previewJson(found.expected)}, got ${previewJson(found.received)} (${found.reason}).`;
  return { check, passed: false, message, path: found.path };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2)} s` : `${Math.round(ms)} ms`;
}

function formatUsd(usd: number): string {
  return `$${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(4)}`;
}

/**
 * Judges one run against a test case's expectations. Pure: the same case and run always give the
 * same verdict, in the browser, on the server or in CI. Every case expects the run to succeed;
 * `schemaValid`, `equals` and `contains` judge its output; `maxLatencyMs` its `durationMs`;
 * `maxCostUsd` its `costUsd` (an unknown cost fails: it cannot be shown to be under the limit;
 * a mock run's cost is the simulated one). Each check says what was expected, what came and where.
 *
 * @example
 * const verdict = evaluateTestCase(testCase.expectations, await client.execute({ agentId, input: testCase.input }));
 * if (verdict.status === 'failed') console.log(verdict.failures.map((failure) => failure.message));
 */
export function evaluateTestCase(
  expectations: TestCaseExpectations,
  result: ExecutionResult,
  options: EvaluateTestCaseOptions = {},
): TestCaseVerdict {
  const checks: TestCaseCheck[] = [];
  const succeeded = result.status === 'succeeded';
  if (succeeded) {
    checks.push({ check: 'succeeded', passed: true, message: 'The run succeeded.' });
  } else {
    const cause = result.error ? ` (${result.error.code}): ${result.error.message}` : '.';
    checks.push({
      check: 'succeeded',
      passed: false,
      message: `Expected the run to succeed; it ${result.status === 'cancelled' ? 'was cancelled' : 'failed'}${cause}`,
    });
  }
  if (succeeded) {
    const output = result.output;
    if (expectations.schemaValid === true) {
      const issues = options.outputSchema === undefined ? [] : validateJsonSchema(options.outputSchema, output);
      const first = issues[0];
      checks.push(
        first === undefined
          ? { check: 'schemaValid', passed: true, message: 'The output is valid against the output schema.' }
          : {
              check: 'schemaValid',
              passed: false,
              message: `Expected the output to match the output schema: at ${where(first.path)}, ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
              path: first.path,
            },
      );
    }
    if (Object.hasOwn(expectations, 'equals')) {
      const found = findEqualsMismatch(expectations.equals, output);
      checks.push(
        found
          ? describeMismatch('equals', found)
          : { check: 'equals', passed: true, message: 'The output equals the expected value.' },
      );
    }
    if (Object.hasOwn(expectations, 'contains')) {
      const found = findContainsMismatch(expectations.contains, output);
      checks.push(
        found
          ? describeMismatch('contains', found)
          : { check: 'contains', passed: true, message: 'The output contains the expected value.' },
      );
    }
  }
  const { durationMs, costUsd, simulated } = result.metrics;
  if (expectations.maxLatencyMs !== undefined) {
    const limit = expectations.maxLatencyMs;
    checks.push({
      check: 'maxLatencyMs',
      passed: durationMs <= limit,
      message:
        durationMs <= limit
          ? `Took ${formatMs(durationMs)}, within ${formatMs(limit)}.`
          : `Expected at most ${formatMs(limit)}, took ${formatMs(durationMs)}.`,
    });
  }
  if (expectations.maxCostUsd !== undefined) {
    const limit = expectations.maxCostUsd;
    const kind = simulated ? 'simulated cost' : 'cost';
    checks.push(
      costUsd === null
        ? {
            check: 'maxCostUsd',
            passed: false,
            message: `Expected a cost of at most ${formatUsd(limit)}; the run's cost is unknown (no price for its model).`,
          }
        : {
            check: 'maxCostUsd',
            passed: costUsd <= limit,
            message:
              costUsd <= limit
                ? `The ${kind} ${formatUsd(costUsd)} is within ${formatUsd(limit)}.`
                : `Expected a ${kind} of at most ${formatUsd(limit)}, got ${formatUsd(costUsd)}.`,
          },
    );
  }
  const failures = checks.filter((check) => !check.passed);
  return failures.length === 0 ? { status: 'passed', checks } : { status: 'failed', checks, failures };
}
