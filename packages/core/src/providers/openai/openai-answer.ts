import { type AgentryError, cloneError, isAgentryError } from '../../errors';
import type { Redactor } from '../../logging';
import { finishedWithError, refusalError } from '../shared/answer-errors';
import { finishWithToolCalls, type MappedFinishReason } from '../shared/finish-reason';
import type { ErrorBase } from '../shared/sdk-errors';
import type { FinishReason } from '../types';
import { type PreparedSchema, parseStructured } from './openai-request';

/** What the model answered, collected from a JSON body or a whole stream. */
export interface CollectedAnswer {
  /** The content text (for structured output, the JSON text). */
  text: string;
  /** The refusal text (`message.refusal`, or the joined `delta.refusal` chunks); `''` for none. */
  refusal: string;
  finish: MappedFinishReason;
  /** How many tool calls the model made; a step with calls is not the final answer. @default 0 */
  toolCalls?: number;
}

/** The answer as the provider reports it: text, object, finish reason, and the error that makes it unusable. */
export interface SettledAnswer {
  text: string;
  object?: unknown;
  finishReason: FinishReason;
  rawFinishReason?: string;
  /** Set when the answer arrived (and was billed) but cannot be used. */
  error?: AgentryError;
}

/** What {@link settleAnswer} needs besides the answer. */
export interface SettleContext {
  prepared: PreparedSchema | undefined;
  /** How messages name the server. */
  serverName: string;
  base: ErrorBase;
  redactor: Redactor;
}

/**
 * Turns a collected answer into what `execute()` returns and `stream()` finishes with, so both
 * end the same way: a refusal is the refusal error (finish reason `content_filter`); a finish
 * reason of `error` is a retryable server failure; structured output is parsed, and text that is
 * not JSON is `output_invalid`. A step that called tools is not the final answer: its text is
 * not parsed as structured output, and its finish reason is `tool_calls`. Usage is reported
 * beside this, never dropped by an error.
 */
export function settleAnswer(answer: CollectedAnswer, context: SettleContext): SettledAnswer {
  const raw = answer.finish.rawFinishReason === undefined ? {} : { rawFinishReason: answer.finish.rawFinishReason };
  if (answer.refusal.trim() !== '') {
    return {
      text: '',
      finishReason: 'content_filter',
      ...raw,
      error: refusalError(answer.refusal, context.base, context.redactor),
    };
  }
  if (answer.finish.finishReason === 'error') {
    return {
      text: answer.text,
      finishReason: 'error',
      ...raw,
      error: finishedWithError(context.serverName, answer.finish.rawFinishReason, context.base),
    };
  }
  const toolCalls = answer.toolCalls ?? 0;
  if (toolCalls > 0) {
    return { text: answer.text, finishReason: finishWithToolCalls(answer.finish.finishReason, toolCalls), ...raw };
  }
  const settled: SettledAnswer = { text: answer.text, finishReason: answer.finish.finishReason, ...raw };
  if (!context.prepared) return settled;
  try {
    const object = parseStructured(answer.text, context.prepared, context.serverName, context.base.provider);
    settled.object = object;
    if (context.prepared.wrapped) settled.text = JSON.stringify(object);
  } catch (error) {
    if (!isAgentryError(error)) throw error;
    settled.error =
      context.base.requestId === undefined ? error : cloneError(error, { requestId: context.base.requestId });
  }
  return settled;
}
