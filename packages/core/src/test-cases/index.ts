// `@agentry/core/test-cases`: saved test cases — the store they live in, how a run is judged
// against one (`evaluateTestCase`, pure), and the runner that re-runs a suite through the normal
// run route (`runTestCases`). Browser-safe; its own entry so the TestPanel loads it lazily.
export type { TestCase, TestCaseBody, TestCaseExpectations } from '../protocol';
export { TEST_CASE_LIMITS } from '../protocol';
export type { EvaluateTestCaseOptions, TestCaseCheck, TestCaseCheckName, TestCaseVerdict } from './evaluate-test-case';
export { evaluateTestCase, previewJson } from './evaluate-test-case';
export type { JsonMismatch } from './json-match';
export { findContainsMismatch, findEqualsMismatch } from './json-match';
export { createMemoryTestCaseStore } from './memory-test-case-store';
export type { RunTestCasesOptions, TestCaseOutcome, TestCaseSuiteResult } from './run-test-cases';
export { runTestCases } from './run-test-cases';
export type { TestCaseService } from './test-case-service';
export type { CreateTestCaseOptions, TestCaseStore } from './test-case-store';
