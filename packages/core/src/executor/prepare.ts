import type { AnyAgent, ChatMessage, ExecutionMode } from '../agent';
import type { RunningExecution } from '../coordinator';
import { AgentryError } from '../errors';
import type { ProviderAdapter } from '../providers';
import { assertTenant, type TenantContext } from '../tenant';
import { toValidationIssues } from '../validation';
import { inputShapeError } from '../validation/json-depth';
import { type AgentTools, agentTools, toolsProblem } from './agent-tools';
import { buildPrompt } from './build-prompt';
import { isoNow } from './clock';
import { outputJsonSchema } from './describe-agent';
import type { ExecutorContext } from './executor-context';
import { isLiveEnabled, liveStatus } from './live-switch';
import { RunAbort } from './run-abort';
import { acquireRunLease, budgetsFor, type RunLease } from './run-lease';
import { issuesSummary, safeParse } from './safe-parse';
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
 * Every check before a run, in order: options, tenant, agent, mode, input shape and size,
 * input schema, the kill switch, the provider, the prompt, and last the lease (a concurrency
 * slot, after the budgets).
 * Throws the refusal; nothing is recorded for a refused request.
 */
export async function prepare(
  context: ExecutorContext,
  runOptions: ExecuteOptions<readonly AnyAgent[]>,
  controller: RunAbort = new RunAbort(),
): Promise<PreparedRun> {
  if (runOptions === null || typeof runOptions !== 'object') {
    throw new AgentryError('validation_failed', 'execute() takes an options object: { agentId, input, mode, tenant }.');
  }
  assertTenant(runOptions.tenant);
  const tenant = runOptions.tenant;
  const resolving = context.catalog.resolve(runOptions.agentId, tenant);
  const agent = resolving instanceof Promise ? await resolving : resolving;
  const requestedMode = checkMode(agent, runOptions.mode ?? 'mock');
  const { policy } = context;
  // Before anything recursive (JSON.stringify, zod) walks it: a deep input must not exhaust the stack.
  const shapeError = inputShapeError(runOptions.input, policy.maxDepth, policy.maxInputBytes);
  if (shapeError) throw shapeError;
  checkInputSize(runOptions.input, policy.maxInputBytes);
  // The user code below answers synchronously as a rule: awaited only when it gave a promise.
  const parsing = callUserCodeNow(
    () => seeServerLog(`The input schema of agent "${agent.id}" failed while validating the input`),
    () => safeParse(agent.input, runOptions.input),
  );
  const parsed = parsing instanceof Promise ? await parsing : parsing;
  if (!parsed.success) {
    const issues = toValidationIssues(parsed.error.issues);
    throw new AgentryError('validation_failed', `Invalid input for agent "${agent.id}": ${issuesSummary(issues)}.`, {
      issues,
    });
  }
  let mode: ExecutionMode = requestedMode;
  if (mode === 'live' && !isLiveEnabled(context, tenant)) {
    if (!context.options.live?.fallbackToMock)
      throw new AgentryError('live_disabled', `${context.liveReason} Run in mock mode instead.`);
    mode = 'mock';
  }
  const provider = mode === 'mock' ? (context.providers.mock as ProviderAdapter) : liveProvider(context, agent, tenant);
  const mockProblem = mode === 'mock' ? toolsProblem(agent, provider) : undefined;
  if (mockProblem) throw new AgentryError('provider_not_configured', mockProblem);
  const prompting = buildPrompt(agent, parsed.data);
  const messages = prompting instanceof Promise ? await prompting : prompting;
  const converting = callUserCodeNow(
    () => seeServerLog(`The output schema of agent "${agent.id}" cannot be converted to JSON Schema`),
    () => outputJsonSchema(agent),
  );
  const outputSchema = converting instanceof Promise ? await converting : converting;
  // Agents without tools skip this (no promise, no lookup): their path stays as it was.
  const tools =
    agent.tools === undefined
      ? undefined
      : await callUserCode(
          seeServerLog(`The tool schemas of agent "${agent.id}" cannot be converted to JSON Schema`),
          () => agentTools(agent, mode),
        );
  // Last: a refusal above must not hold a lease. A run takes one lease, whatever its steps.
  const executionId = context.nextExecutionId(tenant);
  const model = agent.model?.model ?? 'mock';
  const recordedInput = context.redactor.redactValue(parsed.data);
  const budgets = budgetsFor(context, tenant, mode);
  // Runs whose instance died free their slots here (throttled), before this run counts them.
  if (context.sweeper.due()) await context.sweeper.sweep(false);
  const startedAt = isoNow();
  const running: RunningExecution = {
    executionId,
    tenantId: tenant.tenantId,
    agentId: agent.id,
    mode,
    requestedMode,
    provider: provider.id,
    model,
    input: recordedInput,
    startedAt,
  };
  if (tenant.userId !== undefined) running.userId = tenant.userId;
  const leasing = acquireRunLease(context, running, budgets, runOptions.signal, controller);
  const lease = leasing instanceof Promise ? await leasing : leasing;
  return {
    executionId,
    agent,
    tenant,
    input: parsed.data,
    mode,
    requestedMode,
    provider,
    model,
    messages,
    outputSchema,
    seed: runOptions.seed,
    tools,
    controller,
    startedAt,
    recordedInput,
    lease,
  };
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
