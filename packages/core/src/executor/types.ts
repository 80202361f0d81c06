import type { AgentDefinition, AgentInput, AgentResultOutput, AnyAgent, ExecutionMode } from '../agent';
import type { Budget, Coordinator } from '../coordinator';
import type { AgentryError } from '../errors';
import type { Logger, Redactor } from '../logging';
import type { Secret } from '../logging/secret';
import type { PricingTable } from '../metrics';
import type {
  AgentSummary,
  ExecutionEvent,
  ExecutionEventEntry,
  ExecutionPage,
  ExecutionResult,
  HealthReport,
  ListExecutionsOptions,
} from '../protocol';
import type { ProviderAdapter } from '../providers';
import type { ExecutionStore } from '../store';
import type { TenantContext } from '../tenant';
import type { StopWhen } from '../tools';

// The wire protocol's shapes live in protocol/; re-exported here for the executor's importers.
export type {
  AgentSummary,
  CancelledExecution,
  ExecutionEvent,
  ExecutionEventEntry,
  ExecutionResult,
  ExecutionStatus,
  ExecutionStep,
  FailedExecution,
  HealthReport,
  StepEvent,
  SucceededExecution,
  ToolCallRecord,
  ToolResultRecord,
} from '../protocol';

/** Backoff between retries. */
export interface BackoffOptions {
  /** Delay before the first retry. @default 250 */
  initialMs?: number;
  /** Multiplier per retry. @default 2 */
  factor?: number;
  /** Largest delay. @default 8000 */
  maxMs?: number;
  /** `full` picks a delay in [0, computed]; `none` uses the computed delay. @default 'full' */
  jitter?: 'full' | 'none';
}

/** Timeouts by phase, in milliseconds. */
export interface TimeoutOptions {
  /** Deadline for the whole execution, retries included. */
  totalMs?: number;
  /** Deadline for the first output chunk of each attempt. */
  firstOutputMs?: number;
  /** Longest gap between stream chunks. */
  idleMs?: number;
  /**
   * Deadline for one step of a tool-using run: its model call (retries included) and its tools.
   * A step that overruns fails the run with `timeout`; the tools' `signal` fires.
   */
  stepMs?: number;
}

/** Limits and the retry policy, one for every provider. */
export interface LimitOptions {
  /**
   * Whole-execution deadline per mode, or phased timeouts per mode.
   * @default { mock: 500, live: 30_000 }
   */
  timeoutMs?: number | { mock?: number | TimeoutOptions; live?: number | TimeoutOptions };
  /** Retries for retryable errors (`rate_limited`, `provider_error`, `timeout`). @default 2 */
  maxRetries?: number;
  /** @default { initialMs: 250, factor: 2, maxMs: 8000, jitter: 'full' } */
  backoff?: BackoffOptions;
  /** A provider's `retry-after` is honoured up to this; longer waits fail instead. @default 30_000 */
  maxRetryAfterMs?: number;
  /** Largest input, as UTF-8 bytes of its JSON. @default 64_000 */
  maxInputBytes?: number;
  /**
   * The deepest nesting of arrays and objects accepted in an input (refused with
   * `validation_failed`, issue code `too_deep`, before the input schema runs) and in a model's
   * structured output (`output_invalid`). Measured without recursion, so a hostile
   * `[[[[…` cannot exhaust the call stack in zod, `JSON.stringify` or the redactor.
   * `1` allows `{}`; at most 512.
   * @default 256
   */
  maxDepth?: number;
  /**
   * Executions running at once per tenant. Excess calls fail at once with `limit_exceeded`
   * (retryable) rather than queueing, so a burst cannot pile up work. @default 8
   */
  concurrencyPerTenant?: number;
  /**
   * The most steps (model calls) a tool-using run makes, for agents that set no `maxSteps` of
   * their own; a run still calling tools after them fails with `max_steps_reached`. @default 5
   */
  maxSteps?: number;
  /** Tool calls of one step that run at once; the rest wait for a free place. @default 4 */
  toolConcurrency?: number;
  /**
   * Invalid tool calls (unknown tool, arguments not JSON or not matching the schema) a run
   * answers with an error result so the model can repair them; one more fails the run with
   * `tool_call_invalid`. @default 3
   */
  maxInvalidToolCalls?: number;
  /**
   * Token and cost budgets per tenant and window (UTC day or month), the same for every tenant
   * or per tenant from a function (`undefined`: no budget). Checked before a run, settled after
   * it, through the coordinator (atomic across instances); a spent budget refuses runs with
   * `budget_exceeded` (HTTP 429, `resetsAt`). Each budget counts live runs unless its `modes`
   * say otherwise. A function that throws refuses the run (`internal`, logged).
   * @default undefined (no budget)
   * @example [{ window: 'day', maxTokens: 200_000 }, { window: 'month', maxCostUsd: 50 }]
   */
  budgets?: readonly Budget[] | ((tenant: TenantContext) => readonly Budget[] | undefined);
}

