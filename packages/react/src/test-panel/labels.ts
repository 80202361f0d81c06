import type { RunStatus } from '@agentry/core/client';
import type { ErrorCalloutError, ErrorCopy, ErrorCopyContext } from './error-copy';
import type { HistoryLabels } from './history/history-labels';
import { defaultInputLabels, type InputLabels } from './input/input-labels';
import type { StepsLabels } from './steps/steps-labels';

/**
 * Every string `<TestPanel>` shows. Pass a partial object as `labels` to override any of them.
 * The tool steps timeline's strings and the history's and compare view's strings have their
 * English defaults in their own lazy chunks, so they are optional here.
 */
export interface TestPanelLabels extends InputLabels, Partial<StepsLabels>, Partial<HistoryLabels> {
  /** Accessible name of the panel; gets the agent name. */
  panel: (agentName: string | undefined) => string;
  loadingAgents: string;
  noAgents: string;
  agentsFailed: string;
  agentNotFound: (agentId: string) => string;
  retryLoading: string;
  agent: string;
  mode: string;
  mock: string;
  live: string;
  mockHint: string;
  liveHint: string;
  /** Shown when live is off and the service gave no reason. */
  liveUnavailable: string;
  modeNotSupported: string;
  input: string;
  inputHint: string;
  format: string;
  resetToExample: string;
  resetToDefaults: string;
  /** Where a JSON syntax error is. */
  jsonErrorAt: (line: number, column: number) => string;
  /** Heading of the issue list. */
  issueCount: (count: number) => string;
  serverIssues: string;
  run: string;
  runShortcut: string;
  cancel: string;
  output: string;
  outputEmpty: string;
  /** Shown when a run ended (failed or stopped) before any output arrived. */
  outputNone: string;
  result: string;
  partialOutput: string;
  status: Record<Exclude<RunStatus, 'idle'>, string>;
  completedIn: (duration: string) => string;
  failedAfter: (duration: string) => string;
  stoppedAfter: (duration: string) => string;
  copy: string;
  copied: string;
  copyFailed: string;
  showAll: (size: string) => string;
  showLess: string;
  truncated: (shown: string, total: string) => string;
  metrics: string;
  duration: string;
  timeToFirstOutput: string;
  tokens: string;
  cost: string;
  model: string;
  attempts: string;
  simulated: string;
  simulatedHint: string;
  /** The cost chip of a mock run. */
  simulatedNothingBilled: string;
  /** Label of a mock run's "what it would cost live" chip. */
  liveEstimate: string;
  /** The cost chip of a run replayed from a tape (`metrics.usageSource: 'recorded'`). */
  recordedNotBilled: string;
  /** What a replayed run's cost chip means (its title, and read after its value). */
  recordedHint: string;
  /** The chip with what the recorded call cost. */
  recordedCost: string;
  sourceTokensRecorded: string;
  /** Shown for a figure that is not known. */
  unknown: string;
  sourceMeasured: string;
  sourceTokensReported: string;
  sourceTokensSimulated: string;
  sourceCostEstimated: (date: string) => string;
  sourceCostUnknown: string;
  sourceModel: string;
  sourceAttempts: string;
  /**
   * The title, advice and Retry decision for an error, by its code and the run's mode; return
   * `undefined` to keep the built-in copy for that error, e.g.
   * `(error, context) => error.code === 'timeout' ? { title, advice, action: 'retry' } : undefined`.
   * @default the built-in English copy (loaded with the error callout, on demand)
   */
  describeError?: (error: ErrorCalloutError, context: ErrorCopyContext) => ErrorCopy | undefined;
  /** Prefix of a developer hint (shown with `showDeveloperHints`). */
  developerHint: string;
  copyExecutionId: string;
  copyAsCurl: string;
  copyAsCode: string;
  outputView: string;
  viewPretty: string;
  viewRaw: string;
  viewTree: string;
  search: string;
  searchMatches: (count: number) => string;
  treeItems: (count: number) => string;
  treeShowMore: (count: number) => string;
  /** Marks a field of the output that does not match the output schema. */
  invalidField: string;
  errorDetails: string;
  errorCode: string;
  executionId: string;
  requestId: string;
  provider: string;
  httpStatus: string;
  errorMessage: string;
  /** Term for the `output_invalid` issues in an error's details (paths into the model's output). */
  outputIssues: string;
  retry: string;
  runAgain: string;
  /** Shown (politely announced) while the client resumes a dropped stream. */
  reconnecting: string;
  /** Shown next to the shown run's metrics when the editor's input differs from the run's. */
  staleResult: string;
}

