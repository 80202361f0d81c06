import type { AnyAgent, ChatMessage, ExecutionMode } from '../agent';
import type { Budget, RunningExecution } from '../coordinator';
import { AgentryError } from '../errors';
import type { ProviderAdapter } from '../providers';
import { assertTenant, type TenantContext } from '../tenant';
import { toValidationIssues } from '../validation';
import { inputShapeError } from '../validation/json-depth';
import { fitsAsJson } from '../validation/json-size';
import { type AgentTools, agentTools, toolsProblem } from './agent-tools';
import { buildPrompt } from './build-prompt';
import { isoNow } from './clock';
import { outputJsonSchema } from './describe-agent';
import type { ExecutorContext } from './executor-context';
import { isLiveEnabled, liveStatus } from './live-switch';
import { RunAbort } from './run-abort';
import { acquireRunLease, budgetsFor, type RunLease } from './run-lease';
import { issuesSummary, type ParseResult, safeParse } from './safe-parse';
import type { ExecuteOptions } from './types';
import { callUserCode, callUserCodeNow, seeServerLog } from './user-code';

/** A request that passed every check and holds a lease (give it back with `lease.end`). */
export interface PreparedRun {
  executionId: string;
  agent: AnyAgent;
  tenant: TenantContext;
  /** The validated input (defaults applied). */
  input: unknown;
  mode: ExecutionMode;
  requestedMode: ExecutionMode;
  provider: ProviderAdapter;
  model: string;
  messages: ChatMessage[];
  /** The output's JSON Schema, computed before the run (converting it runs the agent's schema code). */
  outputSchema: Record<string, unknown> | undefined;
  seed: number | undefined;
  /**
   * The run's one controller: aborted by the caller's signal and cancel requests from any
   * instance (the lease), the total deadline (the run), or the stream's consumer leaving.
   */
  controller: RunAbort;
  /** The agent's tools offered in this mode; undefined for an agent without tools (the plain path). */
  tools: AgentTools | undefined;
  /** When the run registered with the coordinator (ISO 8601): the record's `startedAt` too. */
  startedAt: string;
  /** The input as it is recorded (redacted once, for the lease and the record). */
  recordedInput: unknown;
  /** The run's lease: concurrency slot, budgets, cancel, event log. */
  lease: RunLease;
}

const encoder = new TextEncoder();

/** Refuses input that is not JSON, or larger than `maxInputBytes` of UTF-8 JSON. */
export function checkInputSize(input: unknown, maxInputBytes: number): void {
  // Plain data certainly under the limit needs no serializing (the common input).
  if (fitsAsJson(input, maxInputBytes)) return;
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch (error) {
    throw new AgentryError('validation_failed', 'The input cannot be serialized to JSON (a cycle or a BigInt?).', {
      issues: [{ path: [], message: 'Input must be plain JSON data.' }],
      cause: error,
    });
  }
  if (json === undefined) {
    throw new AgentryError('validation_failed', 'The input is missing: pass `input`, e.g. an object.', {
      issues: [{ path: [], message: 'Required.' }],
    });
  }
  // Three bytes per UTF-16 unit bounds UTF-8 size, so most inputs skip the encode.
  if (json.length * 3 > maxInputBytes) {
    const bytes = encoder.encode(json).byteLength;
    if (bytes > maxInputBytes) {
      throw new AgentryError(
        'input_too_large',
        `The input is ${bytes} bytes of JSON; this executor accepts at most ${maxInputBytes}.`,
        {
          issues: [{ path: [], message: `At most ${maxInputBytes} bytes.` }],
          limit: { kind: 'input_size', value: maxInputBytes, unit: 'bytes' },
        },
      );
    }
  }
}

function checkMode(agent: AnyAgent, mode: unknown): ExecutionMode {
  if (mode !== 'mock' && mode !== 'live') {
    throw new AgentryError('validation_failed', `mode must be "mock" or "live", got ${JSON.stringify(mode)}.`, {
      issues: [{ path: ['mode'], message: 'Expected "mock" or "live".' }],
    });
  }
  if (!agent.modes.includes(mode)) {
    throw new AgentryError('validation_failed', `Agent "${agent.id}" does not run in ${mode} mode.`, {
      issues: [{ path: ['mode'], message: `Allowed: ${agent.modes.join(', ')}.` }],
    });
  }
  return mode;
}

/** The provider a live run of `agent` uses, or the refusal that says why it cannot run. */
function liveProvider(context: ExecutorContext, agent: AnyAgent, tenant: TenantContext): ProviderAdapter {
  const key = agent.model?.provider;
  const live = key === undefined ? undefined : context.providers[key];
  if (!live) {
    throw new AgentryError(
      'provider_not_configured',
      key === undefined
        ? `Agent "${agent.id}" has no \`model\`, so it cannot run live. Add model: { provider, model } to its definition.`
        : `Agent "${agent.id}" needs the "${key}" provider, which is not configured. Pass it in createExecutor({ providers }).`,
    );
  }
  if (live.configured === false) {
    // Refused before it starts, with the words GET /agents shows (not a failed run saying "retry").
    throw new AgentryError(
      'provider_not_configured',
      `Agent "${agent.id}" needs the "${key}" provider, which has no API key or settings. Configure it, or run in mock mode.`,
      { userMessage: liveStatus(context, tenant, agent).reason as string, provider: live.id },
    );
  }
  const problem = live.checkAgent?.(agent) ?? toolsProblem(agent, live);
  if (problem) throw new AgentryError('provider_not_configured', problem);
  return live;
}

