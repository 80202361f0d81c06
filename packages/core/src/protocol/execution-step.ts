import type { SerializedAgentryError } from '../errors';
import type { FinishReason, Usage } from '../metrics';

/** One tool call a model made on a step, as the record and the `tool-call` event show it. */
export interface ToolCallRecord {
  /** The provider's id for the call (echoed by its result). */
  id: string;
  /** The tool's name, as the model called it. */
  name: string;
  /**
   * The arguments, validated and with the tool's defaults applied (redacted). For a call the
   * model got wrong (not JSON, not matching the schema), what it sent, and its result is an error.
   */
  args: unknown;
}

/** A tool call's result: the tool's output, or the error the model was shown. */
export type ToolResultRecord = {
  /** The {@link ToolCallRecord.id} it answers. */
  id: string;
  name: string;
  /** Wall time of the call, retries included, measured here. */
  durationMs: number;
} & (
  | { status: 'succeeded'; output: unknown }
  /**
   * `tool_call_invalid` (unknown tool, arguments not JSON or not matching the schema), the code
   * of an `AgentryError` the tool threw, `tool_failed` for anything else (its words are only in
   * the server log), `cancelled` or `timeout`.
   */
  | { status: 'failed'; error: SerializedAgentryError }
);

/** One step of a tool-using run: a model call and the tool calls it asked for. */
export interface ExecutionStep {
  /** 0 for the first step. */
  index: number;
  /** What the model said on this step (the answer's text, on the last step of a text agent). */
  text: string;
  toolCalls: ToolCallRecord[];
  /** One per call that ran, in the calls' order (absent for calls not run: the run ended first). */
  toolResults: ToolResultRecord[];
  /** The model call's usage (retries of it included); counts unknown are `null`. */
  usage: Usage;
  /** Wall time of the step: the model call and its tools. */
  durationMs: number;
  /** Why the model stopped: `tool_calls` on a step that called tools; absent when no answer arrived. */
  finishReason?: FinishReason;
}

/** The events of one step, in order: `step-start`, then per call `tool-call` … `tool-result`, then `step-finish`. */
export type StepEvent =
  | { type: 'step-start'; executionId: string; index: number }
  | { type: 'tool-call'; executionId: string; stepIndex: number; toolCall: ToolCallRecord }
  | { type: 'tool-result'; executionId: string; stepIndex: number; toolResult: ToolResultRecord }
  | { type: 'step-finish'; executionId: string; step: ExecutionStep };
