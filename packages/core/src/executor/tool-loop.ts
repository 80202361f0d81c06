import { AgentryError, cloneError, isAgentryError } from '../errors';
import { unknownUsage } from '../metrics/usage';
import type { ProviderMessage, ProviderToolCall } from '../providers';
import type { StopCondition } from '../tools';
import type { AgentTools } from './agent-tools';
import { runAttempts } from './attempt-loop';
import { now } from './clock';
import type { ExecutorContext } from './executor-context';
import type { PreparedRun } from './prepare';
import { ProviderCallContext, type RunAbort } from './run-abort';
import { addUsage, type OutputSink, type RunState } from './run-state';
import {
  type CheckedCall,
  checkCall,
  type MaybePromise,
  runCheckedCall,
  type ToolCallOutcome,
  type ToolRunScope,
} from './run-tool';
import type { ExecutionEvent, ExecutionStep } from './types';
import { fromUserCode, seeServerLog } from './user-code';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** What the loop needs from the run: where events go (undefined when nobody listens) and the held text. */
export interface LoopIo {
  send: ((event: ExecutionEvent) => void) | undefined;
  /** Releases output text the stream redactor still holds, so a step's text goes out before its step events. */
  flushText(): void;
}

/** A step's own deadline, on top of the run's abort: aborts with `timeout` after `stepMs`. */
class StepDeadline {
  readonly abort: RunAbort;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(runAbort: RunAbort, stepMs: number, facts: { executionId: string; provider: string; index: number }) {
    const abort = runAbort.child();
    this.abort = abort;
    this.#timer = setTimeout(
      () =>
        abort.abort(
          new AgentryError('timeout', `Step ${facts.index + 1} did not finish within ${stepMs} ms.`, {
            executionId: facts.executionId,
            provider: facts.provider,
          }),
        ),
      stepMs,
    );
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.abort.release();
  }
}

/**
 * Runs `work` over `items` with at most `limit` at once; results in the items' order. While every
 * `work` answers synchronously (trivial tools), no promise is made.
 */
function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => MaybePromise<R>): MaybePromise<R[]> {
  // One call (the common step) or room for all: no workers to schedule.
  if (items.length === 1) {
    const only = work(items[0] as T);
    return only instanceof Promise ? only.then((result) => [result]) : [only];
  }
  if (limit >= items.length) {
    const results = items.map(work);
    return results.some((result) => result instanceof Promise) ? Promise.all(results) : (results as R[]);
  }
  return mapWorkers(items, limit, work);
}

async function mapWorkers<T, R>(items: readonly T[], limit: number, work: (item: T) => MaybePromise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  const workers: Promise<void>[] = [];
  for (let count = 0; count < limit; count += 1) workers.push(worker());
  await Promise.all(workers);
  return results;
}

function maxStepsReached(prepared: PreparedRun, maxSteps: number, executionId: string): AgentryError {
  return new AgentryError(
    'max_steps_reached',
    `Agent "${prepared.agent.id}" still called tools after ${maxSteps} steps (its maxSteps), so the run stopped. Raise maxSteps, or make the prompt lead to an answer sooner.`,
    { executionId, provider: prepared.provider.id },
  );
}

/** The stop conditions of this run: the agent's, else the executor's. */
function stopConditionsFor(context: ExecutorContext, prepared: PreparedRun): readonly StopCondition[] | undefined {
  const own = prepared.agent.stopWhen;
  if (own === undefined) return context.stopWhen;
  return Array.isArray(own) ? (own.length > 0 ? own : undefined) : [own as StopCondition];
}

/** Asks the conditions in order; any `true` stops. What one throws fails the run (user code). */
async function stopConditionMet(
  conditions: readonly StopCondition[],
  steps: readonly ExecutionStep[],
  agentId: string,
  executionId: string,
): Promise<{ stop: boolean } | { failure: AgentryError }> {
  const state = { steps: steps.slice() };
  try {
    for (const condition of conditions) if (await condition(state)) return { stop: true };
    return { stop: false };
  } catch (thrown) {
    const failure = fromUserCode(thrown, seeServerLog(`The stop condition (stopWhen) of agent "${agentId}" failed`));
    return { failure: failure.executionId === undefined ? cloneError(failure, { executionId }) : failure };
  }
}

/** Ends a step: its deadline disarmed, its duration, its `step-finish` event. */
function finishStep(
  record: ExecutionStep,
  started: number,
  deadline: StepDeadline | undefined,
  send: LoopIo['send'],
  executionId: string,
): void {
  deadline?.disarm();
  record.durationMs = round(now() - started);
  send?.({ type: 'step-finish', executionId, step: record });
}

/**
 * A tool-using agent's run: model → tool calls (checked, run at most `toolConcurrency` at once)
 * → results → model …, until an answer without tool calls, a stop condition (`stopWhen`),
 * `maxSteps`, a failure, a cancel or a deadline. The answer's text and object are left in the state for the output check; the steps
 * made, also before a failure, are in `state.steps`. Returns the failure, or `undefined`.
 * Never throws.
 */