/** The English strings `<TestPanel>` uses by default. */
export const defaultLabels: TestPanelLabels = {
  ...defaultInputLabels,
  panel: (agentName) => (agentName ? `Test panel: ${agentName}` : 'Agent test panel'),
  loadingAgents: 'Loading agents…',
  noAgents: 'No agents are available here.',
  agentsFailed: 'The agents could not be loaded.',
  agentNotFound: (agentId) => `The agent “${agentId}” is not available here.`,
  retryLoading: 'Try again',
  agent: 'Agent',
  mode: 'Mode',
  mock: 'Mock',
  live: 'Live',
  mockHint: 'Simulated answers: nothing is billed.',
  liveHint: 'Calls the real model: usage is billed.',
  liveUnavailable: 'Live runs are not available here.',
  modeNotSupported: 'This agent does not support this mode.',
  input: 'Input',
  inputHint: 'Checked against the agent’s schema as you type.',
  format: 'Format',
  resetToExample: 'Reset to example',
  resetToDefaults: 'Reset to defaults',
  jsonErrorAt: (line, column) => `Line ${line}, column ${column}`,
  issueCount: (count) => (count === 1 ? '1 problem in the input' : `${count} problems in the input`),
  serverIssues: 'The server rejected this input:',
  run: 'Run',
  runShortcut: 'Ctrl/⌘ + Enter',
  cancel: 'Cancel',
  output: 'Output',
  outputEmpty: 'Run the agent to see its output here.',
  outputNone: 'No output: the run ended before the agent produced any.',
  result: 'Result',
  partialOutput: 'Partial output',
  status: {
    running: 'Running…',
    streaming: 'Streaming…',
    succeeded: 'Succeeded',
    failed: 'Failed',
    cancelled: 'Stopped',
  },
  completedIn: (duration) => `Completed in ${duration}`,
  failedAfter: (duration) => `Failed after ${duration}`,
  stoppedAfter: (duration) => `Stopped after ${duration}`,
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  showAll: (size) => `Show all (${size})`,
  showLess: 'Show less',
  truncated: (shown, total) => `Showing the first ${shown} of ${total}.`,
  metrics: 'Metrics',
  duration: 'Duration',
  timeToFirstOutput: 'First output',
  tokens: 'Tokens in / out',
  cost: 'Cost',
  model: 'Model',
  attempts: 'Attempts',
  simulated: 'Simulated',
  simulatedHint: 'Mock run: tokens are simulated and nothing is billed.',
  simulatedNothingBilled: 'Simulated · nothing billed',
  liveEstimate: 'If run live',
  recordedNotBilled: 'Recorded · not billed',
  recordedHint:
    'Replayed from a tape: the tokens and cost are those of the recorded call. Nothing was billed for this run.',
  recordedCost: 'Cost when recorded',
  sourceTokensRecorded: 'Recorded on the tape this run replayed.',
  unknown: '—',
  sourceMeasured: 'Measured by the executor (wall time).',
  sourceTokensReported: 'Reported by the provider.',
  sourceTokensSimulated: 'Simulated by the mock provider.',
  sourceCostEstimated: (date) => `Estimated from the price table of ${date}.`,
  sourceCostUnknown: 'Unknown: no price for this model.',
  sourceModel: 'The provider and model that ran.',
  sourceAttempts: 'Provider calls, retries included.',
  developerHint: 'For developers:',
  copyExecutionId: 'Copy execution ID',
  copyAsCurl: 'Copy as cURL',
  copyAsCode: 'Copy as code',
  outputView: 'Output view',
  viewPretty: 'Pretty',
  viewRaw: 'Raw',
  viewTree: 'Tree',
  search: 'Search output',
  searchMatches: (count) => (count === 1 ? '1 match' : `${count} matches`),
  treeItems: (count) => (count === 1 ? '1 item' : `${count} items`),
  treeShowMore: (count) => `Show ${count} more`,
  invalidField: 'Does not match the schema',
  errorDetails: 'Details',
  errorCode: 'Code',
  executionId: 'Execution ID',
  requestId: 'Request ID',
  provider: 'Provider',
  httpStatus: 'HTTP status',
  errorMessage: 'Message',
  outputIssues: 'Problems in the output',
  retry: 'Retry',
  runAgain: 'Run again',
  reconnecting: 'Connection lost. Reconnecting…',
  staleResult: 'Input changed since this run',
};
