/**
 * What a stop condition sees of each step so far: the step as the record keeps it (an
 * `ExecutionStep`, redacted). Declared here, structurally, so the tools layer needs no protocol
 * import; the record's `ExecutionStep` fits it.
 */
export interface StopConditionStep {
  /** 0 for the first step. */
  readonly index: number;
  /** What the model said on this step. */
  readonly text: string;
  /** The calls the model made, arguments validated (or as sent, for an invalid call). */
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly args: unknown }[];
  /** Their results: the tool's output, or the error the model was shown. */
  readonly toolResults: readonly (
    | { readonly id: string; readonly name: string; readonly status: 'succeeded'; readonly output: unknown }
    | {
        readonly id: string;
        readonly name: string;
        readonly status: 'failed';
        readonly error: { readonly code: string; readonly message: string };
      }
  )[];
  /** Why the model stopped: `tool_calls` on a step that called tools. */
  readonly finishReason?: string;
}

/** What a {@link StopCondition} is asked with. */
export interface StopConditionState {
  /** Every step so far, oldest first; the last one has just run its tools. */
  readonly steps: readonly StopConditionStep[];
}

/**
 * Decides whether a tool-using run stops after a step whose tools ran, instead of sending their
 * results back to the model. Return (or resolve) `true` to stop: the run then succeeds with that
 * step's text as its output. Asked after every step that called tools, never after the answer.
 * What it throws fails the run (`internal`, logged; an `AgentryError` keeps its code).
 */
export type StopCondition = (state: StopConditionState) => boolean | PromiseLike<boolean>;

/** `stopWhen` as `defineAgent` and `createExecutor` take it: one condition, or several (any one stops). */
export type StopWhen = StopCondition | readonly StopCondition[];

/**
 * Stops once `count` steps have been made (the AI SDK's `stepCountIs`). `maxSteps` still bounds
 * the run: with `count` > `maxSteps` it never fires.
 * @example defineAgent({ …, tools, stopWhen: stepCountIs(3) })
 */
export function stepCountIs(count: number): StopCondition {
  if (!Number.isInteger(count) || count < 1) {
    throw new TypeError(`stepCountIs: count must be a whole number >= 1, got ${String(count)}.`);
  }
  return ({ steps }) => steps.length >= count;
}

/**
 * Stops after a step that called the tool named `toolName` (the AI SDK's `hasToolCall`): e.g. a
 * `finalAnswer` tool whose arguments are the answer, read from `record.steps`.
 * @example defineAgent({ …, tools: { lookupOrder, escalate }, stopWhen: hasToolCall('escalate') })
 */
export function hasToolCall(toolName: string): StopCondition {
  if (typeof toolName !== 'string' || toolName === '') {
    throw new TypeError(`hasToolCall: toolName must be a tool's name, got ${JSON.stringify(toolName)}.`);
  }
  return ({ steps }) => steps.at(-1)?.toolCalls.some((call) => call.name === toolName) ?? false;
}

/** `stopWhen` as a list, checked: a function or an array of functions (`where` names the option in errors). */
export function stopConditionsOf(value: unknown, where: string): readonly StopCondition[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  list.forEach((condition, index) => {
    if (typeof condition !== 'function') {
      const at = Array.isArray(value) ? `${where}[${index}]` : where;
      throw new TypeError(
        `${at} must be a stop condition: a function of { steps } answering true to stop, e.g. stepCountIs(3) or hasToolCall('escalate').`,
      );
    }
  });
  return list.length === 0 ? undefined : (list as StopCondition[]);
}