/** The live-mode kill switch. */
export interface LiveOptions {
  /**
   * Whether live mode may run, for everyone or per tenant. A function must return `true` to
   * allow live (anything else, a promise included, means off); one that throws turns live off
   * for that call and is logged. @default true
   */
  enabled?: boolean | ((tenant: TenantContext) => boolean);
  /** When live is off, run mock instead (marked `requestedMode: 'live'`, `mode: 'mock'`) rather than fail. @default false */
  fallbackToMock?: boolean;
  /** Why live is off, shown to users. @default 'Live mode is disabled by the operator.' */
  reason?: string;
}

/** Passed to `onRetry` before each retry. */
export interface RetryState {
  executionId: string;
  agentId: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  error: AgentryError;
  /** How long the executor waits before the next attempt. */
  delayMs: number;
}

/** Options for {@link createExecutor}. */
export interface ExecutorOptions<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]> {
  /** The agents every tenant may run (tenant-owned ones only by their owner). */
  agents?: TAgents;
  /**
   * Looks up agents stored per tenant; consulted when `agents` has no match this tenant may see.
   * What it returns passes the same ownership guard as `listAgents`: another tenant's agent, or
   * one whose `tenantId` is not a string, answers `not_found`.
   */
  resolveAgent?: (agentId: string, tenant: TenantContext) => AnyAgent | undefined | Promise<AnyAgent | undefined>;
  /**
   * Lists a tenant's stored agents, for `listAgents` (and the server's `GET /agents`). Filter by
   * tenant here; the executor re-checks each agent exactly as for `resolveAgent` anyway, hides
   * (and logs, `agentry.tenant.agent_hidden`) foreign and malformed ones, and drops duplicates.
   */
  listAgents?: (tenant: TenantContext) => readonly AnyAgent[] | Promise<readonly AnyAgent[]>;
  /** Providers by key; the agent's `model.provider` picks the live one. `mock` defaults to `mockProvider()`. */
  providers?: Record<string, ProviderAdapter>;
  /** The kill switch. @default { enabled: true } */
  live?: LiveOptions;
  /** Structured logs (redacted). @default silentLogger */
  logger?: Logger;
  /** History. @default createMemoryStore() */
  store?: ExecutionStore;
  /**
   * State shared with the other instances of this deployment: concurrency leases, budgets,
   * cancel requests and event logs (see docs/multi-instance.md). Use the PostgreSQL one from
   * `@agentry/postgres` when several instances serve one app.
   * @default createMemoryCoordinator()
   */
  coordinator?: Coordinator;
  limits?: LimitOptions;
  /**
   * Ends tool-using runs early, for agents that set no `stopWhen` of their own: asked after each
   * step whose tools ran (see `defineAgent`'s `stopWhen`). @default undefined (until an answer or `maxSteps`)
   * @example stopWhen: hasToolCall('escalate')
   */
  stopWhen?: StopWhen;
  /** Prices per model, merged over the built-in table. */
  pricing?: PricingTable;
  /** Extra secret values to redact everywhere (providers' keys are added automatically). */
  secrets?: readonly (string | Secret)[];
  /**
   * Every event of every execution, with its tenant: forward to Sentry or OpenTelemetry. Errors
   * it throws never break a run; they are logged (`agentry.user_code.failed`) once per execution.
   */
  onEvent?: (event: ExecutionEvent, context: { tenant: TenantContext }) => void;
  /** Called before each retry. Errors it throws never break a run; they are logged. */
  onRetry?: (state: RetryState) => void;
  /** Execution id factory; one that throws or returns no string is logged and replaced by the default. @default `exe_` + a random id */
  generateId?: () => string;
}

/**
 * {@link RunOptions} plus the tenant: what `executor.execute` and `executor.stream` take. With a
 * known agent list, `agentId` picks the input type. (A tenant-bound handle from `forTenant` takes
 * plain `RunOptions`.)
 */
export type ExecuteOptions<
  TAgents extends readonly AnyAgent[] = readonly AnyAgent[],
  TId extends string = string,