/**
 * A request being prepared: the stages below fill it in, in order; complete, it is the prepared
 * run itself (one object, no copy).
 */
class Preparation implements PreparedRun {
  executionId = '';
  agent: AnyAgent = undefined as unknown as AnyAgent;
  input: unknown = undefined;
  mode: ExecutionMode = 'mock';
  requestedMode: ExecutionMode = 'mock';
  provider: ProviderAdapter = undefined as unknown as ProviderAdapter;
  model = 'mock';
  messages: ChatMessage[] = [];
  outputSchema: Record<string, unknown> | undefined = undefined;
  seed: number | undefined;
  tools: AgentTools | undefined = undefined;
  startedAt = '';
  recordedInput: unknown = undefined;
  lease: RunLease = undefined as unknown as RunLease;
  /** The input schema's answer, read by {@link acceptInput}. */
  parsed: ParseResult | undefined = undefined;
  budgets: readonly Budget[] = [];

  constructor(
    readonly context: ExecutorContext,
    readonly options: ExecuteOptions<readonly AnyAgent[]>,
    readonly tenant: TenantContext,
    readonly controller: RunAbort,
  ) {
    this.seed = options.seed;
  }
}

/** One stage of {@link prepare}: fills in its part, or answers the promise it waits on (a host's or a schema's). */
type Stage = (run: Preparation) => Promise<void> | undefined;

function resolveAgent(run: Preparation): Promise<void> | undefined {
  const resolving = run.context.catalog.resolve(run.options.agentId, run.tenant);
  if (resolving instanceof Promise)
    return resolving.then((agent) => {
      run.agent = agent;
    });
  run.agent = resolving;
  return undefined;
}

const inputSchemaFailed = (agent: AnyAgent): string =>
  seeServerLog(`The input schema of agent "${agent.id}" failed while validating the input`);
const parseWith = (agent: AnyAgent, input: unknown): ParseResult | Promise<ParseResult> =>
  safeParse(agent.input, input);

/** The mode, the input's shape and size, then the input schema (user code: awaited only when it gave a promise). */
function parseInput(run: Preparation): Promise<void> | undefined {
  const { agent, options } = run;
  const { policy } = run.context;
  run.requestedMode = checkMode(agent, options.mode ?? 'mock');
  // Before anything recursive (JSON.stringify, zod) walks it: a deep input must not exhaust the stack.
  const shapeError = inputShapeError(options.input, policy.maxDepth, policy.maxInputBytes);
  if (shapeError) throw shapeError;
  checkInputSize(options.input, policy.maxInputBytes);
  const parsing = callUserCodeNow(inputSchemaFailed, parseWith, agent, options.input);
  if (parsing instanceof Promise)
    return parsing.then((parsed) => {
      run.parsed = parsed;
    });
  run.parsed = parsing;
  return undefined;
}

/** The input schema's verdict, then the kill switch and the provider. */
function acceptInput(run: Preparation): undefined {
  const { agent, context, tenant } = run;
  const parsed = run.parsed as ParseResult;
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error.issues);
    throw new AgentryError('validation_failed', `Invalid input for agent "${agent.id}": ${issuesSummary(issues)}.`, {
      issues,
    });
  }
  run.input = parsed.data;
  run.parsed = undefined;
  let mode = run.requestedMode;
  if (mode === 'live' && !isLiveEnabled(context, tenant)) {
    if (!context.options.live?.fallbackToMock)
      throw new AgentryError('live_disabled', `${context.liveReason} Run in mock mode instead.`);
    mode = 'mock';
  }
  run.mode = mode;
  const provider = mode === 'mock' ? (context.providers.mock as ProviderAdapter) : liveProvider(context, agent, tenant);
  const mockProblem = mode === 'mock' ? toolsProblem(agent, provider) : undefined;
  if (mockProblem) throw new AgentryError('provider_not_configured', mockProblem);
  run.provider = provider;
  return undefined;
}

function buildMessages(run: Preparation): Promise<void> | undefined {
  const prompting = buildPrompt(run.agent, run.input);
  if (prompting instanceof Promise)
    return prompting.then((messages) => {
      run.messages = messages;
    });
  run.messages = prompting;
  return undefined;
}

