// The wire protocol's single home: every shape that crosses HTTP or SSE between the handler
// (server/), the browser client (client/) and the remote provider (providers/remote/), with
// the helpers that write and read it. Both sides import from here; neither re-declares it.
// Internal: the package entries re-export the public names they always had.

export type { AgentSummary } from './agent-summary';
export {
  isJsonContentType,
  JSON_CONTENT_TYPE,
  mediaType,
  PROBLEM_CONTENT_TYPE,
  withUtf8,
} from './content-type';
export type { DecodeResult, ServerSentEvent, ServerSentEventParser } from './event-stream';
export {
  acceptsEventStream,
  createServerSentEventParser,
  decodeServerSentEvents,
  EVENT_STREAM_CONTENT_TYPE,
  encodeServerSentEvent,
  HEARTBEAT,
  isEventStreamContentType,
  PROBLEM_EVENT,
} from './event-stream';
export type { ExecutionEvent, ExecutionEventEntry } from './execution-event';
export { EXECUTION_EVENT_TYPES, isTerminalEvent, parseLastEventId } from './execution-event';
export type { ExecutionPage, ListExecutionsOptions } from './execution-page';
export { listExecutionsQuery, MAX_PAGE_SIZE, parseListExecutionsQuery } from './execution-page';
export type {
  CancelledExecution,
  ExecutionResult,
  ExecutionStatus,
  FailedExecution,
  SucceededExecution,
} from './execution-record';
export { isExecutionRecord } from './execution-record';
export type { ExecutionRequestBody } from './execution-request';
export { EXECUTION_MODES, executionRequestBody, parseExecutionRequestBody } from './execution-request';
export type { ExecutionStep, StepEvent, ToolCallRecord, ToolResultRecord } from './execution-step';
export type { HealthReport } from './health-report';
export type { ProblemDocument, ProblemToErrorOptions, ProtocolProblem } from './problem';
export {
  INTERNAL_ERROR_DETAIL,
  isProblemDocument,
  PROBLEM_TYPE_PREFIX,
  PROTOCOL_PROBLEMS,
  problemToError,
  statusForCode,
  toProblem,
} from './problem';
export type { ReadExecutionEventsOptions, ReceivedExecutionEvent } from './read-execution-events';
export { readExecutionEventEntries, readExecutionEvents, streamCutError } from './read-execution-events';
export type { AgentryBody } from './response-bodies';
export { AGENT_LIST, EXECUTION_PAGE, EXECUTION_RECORD, HEALTH_REPORT, readAgentryJson } from './response-bodies';
export type { FailureContext } from './response-errors';
export { errorFromFailure, errorFromResponse, notAgentryEndpoint, parseRetryAfter } from './response-errors';
export type { Route, RouteMethod } from './routes';
export {
  matchRoute,
  normalizeBasePath,
  PROTOCOL_METHODS,
  ROUTE_METHODS,
  routeMethods,
  routePath,
  routeSegments,
} from './routes';
// --- tapes (issue 14) ---
export type { SaveRunAs, SaveRunRequestBody, SaveRunResult } from './save-run';
export { parseSaveRunBody, SAVE_RUN_RESULT } from './save-run';
export type { TestCase, TestCaseBody, TestCaseExpectations } from './test-case';
export { isTestCase, TEST_CASE, TEST_CASE_LIMITS, TEST_CASE_LIST } from './test-case';
export { parseTestCaseBody } from './test-case-body';