> = RunOptions<TAgents, TId> & {
  /** Whose run this is; required (no tenant → `tenant_required`). */
  tenant: TenantContext;
};

/** The ids of a known agent list (any string when agents are resolved at run time). */
export type AgentIdOf<TAgents extends readonly AnyAgent[]> = TAgents[number]['id'];

type AgentById<TAgents extends readonly AnyAgent[], TId extends string> = Extract<TAgents[number], { id: TId }>;

/** The input type of the agent with id `TId`, or `unknown` when not known statically. */
export type AgentInputFor<TAgents extends readonly AnyAgent[], TId extends string> = [AgentById<TAgents, TId>] extends [
  never,
]
  ? unknown
  : AgentInput<AgentById<TAgents, TId>>;

/** The output type of the agent with id `TId`, or `unknown`. */
export type AgentOutputFor<TAgents extends readonly AnyAgent[], TId extends string> = [
  AgentById<TAgents, TId>,
] extends [never]
  ? unknown
  : AgentResultOutput<AgentById<TAgents, TId>>;

/**
 * The options of one run: the one name for this concept, everywhere. `ExecuteOptions` adds the
 * tenant; the run store's `StartRunOptions` and the React hook's `AgentRunOptions` derive from it.
 */
export interface RunOptions<TAgents extends readonly AnyAgent[] = readonly AnyAgent[], TId extends string = string> {
  agentId: TId;
  input: NoInfer<AgentInputFor<TAgents, TId>>;
  /** @default 'mock' */
  mode?: ExecutionMode;
  /** Cancels the run; the record's status becomes `cancelled`. */
  signal?: AbortSignal;
  /** Seed for mock mode; same agent, input and seed give the same output. */
  seed?: number;
  /**
   * Told when the client lost the run's event stream and is resuming it, and when it is back:
   * for a "Reconnecting…" status. Only the client calls it (an in-process executor's stream
   * cannot drop); if resuming fails, the stream throws as usual. @default undefined
   */
  onConnectionChange?: (state: StreamConnectionState) => void;
}

/**
 * A resumable event stream's connection, as {@link RunOptions.onConnectionChange} reports it:
 * `reconnecting` after a drop (before each attempt, counted from 1, with the error that caused
 * it), `connected` once a resumed stream answers again.
 */
export type StreamConnectionState =
  | { status: 'reconnecting'; attempt: number; lastEventId: number; error: AgentryError }
  | { status: 'connected'; lastEventId: number };

/** Options for `events()`: where to resume, and how to stop following. */
export interface ExecutionEventsOptions {
  /** The id of the last event already received (the SSE `Last-Event-ID`): only later ones follow. @default 0 */
  lastEventId?: number;
  /** Stops following (the iterable ends quietly). */
  signal?: AbortSignal;
  /** Told when the client reconnects a dropped stream; see {@link RunOptions.onConnectionChange}. @default undefined */
  onConnectionChange?: (state: StreamConnectionState) => void;
}

/**
 * What a UI needs from Agentry, bound to one tenant: the browser client
 * (`createClient`) and a tenant-bound executor (`executor.forTenant(tenant)`) both
 * implement it, so the TestPanel runs against a server or in the browser alike.
 */
export interface AgentService<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]> {
  /** The agents this tenant may run. */
  listAgents(options?: { signal?: AbortSignal }): Promise<AgentSummary[]>;
  /** Runs to completion; see {@link Executor.execute}. */
  execute<TId extends AgentIdOf<TAgents>>(
    options: RunOptions<TAgents, TId>,
  ): Promise<ExecutionResult<AgentOutputFor<TAgents, TId>>>;
  /** Runs and yields events; see {@link Executor.stream}. */
  stream<TId extends AgentIdOf<TAgents>>(
    options: RunOptions<TAgents, TId>,
  ): AsyncIterable<ExecutionEvent<AgentOutputFor<TAgents, TId>>>;
  /** This tenant's history, newest first. */
  listExecutions(options?: ListExecutionsOptions & { signal?: AbortSignal }): Promise<ExecutionPage>;
  /** One execution of this tenant; rejects with `not_found` otherwise. */
  getExecution(executionId: string, options?: { signal?: AbortSignal }): Promise<ExecutionResult>;
  /** Cancels one of this tenant's executions wherever it runs; see {@link Executor.cancel}. */
  cancel(executionId: string, options?: { signal?: AbortSignal }): Promise<ExecutionResult>;
  /** One execution's events with their ids, resumable; see {@link Executor.events}. */
  events(executionId: string, options?: ExecutionEventsOptions): AsyncIterable<ExecutionEventEntry>;
  /** Health of the service behind it. */
  health(options?: { signal?: AbortSignal }): Promise<HealthReport>;
}