/** The output's JSON Schema and the tools' (user code: converting runs the agent's schema code). */
function convertSchemas(run: Preparation): Promise<void> | undefined {
  const { agent } = run;
  // Without an output schema there is nothing to convert (and no user code to call).
  const converting =
    agent.output === undefined ? undefined : callUserCodeNow(outputSchemaFailed, outputJsonSchema, agent, undefined);
  // Agents without tools skip the tools (no promise, no lookup): their path stays as it was.
  if (!(converting instanceof Promise)) {
    run.outputSchema = converting;
    return agent.tools === undefined ? undefined : convertTools(run);
  }
  return converting.then((schema) => {
    run.outputSchema = schema;
    return agent.tools === undefined ? undefined : convertTools(run);
  });
}

const outputSchemaFailed = (agent: AnyAgent): string =>
  seeServerLog(`The output schema of agent "${agent.id}" cannot be converted to JSON Schema`);

function convertTools(run: Preparation): Promise<void> {
  const { agent, mode } = run;
  return callUserCode(seeServerLog(`The tool schemas of agent "${agent.id}" cannot be converted to JSON Schema`), () =>
    agentTools(agent, mode),
  ).then((tools) => {
    run.tools = tools;
  });
}

/** The run's id and its recorded input, its budgets; runs whose instance died free their slots (throttled). */
function sweepStale(run: Preparation): Promise<void> | undefined {
  const { context, tenant } = run;
  run.executionId = context.nextExecutionId(tenant);
  run.model = run.agent.model?.model ?? 'mock';
  run.recordedInput = context.redactor.redactValue(run.input);
  run.budgets = budgetsFor(context, tenant, run.mode);
  // Before this run counts the slots.
  return context.sweeper.due() ? context.sweeper.sweep(false).then(noop) : undefined;
}

/** Last: a refusal above must not hold a lease. A run takes one lease, whatever its steps. */
function takeLease(run: Preparation): Promise<void> | undefined {
  const { tenant } = run;
  const startedAt = isoNow();
  run.startedAt = startedAt;
  const running: RunningExecution = {
    executionId: run.executionId,
    tenantId: tenant.tenantId,
    agentId: run.agent.id,
    mode: run.mode,
    requestedMode: run.requestedMode,
    provider: run.provider.id,
    model: run.model,
    input: run.recordedInput,
    startedAt,
  };
  if (tenant.userId !== undefined) running.userId = tenant.userId;
  const leasing = acquireRunLease(run.context, running, run.budgets, run.options.signal, run.controller);
  if (leasing instanceof Promise)
    return leasing.then((lease) => {
      run.lease = lease;
    });
  run.lease = leasing;
  return undefined;
}

const noop = () => {};

/** The stages of {@link prepare}, in order. */
const STAGES: readonly Stage[] = [
  resolveAgent,
  parseInput,
  acceptInput,
  buildMessages,
  convertSchemas,
  sweepStale,
  takeLease,
];

function prepareFrom(run: Preparation, from: number): PreparedRun | Promise<PreparedRun> {
  for (let index = from; index < STAGES.length; index += 1) {
    const waiting = (STAGES[index] as Stage)(run);
    if (waiting !== undefined) return resumeAt(run, waiting, index + 1);
  }
  return run;
}

function resumeAt(run: Preparation, waiting: Promise<void>, next: number): Promise<PreparedRun> {
  return waiting.then(() => prepareFrom(run, next));
}

/**
 * Every check before a run, in order: options, tenant, agent, mode, input shape and size,
 * input schema, the kill switch, the provider, the prompt, the schemas, and last the lease (a
 * concurrency slot, after the budgets).
 * Throws the refusal (or rejects with it, once a stage has waited); nothing is recorded for a
 * refused request. Synchronous while every stage answers at once (the agents in the executor,
 * synchronous schemas and prompt, the in-process coordinator): no promise, no tick.
 */
export function prepare(
  context: ExecutorContext,
  runOptions: ExecuteOptions<readonly AnyAgent[]>,
  controller: RunAbort = new RunAbort(),
): PreparedRun | Promise<PreparedRun> {
  if (runOptions === null || typeof runOptions !== 'object') {
    throw new AgentryError('validation_failed', 'execute() takes an options object: { agentId, input, mode, tenant }.');
  }
  assertTenant(runOptions.tenant);
  return prepareFrom(new Preparation(context, runOptions, runOptions.tenant, controller), 0);
}

/** Logs a refused request (`agentry.execution.rejected`): there is no record for it. */
export function logRejection(
  context: ExecutorContext,
  error: AgentryError,
  runOptions: Partial<ExecuteOptions<readonly AnyAgent[]>> | undefined,
): void {
  const tenant = runOptions?.tenant;
  context.logger.warn('agentry.execution.rejected', {
    tenant_id: typeof tenant?.tenantId === 'string' ? tenant.tenantId : null,
    user_id: typeof tenant?.userId === 'string' ? tenant.userId : null,
    agent_id: typeof runOptions?.agentId === 'string' ? runOptions.agentId : null,
    mode: runOptions?.mode ?? 'mock',
    status: 'rejected',
    error_code: error.code,
    error_message: error.message,
    // The real reason behind a generic internal error, for operators (redacted like every field).
    ...(error.code === 'internal' && error.cause !== undefined ? { error_cause: error.cause } : {}),
  });
}
