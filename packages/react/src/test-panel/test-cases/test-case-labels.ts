/** Every string of the saved test cases. Pass any of them in `<TestPanel labels={…}>`. */
export interface TestCaseLabels {
  testCases: string;
  testCasesEmpty: string;
  testCasesUnavailable: string;
  testCasesLoading: string;
  testCasesLoadFailed: string;
  testCasesRetry: string;
  saveAsTestCase: string;
  /** Why "Save as test case" is not possible now. */
  saveNeedsValidInput: string;
  testCaseName: string;
  defaultTestCaseName: (index: number) => string;
  expectations: string;
  expectSchemaValid: string;
  expectEquals: string;
  /** Hint under "equals": it uses the result shown. */
  expectEqualsHint: string;
  expectEqualsNeedsResult: string;
  expectContains: string;
  expectContainsHint: string;
  expectMaxLatency: string;
  expectMaxCost: string;
  save: string;
  saving: string;
  cancelSave: string;
  saved: (name: string) => string;
  runAll: (mode: string) => string;
  stopRunAll: string;
  deleteTestCase: (name: string) => string;
  deleted: (name: string) => string;
  showDetails: string;
  hideDetails: string;
  caseStatus: Record<'idle' | 'running' | 'passed' | 'failed' | 'error', string>;
  /** The suite's summary once it ran (or stopped). */
  summary: (passed: number, failed: number, total: number, mode: string) => string;
  running: (index: number, total: number) => string;
  stopped: string;
  testCaseInput: string;
}

/** The English strings of the saved test cases. */
export const defaultTestCaseLabels: TestCaseLabels = {
  testCases: 'Test cases',
  testCasesEmpty: 'No test cases yet. Run the agent, then save the input (and what you expect) as a test case.',
  testCasesUnavailable: 'Saved test cases are not available here.',
  testCasesLoading: 'Loading test cases…',
  testCasesLoadFailed: 'The test cases could not be loaded.',
  testCasesRetry: 'Try again',
  saveAsTestCase: 'Save as test case',
  saveNeedsValidInput: 'Fix the input first: only a valid input can be saved.',
  testCaseName: 'Name',
  defaultTestCaseName: (index) => `Case ${index}`,
  expectations: 'Expect, besides a successful run',
  expectSchemaValid: 'Output matches the output schema',
  expectEquals: 'Output equals the result shown',
  expectEqualsHint: 'Compares the whole output, ignoring the order of keys.',
  expectEqualsNeedsResult: 'Run the agent first to compare with its output.',
  expectContains: 'Output contains',
  expectContainsHint: 'Text, or JSON such as {"summary": "Agentry"}: keys and items that must be there.',
  expectMaxLatency: 'Takes at most (ms)',
  expectMaxCost: 'Costs at most (USD)',
  save: 'Save test case',
  saving: 'Saving…',
  cancelSave: 'Cancel',
  saved: (name) => `Saved “${name}”.`,
  runAll: (mode) => `Run all (${mode})`,
  stopRunAll: 'Stop',
  deleteTestCase: (name) => `Delete test case “${name}”`,
  deleted: (name) => `Deleted “${name}”.`,
  showDetails: 'Why it failed',
  hideDetails: 'Hide details',
  caseStatus: { idle: 'Not run', running: 'Running…', passed: 'Passed', failed: 'Failed', error: 'Not run: refused' },
  summary: (passed, failed, total, mode) => `${passed} passed, ${failed} failed of ${total} (${mode})`,
  running: (index, total) => `Running ${index} of ${total}…`,
  stopped: 'Stopped.',
  testCaseInput: 'Input',
};
