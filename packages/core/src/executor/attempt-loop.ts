import { type AgentryError, cloneError, isAgentryError, toAgentryError } from '../errors';
import { delay } from '../internal/delay';
import { attempt } from './attempt';
import { type ExecutorContext, unexpectedProviderError } from './executor-context';
import { backoffDelay, type ResolvedPolicy } from './policy';
import type { PreparedRun } from './prepare';
import { buildProviderRequest, type Conversation } from './provider-request';
import type { RunAbort } from './run-abort';
import type { OutputSink, RunState } from './run-state';

/** Whether a failed attempt is tried again, and after how long. */
export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** What {@link retryDecision} decides from: plain data about the failed attempt. */
export interface RetryFacts {
  failure: AgentryError;
  /** Attempts made so far, the failed one included. */
  attempts: number;
  policy: Pick<ResolvedPolicy, 'maxRetries' | 'maxRetryAfterMs' | 'backoff'>;
  /** The run itself was cancelled or hit its deadline. */
  runAborted: boolean;
  /** The caller already saw output of this attempt: a retry would repeat it. */
  outputEmitted: boolean;
}

/**
 * Retry only a retryable failure, within `maxRetries`, while the run is alive and before any
 * output reached the caller; wait the server's `retry-after` (refusing one over the cap) or
 * the backoff.
 */
export function retryDecision(facts: RetryFacts): RetryDecision {
  const { failure, policy } = facts;
  if (
    !failure.retryable ||
    failure.code === 'cancelled' ||
    facts.attempts > policy.maxRetries ||
    facts.runAborted ||
    facts.outputEmitted
  ) {
    return { retry: false };
  }
  const retryAfter = failure.retryAfterMs;
  if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return { retry: false };
  return { retry: true, delayMs: retryAfter ?? backoffDelay(policy.backoff, facts.attempts) };
}

function withExecutionId(error: AgentryError, executionId: string): AgentryError {
  return error.executionId === undefined ? cloneError(error, { executionId }) : error;
}

/**
 * Calls the provider until an attempt succeeds or {@link retryDecision} says stop. Returns the
 * last attempt's failure, or `undefined` on success. Never throws.
 */
export async function runAttempts(
  context: ExecutorContext,
  prepared: PreparedRun,
  state: RunState,
  sink: OutputSink,
  runAbort: RunAbort,
  streaming: boolean,
  conversation?: Conversation,
): Promise<AgentryError | undefined> {
  const { agent, tenant, provider } = prepared;
  const { policy, logger } = context;
  const timeouts = policy.timeouts[prepared.mode];
  // Per model call: a tool-using run's later steps count their attempts from 1 again.
  let attempts = 0;
  const firstOutputBefore = state.firstOutputAt;
  while (true) {
    state.attempts += 1;
    attempts += 1;
    const textBefore = state.text.length;
    try {
      const attempting = attempt({
        provider,
        request: buildProviderRequest(prepared, state.executionId, attempts, conversation),
        tenant,
        logger,
        streaming,
        runAbort,
        timeouts,
        state,
        sink,
      });
      // An answer known at once (the mock's) was applied already: no promise to wait on.
      if (attempting !== undefined) await attempting;
      return undefined;
    } catch (thrown) {
      const failure = withExecutionId(
        isAgentryError(thrown) ? thrown : unexpectedProviderError(context, provider.id, thrown),
        state.executionId,
      );
      const decision = retryDecision({
        failure,
        attempts,
        policy,
        runAborted: runAbort.aborted,
        outputEmitted:
          state.text.length > textBefore || (streaming && state.firstOutputAt !== null && firstOutputBefore === null),
      });
      if (!decision.retry) return failure;
      try {
        context.options.onRetry?.({
          executionId: state.executionId,
          agentId: agent.id,
          attempt: state.attempts,
          error: context.redactError(failure),
          delayMs: decision.delayMs,
        });
      } catch (error) {
        // A hook must never break an execution, nor fail silently.
        context.report.log('onRetry', error, { tenant_id: tenant.tenantId, execution_id: state.executionId });
      }
      logger.info('agentry.execution.retry', {
        tenant_id: tenant.tenantId,
        agent_id: agent.id,
        execution_id: state.executionId,
        attempt: state.attempts,
        error_code: failure.code,
        delay_ms: decision.delayMs,
      });
      try {
        await delay(decision.delayMs, runAbort.signal);
      } catch (reason) {
        return withExecutionId(isAgentryError(reason) ? reason : toAgentryError(reason), state.executionId);
      }
    }
  }
}
