import type { ExecutionMode } from '../agent';
import { type AgentryError, toAgentryError } from '../errors';
import type { ExecutionResult, TestCase } from '../protocol';
import type { JsonSchema } from '../validation';
import { evaluateTestCase, type TestCaseVerdict } from './evaluate-test-case';

/** One case's outcome in a suite run. Discriminated on `status`. */
export type TestCaseOutcome =
  /** The run happened and was judged (`verdict.status` says passed or failed). */
  | { status: 'passed' | 'failed'; testCase: TestCase; result: ExecutionResult; verdict: TestCaseVerdict }
  /** The run was refused before it started (invalid input now, live off, a limit): it counts as failed. */
  | { status: 'error'; testCase: TestCase; error: AgentryError };

/** What {@link runTestCases} answers. */
export interface TestCaseSuiteResult {
  outcomes: TestCaseOutcome[];
  passed: number;
  /** Cases whose run was judged failed, plus those refused (`error`). */
  failed: number;
  /** Whether the signal stopped the suite before every case ran. */
  stopped: boolean;
}

/** Options of {@link runTestCases}. */
export interface RunTestCasesOptions {
  testCases: readonly TestCase[];
  mode: ExecutionMode;
  /**
   * Runs one case through the normal run route: `client.execute` (or a tenant-bound executor's),
   * so each run counts against the tenant's limits and lands in its history like any other run.
   */
  execute(run: {
    agentId: string;
    input: unknown;
    mode: ExecutionMode;
    signal?: AbortSignal;
  }): Promise<ExecutionResult>;
  /** The agent's output schema, for `schemaValid`. */
  outputSchema?: JsonSchema | undefined;
  /** Stops the suite: the run in flight is cancelled and no further case starts. */
  signal?: AbortSignal;
  /** Called after each case, in order, so a UI can show results as they come. */
  onOutcome?: (outcome: TestCaseOutcome, index: number) => void;
}

/**
 * Runs saved test cases one after another in `mode` and judges each run with
 * {@link evaluateTestCase}. One at a time on purpose: the suite takes one of the tenant's
 * concurrency slots, never all of them, and a case's latency is not inflated by its siblings.
 */
export async function runTestCases(options: RunTestCasesOptions): Promise<TestCaseSuiteResult> {
  const outcomes: TestCaseOutcome[] = [];
  let stopped = false;
  for (const [index, testCase] of options.testCases.entries()) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    let outcome: TestCaseOutcome;
    try {
      const result = await options.execute({
        agentId: testCase.agentId,
        input: testCase.input,
        mode: options.mode,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const verdict = evaluateTestCase(testCase.expectations, result, { outputSchema: options.outputSchema });
      outcome = { status: verdict.status, testCase, result, verdict };
    } catch (error) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      outcome = { status: 'error', testCase, error: toAgentryError(error) };
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome, index);
  }
  const passed = outcomes.filter((outcome) => outcome.status === 'passed').length;
  return { outcomes, passed, failed: outcomes.length - passed, stopped };
}
