import type { TenantContext } from '../tenant/tenant-context';
import type { ToolInput, ToolSet } from '../tools/define-tool';

/** Deterministic helpers handed to a mock function. */
export interface MockContext {
  /** The seed in force (the provider's seed mixed with the agent id and input). */
  seed: number;
  /** A seeded pseudo-random number in [0, 1): same agent, input and seed give the same sequence. */
  random(): number;
  /** Picks one item with the seeded generator. */
  pick<T>(items: readonly T[]): T;
  /** The tenant the run is for. */
  tenant: TenantContext;
}

/** A fixed delay, or a `[min, max]` range picked by the seeded generator. */
export type MockDelay = number | readonly [min: number, max: number];

/** Failures the mock provider can inject (per provider, or per scripted step). */
export type MockFailureKind = 'rate_limit' | 'timeout' | 'provider_error' | 'auth_failed';

// A tool without arguments (`z.object({})`) takes `{}`; as `Record<string, never>` it would
// refuse the `{ a?: undefined }` TypeScript makes of `{}` next to another call's arguments.
type ScriptedArgs<TArgs> = string extends keyof TArgs ? Record<string, unknown> : TArgs;

/**
 * One tool call a scripted step makes: a tool of the agent with arguments of its input type,
 * or (to test how the loop copes with a bad model) any name with raw argument text.
 */
export type MockToolCall<TTools extends ToolSet = ToolSet> =
  | {
      [TName in keyof TTools & string]: {
        name: TName;
        args: ScriptedArgs<ToolInput<TTools[TName]>>;
        /** The call's id. @default `call_<step>_<position>` */
        id?: string;
      };
    }[keyof TTools & string]
  | {
      name: string;
      /** The arguments exactly as a model would send them: any text, valid JSON or not. */
      argsText: string;
      id?: string;
    };

/**
 * One step of a scripted model: tool calls (the loop runs them and asks for the next step), or
 * the final answer (`text`, or `output` for agents with an output schema).
 */
export interface MockStep<TOutput = unknown, TTools extends ToolSet = ToolSet> {
  /** The tools the model calls on this step. */
  toolCalls?: readonly MockToolCall<TTools>[];
  /** The text the model says on this step (the answer, on the final step of a text agent). */
  text?: string;
  /** The final answer of an agent with an output schema. */
  output?: TOutput;
  /** Latency of this step's model call. @default the provider's latency */
  delayMs?: MockDelay;
  /** Fail this step's model call, as an injected provider failure would (retries apply). */
  fail?: MockFailureKind;
  /** With `fail`: fail only the first N calls of this step, so a retry succeeds. @default every call */
  failTimes?: number;
}

/** A step the run already made, as a scripted mock sees it. */
export interface MockHistoryStep {
  /** What the model said on that step. */
  text: string;
  toolCalls: readonly { id: string; name: string; args: unknown }[];
  /** Each call's result: its `output`, or the `error` the model was shown. */
  toolResults: readonly { id: string; name: string; output?: unknown; error?: string }[];
}

/** What a step function sees: the steps so far, and the index of the step it must return. */
export interface MockHistory {
  /** 0 for the first step. */
  step: number;
  steps: readonly MockHistoryStep[];
}

/**
 * The mock of a tool-using agent: its model's steps, as a list (step `n` answers the `n`-th
 * model call; asking past the end is an error), or a function of the input and the history that
 * returns the next step. Deterministic: same input, seed and tool results give the same run.
 */
export interface MockScript<TInput = unknown, TOutput = unknown, TTools extends ToolSet = ToolSet> {
  steps:
    | readonly MockStep<TOutput, TTools>[]
    | ((
        input: TInput,
        history: MockHistory,
        context: MockContext,
      ) => MockStep<TOutput, TTools> | Promise<MockStep<TOutput, TTools>>);
}