/** An executor bound to one tenant, so request code cannot mix tenants. */
export interface TenantExecutor<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]>
  extends AgentService<TAgents> {
  readonly tenant: TenantContext;
}

/** Runs agents through one pipeline: resolve → tenant guard → validate → limits → provider → validate output → metrics → store → log. */
export interface Executor<TAgents extends readonly AnyAgent[] = readonly AnyAgent[]> {
  /**
   * Runs an agent to completion. Resolves with the record for every run that started
   * (`succeeded`, `failed` or `cancelled`); rejects with an {@link AgentryError} when the
   * request is refused before anything runs (`tenant_required`, `not_found`,
   * `validation_failed`, `input_too_large`, `live_disabled`, `provider_not_configured`,
   * `limit_exceeded`).
   */
  execute<TId extends AgentIdOf<TAgents>>(
    options: ExecuteOptions<TAgents, TId>,
  ): Promise<ExecutionResult<AgentOutputFor<TAgents, TId>>>;
  /**
   * Runs an agent and yields its events. Refusals throw from the first `next()`; once
   * started, the stream always ends with one `execution-finish` or `execution-error`.
   * Breaking out of the loop cancels the run.
   */
  stream<TId extends AgentIdOf<TAgents>>(
    options: ExecuteOptions<TAgents, TId>,
  ): AsyncIterable<ExecutionEvent<AgentOutputFor<TAgents, TId>>>;
  /** The agents this tenant may run, described for UIs. */
  listAgents(tenant: TenantContext): Promise<AgentSummary[]>;
  /** One agent this tenant may run; `not_found` otherwise. */
  getAgent(agentId: string, tenant: TenantContext): Promise<AnyAgent>;
  /** This tenant's history, newest first. */
  listExecutions(tenant: TenantContext, options?: ListExecutionsOptions): Promise<ExecutionPage>;
  /** One execution of this tenant; `not_found` otherwise. */
  getExecution(tenant: TenantContext, executionId: string): Promise<ExecutionResult>;
  /**
   * Cancels one of this tenant's executions on whichever instance runs it, and resolves with
   * its record once it ended (`cancelled`, with the output streamed so far). Idempotent: a
   * finished execution's record is answered unchanged. An unknown or another tenant's id
   * rejects with `not_found`.
   */
  cancel(tenant: TenantContext, executionId: string): Promise<ExecutionResult>;
  /**
   * One of this tenant's executions' events, each with its id (1, 2, 3, …): those logged so far,
   * then the rest as they happen, ending after `execution-finish` or `execution-error`. With
   * `lastEventId`, only the events after it (each exactly once). A finished execution whose log
   * has expired yields its final event alone. Refusals throw from the first `next()`:
   * `not_found` (unknown or another tenant's id), `validation_failed` (a `lastEventId` that is not
   * an integer ≥ 0, or past the end of a finished execution).
   */
  events(
    tenant: TenantContext,
    executionId: string,
    options?: ExecutionEventsOptions,
  ): AsyncIterable<ExecutionEventEntry>;
  /**
   * Writes the record of every run whose instance died (its lease expired): `failed`, code
   * `interrupted`, with the output and usage its event log holds. The executor also does this
   * on its own (when a slot is taken, and when a read misses), so a schedule is optional.
   * Resolves with how many runs it recorded.
   */
  recoverInterrupted(): Promise<number>;
  /** Whether live mode can run for this tenant, and why not. */
  liveStatus(tenant: TenantContext, agent?: AnyAgent): { available: boolean; reason?: string };
  /**
   * The kill switch and each provider's health, checked within `timeoutMs` (default 2000). Each
   * provider but `mock` carries `live`: the same availability `listAgents` gives its agents. With
   * a `tenant`, a per-tenant kill switch is answered for that tenant.
   */
  health(options?: { timeoutMs?: number; signal?: AbortSignal; tenant?: TenantContext }): Promise<HealthReport>;
  /** A handle bound to one tenant. */
  forTenant(tenant: TenantContext): TenantExecutor<TAgents>;
  /** The redactor that knows every configured secret: use it on anything else you send or log. */
  readonly redactor: Redactor;
}

/** @internal re-export for agent typing in tests. */
export type { AgentDefinition };
