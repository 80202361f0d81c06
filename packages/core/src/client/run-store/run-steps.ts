import type {
  ExecutionEvent,
  ExecutionResult,
  ExecutionStep,
  ToolCallRecord,
  ToolResultRecord,
} from '../../executor/types';
import type { FinishReason, Usage } from '../../metrics/types';
import type { RunEntry } from './types';

/**
 * Where one tool call is: `running` until its `tool-result` arrives, then `succeeded` or
 * `failed`; `not-run` when its step ended without running it (the run failed, was stopped, or
 * the model called tools on its last allowed step).
 */
export type RunToolCallStatus = 'running' | 'succeeded' | 'failed' | 'not-run';

/** One tool call of a step, paired with its result. */
export interface RunToolCall {
  /** The call as the model made it (arguments redacted, defaults applied). */
  call: ToolCallRecord;
  /** The tool's output or error, with its duration, once it finished. */
  result?: ToolResultRecord;
  status: RunToolCallStatus;
}

/**
 * Where one step is: `running` from `step-start` until `step-finish`, then `finished`;
 * `stopped` when the run ended during it (a failure, a cancel, a timeout) or the model still
 * called tools on its last allowed step.
 */
export type RunStepStatus = 'running' | 'finished' | 'stopped';

/** One step of a tool-using run, as a UI shows it: streamed as its events arrive, then as recorded. */
export interface RunStep {
  /** 0 for the first step. */
  index: number;
  status: RunStepStatus;
  /** What the model said on this step (streamed while it runs). */
  text: string;
  /** The tool calls of this step, in the model's order. */
  calls: RunToolCall[];
  /** The model call's usage, once the step finished. */
  usage?: Usage;
  /** Wall time of the step, once it finished (as the executor measured it). */
  durationMs?: number;
  finishReason?: FinishReason;
}

const EMPTY: readonly RunStep[] = Object.freeze([]);

function callStatus(result: ToolResultRecord | undefined, ended: boolean): RunToolCallStatus {
  if (result) return result.status;
  return ended ? 'not-run' : 'running';
}

/** One recorded step, as the timeline shows it. */
function fromRecord(step: ExecutionStep, runEnded: boolean): RunStep {
  const calls = step.toolCalls.map((call) => {
    const result = step.toolResults.find((candidate) => candidate.id === call.id);
    return { call, ...(result ? { result } : {}), status: callStatus(result, runEnded) };
  });
  const complete = step.finishReason !== undefined && calls.every((call) => call.result !== undefined);
  return {
    index: step.index,
    status: complete ? 'finished' : 'stopped',
    text: step.text,
    calls,
    usage: step.usage,
    durationMs: step.durationMs,
    ...(step.finishReason === undefined ? {} : { finishReason: step.finishReason }),
  };
}

/** The steps of a record (`record.steps`): a finished, restored or history run. */
export function stepsFromRecord(steps: readonly ExecutionStep[] | undefined): readonly RunStep[] {
  return steps && steps.length > 0 ? steps.map((step) => fromRecord(step, true)) : EMPTY;
}

function replaceStep(steps: readonly RunStep[], index: number, change: (step: RunStep) => RunStep): readonly RunStep[] {
  const at = steps.findIndex((step) => step.index === index);
  if (at === -1) return steps;
  const next = steps.slice();
  next[at] = change(steps[at] as RunStep);
  return next;
}

/** Marks what was still running when the run ended. */
function endSteps(steps: readonly RunStep[]): readonly RunStep[] {
  if (!steps.some((step) => step.status === 'running')) return steps;
  return steps.map((step) =>
    step.status === 'running'
      ? {
          ...step,
          status: 'stopped',
          calls: step.calls.map((call) => (call.status === 'running' ? { ...call, status: 'not-run' } : call)),
        }
      : step,
  );
}

/** The steps once the run ended: the record's when it has them (they are authoritative), else the streamed ones, closed. */
function stepsAtEnd(steps: readonly RunStep[], result: ExecutionResult | undefined): readonly RunStep[] {
  if (result?.steps && result.steps.length > 0) return stepsFromRecord(result.steps);
  return endSteps(steps);
}

/**
 * The steps after one event of the run. Step events build the running step (its calls, then
 * their results); output deltas inside a step add to its text; the final event replaces
 * everything with the record's steps. Other events change nothing.
 */
export function applyStepEvent(steps: readonly RunStep[], event: ExecutionEvent): readonly RunStep[] {
  switch (event.type) {
    case 'step-start':
      // A repeated start (a resumed stream never repeats one, but a stray server might) changes nothing.
      if (steps.some((step) => step.index === event.index)) return steps;
      return [...steps, { index: event.index, status: 'running', text: '', calls: [] }];
    case 'tool-call':
      return replaceStep(steps, event.stepIndex, (step) =>
        step.calls.some((call) => call.call.id === event.toolCall.id)
          ? step
          : { ...step, calls: [...step.calls, { call: event.toolCall, status: 'running' }] },
      );
    case 'tool-result':
      return replaceStep(steps, event.stepIndex, (step) => {
        const known = step.calls.some((call) => call.call.id === event.toolResult.id);
        const result = event.toolResult;
        // A result whose call was not seen (a stream joined late) still shows, under its name.
        const calls = known
          ? step.calls.map((call) => (call.call.id === result.id ? { ...call, result, status: result.status } : call))
          : [
              ...step.calls,
              { call: { id: result.id, name: result.name, args: undefined }, result, status: result.status },
            ];
        return { ...step, calls };
      });
    case 'step-finish': {
      const step = fromRecord(event.step, true);
      return steps.some((existing) => existing.index === step.index)
        ? replaceStep(steps, step.index, () => step)
        : [...steps, step].sort((left, right) => left.index - right.index);
    }
    case 'output-delta': {
      const last = steps[steps.length - 1];
      if (last?.status !== 'running') return steps;
      return replaceStep(steps, last.index, (step) => ({ ...step, text: step.text + event.delta }));
    }
    case 'execution-finish':
    case 'execution-error':
      return stepsAtEnd(steps, event.result);
    case 'execution-start':
    case 'usage':
      return steps;
    default:
      return event satisfies never;
  }
}

/**
 * A run's steps, read from what the run store keeps: the record's `steps` once it has them,
 * else its step events folded in order (what a streaming run shows); what was still running
 * when the run ended is closed. A selector, not store state, so a UI that shows no steps does
 * not carry the fold: `@agentry/react` calls it in its lazily loaded timeline
 * (from `@agentry/core/client/steps`).
 *
 * @example
 * const { current } = store.getSnapshot();
 * const steps = current ? runSteps(current) : [];
 */
export function runSteps(run: Pick<RunEntry, 'events' | 'result' | 'status'>): readonly RunStep[] {
  if (run.result?.steps && run.result.steps.length > 0) return stepsFromRecord(run.result.steps);
  let steps: readonly RunStep[] = EMPTY;
  for (const event of run.events) steps = applyStepEvent(steps, event);
  return run.status === 'running' || run.status === 'streaming' ? steps : stepsAtEnd(steps, undefined);
}
