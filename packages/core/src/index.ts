// The root entry: everything a server needs to define and run agents in mock mode.
// Live providers, the HTTP server, the browser client and test helpers live behind
// their own subpaths (`@agentry/core/openai`, `/anthropic`, `/remote`, `/server`,
// `/client`, `/testing`) so this entry never loads a provider SDK or a `node:` module.

export type {
  AgentConfig,
  AgentDefinition,
  AgentInput,
  AgentMock,
  AgentOutput,
  AgentResultOutput,
  AnyAgent,
  ChatMessage,
  ExecutionMode,
  MockContext,
  MockDelay,
  MockFixture,
  MockHistory,
  MockHistoryStep,
  MockOutput,
  MockScript,
  MockStep,
  MockToolCall,
  ModelSettings,
} from './agent';
export { defineAgent } from './agent';
export type {
  Budget,
  BudgetWindow,
  BudgetWindowBounds,
  Coordinator,
  ExecutionEventEntry,
  InterruptedRun,
  Lease,
  LeaseRequest,
  MemoryCoordinatorOptions,
  RunningExecution,
  Settlement,
  Spend,
} from './coordinator';
export { budgetExceededError, budgetWindowBounds, createMemoryCoordinator } from './coordinator';
export type {
  AgentryErrorCode,
  AgentryErrorFamily,
  AgentryErrorOptions,
  ErrorLimit,
  SerializedAgentryError,
  ValidationIssue,
} from './errors';
export {
  AgentryError,
  ERROR_CODES,
  errorFamily,
  isAgentryError,
  isAgentryErrorCode,
  serializeError,
  toAgentryError,
} from './errors';
export type {
  AgentIdOf,
  AgentInputFor,
  AgentOutputFor,
  AgentService,
  AgentSummary,
  BackoffOptions,
  CancelledExecution,
  ExecuteOptions,
  ExecutionEvent,
  ExecutionEventsOptions,
  ExecutionResult,
  ExecutionStatus,
  ExecutionStep,
  Executor,
  ExecutorOptions,
  FailedExecution,
  HealthReport,
  LimitOptions,
  LiveOptions,
  RetryState,
  RunOptions,
  StepEvent,
  StreamConnectionState,
  SucceededExecution,
  TenantExecutor,
  TimeoutOptions,
  ToolCallRecord,
  ToolResultRecord,
} from './executor';
export { createExecutor, describeAgent } from './executor';
export type { JsonLoggerOptions, LogFields, Logger, LogLevel, Redactor } from './logging';
export {
  createRedactor,
  isSecret,
  jsonLogger,
  REDACTED,
  redactingLogger,
  Secret,
  silentLogger,
  toSecret,
} from './logging';
export type { ExecutionMetrics, ModelPrice, PricingTable, Usage } from './metrics';
export { DEFAULT_PRICING, estimateCost, findModelPrice, PRICING_SOURCE } from './metrics';
// Saved test cases: their shape and the store they live in (evaluation and the runner are in `/client`).
export type { TestCase, TestCaseBody, TestCaseExpectations } from './protocol';
export { TEST_CASE_LIMITS } from './protocol';
export type {
  FinishReason,
  MockRequestOptions,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderHealth,
  ProviderOptions,
  ProviderRequest,
  ProviderResponse,
} from './providers';
export type { MockFailureKind, MockFailureOptions, MockLatency, MockProviderOptions } from './providers/mock';
export { mockProvider } from './providers/mock';
export type { ExecutionPage, ExecutionStore, ListExecutionsOptions, MemoryStoreOptions } from './store';
export { createMemoryStore, decodeHistoryCursor, encodeHistoryCursor, MAX_PAGE_SIZE } from './store';
export type { TenantContext } from './tenant';
export type { CreateTestCaseOptions, TestCaseService, TestCaseStore } from './test-cases';
// From its file, not the folder's index: the evaluation and the runner stay out of browser
// bundles that import this entry (they are `@agentry/core/test-cases`, loaded lazily by the panel).
export { createMemoryTestCaseStore } from './test-cases/memory-test-case-store';
export type {
  AnyTool,
  StopCondition,
  StopConditionState,
  StopConditionStep,
  StopWhen,
  ToolConfig,
  ToolContext,
  ToolDefinition,
  ToolInput,
  ToolOutput,
  ToolResult,
  ToolRetryOptions,
  ToolSet,
} from './tools';
export { defineTool, hasToolCall, stepCountIs } from './tools';
// Input checks a browser can afford (JSON parsing with line and column, JSON Schema validation,
// issue paths) live in `@agentry/core/client` only: one home per name.
