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

/** The attempts' outcome: the last failure, or `undefined` on success; a promise only when an attempt had to wait. */
export type AttemptsOutcome = AgentryError | undefined;

/**
 * Calls the provider until an attempt succeeds or {@link retryDecision} says stop. Returns the
 * last attempt's failure, or `undefined` on success. Never throws (nor rejects).
 *
 * No async frame: an attempt answered at once (the mock's) returns its outcome synchronously,
 * and only an attempt that waits (a live call, a stream, a retry's backoff) makes a promise.
 */
export function runAttempts(
  context: ExecutorContext,
  prepared: PreparedRun,
  state: RunState,
  sink: OutputSink,
  runAbort: RunAbort,
  streaming: boolean,
  conversation?: Conversation,
): AttemptsOutcome | Promise<AttemptsOutcome> {
  return new AttemptLoop(context, prepared, state, sink, runAbort, streaming, conversation).next();
}

class AttemptLoop {
  /** Per model call: a tool-using run's later steps count their attempts from 1 again. */
  #attempts = 0;
  #textBefore = 0;
  readonly #firstOutputBefore: number | null;

  constructor(
    readonly context: ExecutorContext,
    readonly prepared: PreparedRun,
    readonly state: RunState,
    readonly sink: OutputSink,
    readonly runAbort: RunAbort,
    readonly streaming: boolean,
    readonly conversation: Conversation | undefined,
  ) {
    this.#firstOutputBefore = state.firstOutputAt;
  }

  /** Starts the next attempt. */
  next(): AttemptsOutcome | Promise<AttemptsOutcome> {
    const { state, prepared } = this;
    state.attempts += 1;
    this.#attempts += 1;
    this.#textBefore = state.text.length;
    let attempting: Promise<void> | undefined;
    try {
      attempting = attempt({
        provider: prepared.provider,
        request: buildProviderRequest(prepared, state.executionId, this.#attempts, this.conversation),
        tenant: prepared.tenant,
        logger: this.context.logger,
        streaming: this.streaming,
        runAbort: this.runAbort,
        timeouts: this.context.policy.timeouts[prepared.mode],
        state,
        sink: this.sink,
      });
    } catch (thrown) {
      return this.#failed(thrown);
    }
    // An answer known at once (the mock's) was applied already: no promise to wait on.
    if (attempting === undefined) return undefined;
    return attempting.then(
      () => undefined,
      (thrown: unknown) => this.#failed(thrown),
    );
  }

  /** A failed attempt: its failure, or the next attempt after the retry's wait. */
  #failed(thrown: unknown): AttemptsOutcome | Promise<AttemptsOutcome> {
    const { context, prepared, state, runAbort } = this;
    const { agent, tenant, provider } = prepared;
    const failure = withExecutionId(
      isAgentryError(thrown) ? thrown : unexpectedProviderError(context, provider.id, thrown),
      state.executionId,
    );
    const decision = retryDecision({
      failure,
      attempts: this.#attempts,
      policy: context.policy,
      runAborted: runAbort.aborted,
      outputEmitted:
        state.text.length > this.#textBefore ||
        (this.streaming && state.firstOutputAt !== null && this.#firstOutputBefore === null),
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
    context.logger.info('agentry.execution.retry', {
      tenant_id: tenant.tenantId,
      agent_id: agent.id,
      execution_id: state.executionId,
      attempt: state.attempts,
      error_code: failure.code,
      delay_ms: decision.delayMs,
    });
    return delay(decision.delayMs, runAbort.signal).then(
      () => this.next(),
      (reason: unknown) => withExecutionId(isAgentryError(reason) ? reason : toAgentryError(reason), state.executionId),
    );
  }
}
