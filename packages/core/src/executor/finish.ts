import { AgentryError, type SerializedAgentryError, serializeError } from '../errors';
import { silentLogger } from '../logging';
import type { ExecutionMetrics } from '../metrics';
import { isoNow, now } from './clock';
import type { ExecutorContext } from './executor-context';
import type { PreparedRun } from './prepare';
import { type RunState, runUsage } from './run-state';
import type { ExecutionResult } from './types';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The metrics of a run, from its state: durations in ms (µs precision), tokens, cost, provider. */
export function buildMetrics(
  state: RunState,
  run: { providerId: string; simulated: boolean; costUsd: number | null; end: number },
): ExecutionMetrics {
  const usage = runUsage(state);
  const metrics: ExecutionMetrics = {
    durationMs: round(Math.max(0, run.end - state.start)),
    timeToFirstOutputMs: state.firstOutputAt === null ? null : round(state.firstOutputAt - state.start),
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: run.costUsd,
    provider: run.providerId,
    model: state.model,
    attempts: state.attempts,
    simulated: run.simulated,
    // In the literal (most runs have one): a field added later lives outside the object, one
    // more object for each record kept. Deleting the last field added is V8's cheap delete.
    finishReason: state.finishReason,
  };
  if (metrics.finishReason === undefined) delete metrics.finishReason;
  if (usage.cachedInputTokens !== undefined) metrics.cachedInputTokens = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) metrics.reasoningTokens = usage.reasoningTokens;
  if (state.rawFinishReason !== undefined) metrics.rawFinishReason = state.rawFinishReason;
  return metrics;
}

/** How a run ended: its output, or the failure (with the partial text kept on the record). */
export type RunOutcome = { output: unknown } | { failure: AgentryError };

/**
 * Turns a run's state and outcome into its one record, saves it and logs
 * `agentry.execution.completed`. When the store fails, the caller gets a `failed` record with
 * a retryable `internal` error instead (the history does not hold its outcome: no record, or a
 * later `interrupted` one where a lease expires); the store's own words go to the log only.
 * Never throws.
 */
export function finish(
  context: ExecutorContext,
  prepared: PreparedRun,
  state: RunState,
  outcome: RunOutcome,
): ExecutionResult | Promise<ExecutionResult> {
  const { agent, tenant, provider, mode } = prepared;
  const { redactor } = context;
  const executionId = state.executionId;
  const metrics = buildMetrics(state, {
    providerId: provider.id,
    simulated: provider.simulated === true,
    // Every step's usage: a tool-using run pays for each model call.
    costUsd: state.usageReported ? context.priceOf(state.model, runUsage(state), tenant, executionId) : null,
    end: now(),
  });
  // A tape replay: the usage (and cost) are the recorded calls'.
  if (provider.usageSourceOf?.(executionId) === 'recorded') metrics.usageSource = 'recorded';
  const failure = 'output' in outcome ? undefined : outcome.failure;
  // One literal with every field a run always has (no spread copies: this runs on every run); a
  // field added later lives outside the object, one more object kept for as long as the record.
  const record: Record<string, unknown> = {
    id: executionId,
    agentId: agent.id,
    mode,
    requestedMode: prepared.requestedMode,
    tenantId: tenant.tenantId,
    input: prepared.recordedInput,
    metrics,
    startedAt: state.startedAt,
    finishedAt: isoNow(),
    status: failure === undefined ? 'succeeded' : failure.code === 'cancelled' ? 'cancelled' : 'failed',
    output:
      failure === undefined
        ? redactor.redactValue((outcome as { output: unknown }).output)
        : state.text === ''
          ? null
          : redactor.redactString(state.text),
    userId: tenant.userId,
  };
  if (record.userId === undefined) delete record.userId;
  // Redacted as they were made (tool loop) or received (an agent service's steps).
  if (state.steps !== undefined) record.steps = state.steps;
  if (failure !== undefined) {
    const error: SerializedAgentryError = serializeError(
      context.report.publicFailure(failure, agent.id, tenant.tenantId),
    );
    record.error = error;
  }
  const result = record as unknown as ExecutionResult;
  // The in-memory store saves at once: no promise, no await (the common single-process case).
  const saveNow = context.localSave;
  if (saveNow === undefined) return saveThenLog(context, prepared, state, record);
  try {
    saveNow(result);
  } catch (error) {
    return logged(context, prepared, saveFailed(context, prepared, state, record, error));
  }
  return logged(context, prepared, result);
}

async function saveThenLog(
  context: ExecutorContext,
  prepared: PreparedRun,
  state: RunState,
  record: Record<string, unknown>,
): Promise<ExecutionResult> {
  const result = record as unknown as ExecutionResult;
  try {
    await context.store.save(result);
  } catch (error) {
    return logged(context, prepared, saveFailed(context, prepared, state, record, error));
  }
  return logged(context, prepared, result);
}

function saveFailed(
  context: ExecutorContext,
  prepared: PreparedRun,
  state: RunState,
  record: Record<string, unknown>,
  error: unknown,
): ExecutionResult {
  context.logger.error('agentry.store.save_failed', {
    tenant_id: prepared.tenant.tenantId,
    execution_id: state.executionId,
    error_message: error instanceof Error ? error.message : String(error),
  });
  return unsavedRecord(context, record, state);
}

function logged(context: ExecutorContext, prepared: PreparedRun, result: ExecutionResult): ExecutionResult {
  // Without a logger, the log line's fields are not even built.
  if (context.logger !== silentLogger) logCompletion(context, prepared, result);
  return result;
}

/**
 * What the caller gets when the record could not be saved (a database outage): not the outcome
 * it would have had, since nothing was stored, but a retryable `internal` error that says so.
 */
function unsavedRecord(context: ExecutorContext, record: Record<string, unknown>, state: RunState): ExecutionResult {
  const error = new AgentryError(
    'internal',
    'The execution ran, but its record could not be saved (the execution store failed; the details are in the server log). The history may not show it, or show it later as interrupted: run it again.',
    { executionId: state.executionId, retryable: true },
  );
  const unsaved: Record<string, unknown> = { ...record };
  unsaved.status = 'failed';
  unsaved.output = state.text === '' ? null : context.redactor.redactString(state.text);
  unsaved.error = serializeError(error);
  return unsaved as unknown as ExecutionResult;
}

function logCompletion(context: ExecutorContext, prepared: PreparedRun, result: ExecutionResult): void {
  const { tenant } = prepared;
  const { metrics } = result;
  const fields = {
    tenant_id: tenant.tenantId,
    user_id: tenant.userId ?? null,
    agent_id: prepared.agent.id,
    execution_id: result.id,
    mode: prepared.mode,
    requested_mode: prepared.requestedMode,
    provider: prepared.provider.id,
    model: metrics.model,
    status: result.status,
    duration_ms: metrics.durationMs,
    time_to_first_output_ms: metrics.timeToFirstOutputMs,
    input_tokens: metrics.inputTokens,
    output_tokens: metrics.outputTokens,
    cost_usd: metrics.costUsd,
    finish_reason: metrics.finishReason ?? null,
    attempts: metrics.attempts,
    ...(result.status === 'succeeded'
      ? {}
      : { error_code: result.error.code, error_message: result.error.message, request_id: result.error.requestId }),
  };
  if (result.status === 'failed') context.logger.error('agentry.execution.completed', fields);
  else context.logger.info('agentry.execution.completed', fields);
}
