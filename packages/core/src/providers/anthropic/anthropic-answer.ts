import { AgentryError, cloneError, isAgentryError } from '../../errors';
import type { Redactor } from '../../logging';
import { finishedWithError, refusalError } from '../shared/answer-errors';
import { finishWithToolCalls } from '../shared/finish-reason';
import type { ErrorBase } from '../shared/sdk-errors';
import type { FinishReason } from '../types';
import { mapStopReason, type OutputTool } from './anthropic-request';

/** What Claude answered, from a JSON message or a whole stream. */
export interface ClaudeAnswer {
  stopReason: string | null | undefined;
  /** How many client tool calls Claude made; a step with calls is not the final answer. @default 0 */
  toolCalls?: number;
  /** The joined text blocks (plain agents). */
  text: string;
  /** The forced output tool, for agents with an output schema. */
  tool: OutputTool | undefined;
  /** Reads the output tool's input; `undefined` when Claude did not call the tool. */
  readTool: (() => unknown) | undefined;
}

/** The answer as the provider reports it; `error` makes it unusable (usage is reported beside it). */
export interface SettledClaudeAnswer {
  text: string;
  object?: unknown;
  finishReason: FinishReason;
  rawFinishReason?: string;
  error?: AgentryError;
}

/** What {@link settleClaudeAnswer} needs besides the answer. */
export interface SettleClaudeContext {
  serverName: string;
  base: ErrorBase;
  redactor: Redactor;
}

/**
 * Turns Claude's answer into what `execute()` returns and `stream()` finishes with, so both end
 * the same way: `stop_reason: refusal` is the refusal error (never an empty success); an error
 * finish is a retryable server failure; a step that called the agent's tools finishes with
 * `tool_calls` (not the final answer, so no output tool is expected); with an output schema, a
 * missing or malformed output tool call is `output_invalid`.
 */
export function settleClaudeAnswer(answer: ClaudeAnswer, context: SettleClaudeContext): SettledClaudeAnswer {
  const finish = mapStopReason(answer.stopReason, answer.tool !== undefined);
  const raw = finish.rawFinishReason === undefined ? {} : { rawFinishReason: finish.rawFinishReason };
  if (finish.rawFinishReason === 'refusal') {
    return {
      text: '',
      finishReason: 'content_filter',
      ...raw,
      error: refusalError(undefined, context.base, context.redactor),
    };
  }
  if (finish.finishReason === 'error') {
    return {
      text: answer.text,
      finishReason: 'error',
      ...raw,
      error: finishedWithError(context.serverName, finish.rawFinishReason, context.base),
    };
  }
  const toolCalls = answer.toolCalls ?? 0;
  if (toolCalls > 0) {
    return { text: answer.text, finishReason: finishWithToolCalls(finish.finishReason, toolCalls), ...raw };
  }
  if (!answer.tool) return { text: answer.text, finishReason: finish.finishReason, ...raw };
  if (!answer.readTool) {
    return {
      text: '',
      finishReason: finish.finishReason,
      ...raw,
      error: new AgentryError(
        'output_invalid',
        `The model did not call the output tool (stop_reason: ${String(answer.stopReason).slice(0, 64)}).`,
        context.base,
      ),
    };
  }
  try {
    const object = answer.readTool();
    return { text: JSON.stringify(object), object, finishReason: finish.finishReason, ...raw };
  } catch (error) {
    if (!isAgentryError(error)) throw error;
    const requestId = context.base.requestId;
    return {
      text: '',
      finishReason: finish.finishReason,
      ...raw,
      error: requestId === undefined ? error : cloneError(error, { requestId }),
    };
  }
}