export async function runToolLoop(
  context: ExecutorContext,
  prepared: PreparedRun,
  tools: AgentTools,
  state: RunState,
  sink: OutputSink,
  runAbort: RunAbort,
  streaming: boolean,
  io: LoopIo,
): Promise<AgentryError | undefined> {
  const { send } = io;
  const executionId = state.executionId;
  const { policy } = context;
  const maxSteps = prepared.agent.maxSteps ?? policy.maxSteps;
  const stepMs = policy.timeouts[prepared.mode].stepMs;
  const messages: ProviderMessage[] = [...prepared.messages];
  const conversation = { messages, tools: tools.providerTools };
  const steps: ExecutionStep[] = [];
  state.steps = steps;
  const stopWhen = stopConditionsFor(context, prepared);
  let invalidCalls = 0;
  let scope: ToolRunScope | undefined;

  for (let index = 0; ; index += 1) {
    const started = now();
    send?.({ type: 'step-start', executionId, index });
    // Without a step deadline the step's abort is the run's: nothing to arm or disarm.
    const deadline =
      stepMs === undefined
        ? undefined
        : new StepDeadline(runAbort, stepMs, { executionId, provider: prepared.provider.id, index });
    const abort = deadline === undefined ? runAbort : deadline.abort;
    // Each step's answer is its own; the finished steps' usage is kept aside and summed.
    if (index > 0)
      state.priorUsage = state.priorUsage === undefined ? state.usage : addUsage(state.priorUsage, state.usage);
    state.usage = unknownUsage();
    state.text = '';
    state.object = undefined;
    state.finishReason = undefined;
    state.rawFinishReason = undefined;
    const calls: ProviderToolCall[] = [];
    state.toolCalls = calls;
    const attempting = runAttempts(context, prepared, state, sink, abort, streaming, conversation);
    let failure = attempting instanceof Promise ? await attempting : attempting;
    state.toolCalls = undefined;
    io.flushText();
    const record: ExecutionStep = {
      index,
      text: context.redactor.redactString(state.text),
      toolCalls: [],
      toolResults: [],
      usage: state.usage,
      durationMs: 0,
    };
    if (state.finishReason !== undefined) record.finishReason = state.finishReason;
    steps.push(record);
    if (failure !== undefined || calls.length === 0) {
      finishStep(record, started, deadline, send, executionId);
      return failure;
    }

    // One scope for the run's steps while they share the run's abort; a step deadline needs its own.
    const stepScope: ToolRunScope =
      scope !== undefined && scope.abort === abort
        ? scope
        : { context, tenant: prepared.tenant, executionId, agentId: prepared.agent.id, mode: prepared.mode, abort };
    scope = stepScope;
    const checked: CheckedCall[] = [];
    for (const call of calls) {
      const pending = checkCall(stepScope, tools, call);
      const result = pending instanceof Promise ? await pending : pending;
      checked.push(result);
      record.toolCalls.push(result.record);
      send?.({ type: 'tool-call', executionId, stepIndex: index, toolCall: result.record });
    }
    const lastStep = index + 1 >= maxSteps;
    // At maxSteps no model would see the results: the tools run only when a stop condition
    // may still end the run here (it decides from the step's results).
    if (lastStep && stopWhen === undefined) {
      finishStep(record, started, deadline, send, executionId);
      return maxStepsReached(prepared, maxSteps, executionId);
    }
    // A tape replay serves the recorded results; the tools are not called (replayTools: 'recorded').
    const { recordedToolResults } = prepared.provider;
    const recorded =
      recordedToolResults === undefined
        ? undefined
        : await recordedToolResults.call(
            prepared.provider,
            { agentId: prepared.agent.id, executionId, messages, toolCalls: calls },
            new ProviderCallContext(abort, prepared.tenant, context.logger),
          );
    for (const outcome of recorded ?? [])
      send?.({ type: 'tool-result', executionId, stepIndex: index, toolResult: outcome.result });
    const sent = (outcome: ToolCallOutcome): ToolCallOutcome => {
      send?.({ type: 'tool-result', executionId, stepIndex: index, toolResult: outcome.result });
      return outcome;
    };
    let outcomes =
      recorded ??
      mapBounded(checked, policy.toolConcurrency, (call): MaybePromise<ToolCallOutcome> => {
        const outcome = runCheckedCall(stepScope, call);
        return outcome instanceof Promise ? outcome.then(sent) : sent(outcome);
      });
    if (outcomes instanceof Promise) outcomes = await outcomes;
    for (const outcome of outcomes) record.toolResults.push(outcome.result);
    if (abort.aborted) {
      // Cancelled or past a deadline mid-tool: the step keeps what its tools did.
      const reason: unknown = abort.reason;
      failure = isAgentryError(reason)
        ? reason
        : new AgentryError('cancelled', 'The execution was cancelled.', { executionId });
      finishStep(record, started, deadline, send, executionId);
      return failure;
    }
    for (const call of checked) if (!call.valid) invalidCalls += 1;
    finishStep(record, started, deadline, send, executionId);
    if (invalidCalls > policy.maxInvalidToolCalls) {
      return new AgentryError(
        'tool_call_invalid',
        `Agent "${prepared.agent.id}" made ${invalidCalls} invalid tool calls (an unknown tool, or arguments that are not JSON or do not match the tool's schema); at most ${policy.maxInvalidToolCalls} are answered for repair.`,
        { executionId, provider: prepared.provider.id },
      );
    }
    if (stopWhen !== undefined) {
      const decision = await stopConditionMet(stopWhen, steps, prepared.agent.id, executionId);
      if ('failure' in decision) return decision.failure;
      // Stopped: the run's answer is this step's text, left in the state (the finish reason is `tool_calls`).
      if (decision.stop) return undefined;
      if (lastStep) return maxStepsReached(prepared, maxSteps, executionId);
    }
    messages.push({ role: 'assistant', content: state.text, toolCalls: calls });
    for (const outcome of outcomes) messages.push(outcome.message);
  }
}
