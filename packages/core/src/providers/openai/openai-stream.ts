import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { AgentryError } from '../../errors';
import type { Redactor } from '../../logging';
import { type MappedFinishReason, mapFinishReason } from '../shared/finish-reason';
import type { ServerLabel } from '../shared/server-label';
import type { ProviderContext, ProviderEvent } from '../types';
import { settleAnswer } from './openai-answer';
import { errorFromBody, type OpenAIErrorContext, toOpenAIError } from './openai-errors';
import type { PreparedSchema } from './openai-request';
import { createToolCallAssembler } from './openai-tools';
import { readOpenAIUsage } from './openai-usage';

/** What one streamed call needs from the provider it belongs to. */
export interface OpenAIStreamCall {
  client: OpenAI;
  params: ChatCompletionCreateParamsStreaming;
  prepared: PreparedSchema | undefined;
  provider: string;
  server: ServerLabel;
  redactor: Redactor;
}

/** The parts of a chunk this reader uses; the SDK's types do not know the compatible servers' extras. */
interface StreamChunk {
  object?: unknown;
  model?: unknown;
  choices?: {
    index?: number;
    delta?: { content?: unknown; refusal?: unknown; tool_calls?: unknown } | null;
    finish_reason?: unknown;
    error?: unknown;
  }[];
}

/**
 * Streams one Chat Completions call as provider events. Text deltas as they arrive; usage from
 * `usage` or Groq's `x_groq.usage` (none at all when the server sends none: the run's tokens stay
 * unknown); error objects inside the stream classified like HTTP errors; tool calls joined from
 * their argument fragments and reported once the model finished (a stream cut before that ends
 * in a retryable error, never a half call); the finish with the unified and raw finish reason,
 * and with the refusal or output error `execute()` would report.
 */
export async function* streamOpenAICompletion(
  call: OpenAIStreamCall,
  context: ProviderContext,
): AsyncGenerator<ProviderEvent> {
  let requestId: string | undefined;
  let finish: MappedFinishReason | undefined;
  let model: string | undefined;
  let text = '';
  let refusal = '';
  const toolCalls = createToolCallAssembler(call.server.name, call.provider);
  const errorContext = (): OpenAIErrorContext => ({
    signal: context.signal,
    redactor: call.redactor,
    provider: call.provider,
    requestId,
    logger: context.logger,
    server: call.server,
  });
  try {
    const response = await call.client.chat.completions
      .create(call.params, { signal: context.signal, maxRetries: 0 })
      .withResponse();
    requestId = response.request_id ?? undefined;
    // Breaking out of this loop (the executor's consumer stopped) aborts the HTTP request.
    for await (const received of response.data) {
      const chunk = received as unknown as StreamChunk;
      // Older vLLM sends its error object as a bare chunk, which the SDK does not recognise.
      if (chunk.object === 'error') throw errorFromBody(chunk, 'stream', errorContext());
      if (typeof chunk.model === 'string' && chunk.model !== '') model = chunk.model;
      const chunkUsage = readOpenAIUsage(chunk);
      if (chunkUsage) yield { type: 'usage', usage: chunkUsage };
      // Usage chunks and Azure's first chunk have `choices: []`.
      for (const choice of chunk.choices ?? []) {
        if ((choice.index ?? 0) !== 0) continue;
        if (choice.error !== undefined && choice.error !== null)
          throw errorFromBody(choice.error, 'stream', errorContext());
        const delta = choice.delta?.content;
        if (typeof delta === 'string' && delta !== '') {
          text += delta;
          yield { type: 'text-delta', delta };
        }
        // A refusal streams in `delta.refusal`; it is not output, and ends as the refusal error.
        if (typeof choice.delta?.refusal === 'string') refusal += choice.delta.refusal;
        toolCalls.add(choice.delta?.tool_calls);
        if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') {
          finish = mapFinishReason(choice.finish_reason);
        }
      }
    }
  } catch (error) {
    throw toOpenAIError(error, errorContext());
  }
  // The SDK ends a stream quietly when its signal aborts: report that as an abort.
  if (context.signal.aborted) throw toOpenAIError(undefined, errorContext());
  if (finish === undefined) {
    throw new AgentryError(
      'provider_error',
      `The ${call.server.name} stream ended before the model finished (no finish_reason): the connection was cut or the server is not OpenAI-compatible.`,
      { provider: call.provider, retryable: true, ...(requestId ? { requestId } : {}) },
    );
  }
  const base = { provider: call.provider, ...(requestId ? { requestId } : {}) };
  let calls: ReturnType<typeof toolCalls.complete>;
  try {
    calls = toolCalls.complete();
  } catch (error) {
    throw toOpenAIError(error, errorContext());
  }
  for (const toolCall of calls) yield { type: 'tool-call', toolCall };
  const settled = settleAnswer(
    { text, refusal, finish, toolCalls: calls.length },
    { prepared: call.prepared, serverName: call.server.name, base, redactor: call.redactor },
  );
  const event: ProviderEvent = { type: 'finish', finishReason: settled.finishReason };
  if (settled.rawFinishReason !== undefined) event.rawFinishReason = settled.rawFinishReason;
  if (settled.object !== undefined) event.object = settled.object;
  if (settled.error) event.error = settled.error;
  if (model) event.model = model;
  if (requestId) event.requestId = requestId;
  yield event;
}
