import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { AgentryError } from '../../errors';
import type { Redactor } from '../../logging';
import type { ServerLabel } from '../shared/server-label';
import type { ProviderContext, ProviderEvent, ProviderToolCall } from '../types';
import { settleClaudeAnswer } from './anthropic-answer';
import { type AnthropicErrorContext, toAnthropicError } from './anthropic-errors';
import { mapAnthropicUsage, mergeUsage, type OutputTool, parseToolJson } from './anthropic-request';
import { missingToolName } from './anthropic-tools';

/** What one streamed call needs from the provider it belongs to. */
export interface AnthropicStreamCall {
  client: Anthropic;
  params: MessageCreateParamsStreaming;
  tool: OutputTool | undefined;
  provider: string;
  server: ServerLabel;
  redactor: Redactor;
}

/** Stream events Agentry reads; anything else (ping, thinking, server tools, new types) is skipped. */
interface StreamEvent {
  type: string;
  index?: number;
  message?: { model?: string; usage?: Parameters<typeof mergeUsage>[1] };
  content_block?: { type?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: Parameters<typeof mergeUsage>[1];
}

/**
 * Streams one Messages call as provider events: text (or the output tool's JSON) as it arrives,
 * usage from `message_start` and `message_delta` (latest value of each field; none when the server
 * sent none), an `error` event classified like an HTTP error, each client `tool_use` block as one
 * `tool-call` event once its block stops (its `input_json_delta` fragments joined, verbatim; a
 * stream cut before that reports no half call), and the finish with the unified and raw stop
 * reason and the refusal or output error `execute()` would report. Server-side tool blocks,
 * thinking and unknown block or event types are skipped.
 */
export async function* streamAnthropicMessage(
  call: AnthropicStreamCall,
  context: ProviderContext,
): AsyncGenerator<ProviderEvent> {
  const { tool } = call;
  let requestId: string | undefined;
  let model: string | undefined;
  let stopReason: string | null | undefined;
  let stopped = false;
  let usage: Parameters<typeof mergeUsage>[0] = {};
  let toolIndex: number | undefined;
  let toolJson = '';
  let text = '';
  const textIndexes = new Set<number>();
  /** The agent's tool calls being streamed, by content block index. */
  const calls = new Map<number, { id: string; name: string; argsText: string }>();
  let toolCalls = 0;
  const errorContext = (): AnthropicErrorContext => ({
    signal: context.signal,
    redactor: call.redactor,
    provider: call.provider,
    requestId,
    logger: context.logger,
    server: call.server,
  });
  try {
    const response = await call.client.messages
      .create(call.params, { signal: context.signal, maxRetries: 0 })
      .withResponse();
    requestId = response.request_id ?? undefined;
    for await (const raw of response.data) {
      const event = raw as unknown as StreamEvent;
      switch (event.type) {
        case 'message_start':
        case 'message_delta': {
          if (event.type === 'message_start' && event.message?.model) model = event.message.model;
          if (event.type === 'message_delta' && event.delta?.stop_reason !== undefined) {
            stopReason = event.delta.stop_reason;
          }
          usage = mergeUsage(usage, event.type === 'message_start' ? event.message?.usage : event.usage);
          const mapped = mapAnthropicUsage(usage);
          if (mapped) yield { type: 'usage', usage: mapped };
          break;
        }
        case 'content_block_start':
          if (event.index === undefined) break;
          if (event.content_block?.type === 'text') textIndexes.add(event.index);
          if (event.content_block?.type !== 'tool_use') break;
          if (tool && event.content_block.name === tool.name) toolIndex = event.index;
          else {
            const { id, name } = event.content_block;
            if (typeof name !== 'string' || name === '') throw missingToolName(call.server.name, call.provider);
            calls.set(event.index, { id: id || `toolu_${event.index}`, name, argsText: '' });
          }
          break;
        case 'content_block_delta': {
          const delta = event.delta;
          if (!tool && delta?.type === 'text_delta' && event.index !== undefined && textIndexes.has(event.index)) {
            if (delta.text) {
              text += delta.text;
              yield { type: 'text-delta', delta: delta.text };
            }
          } else if (tool && delta?.type === 'input_json_delta' && event.index === toolIndex) {
            if (delta.partial_json) {
              toolJson += delta.partial_json;
              yield { type: 'text-delta', delta: delta.partial_json };
            }
          } else if (delta?.type === 'input_json_delta' && event.index !== undefined) {
            const pending = calls.get(event.index);
            if (pending && typeof delta.partial_json === 'string') pending.argsText += delta.partial_json;
          }
          break;
        }
        case 'content_block_stop': {
          const pending = event.index === undefined ? undefined : calls.get(event.index);
          if (!pending || event.index === undefined) break;
          calls.delete(event.index);
          toolCalls += 1;
          // A tool without parameters streams no fragment at all: its input is `{}`.
          const toolCall: ProviderToolCall = {
            ...pending,
            argsText: pending.argsText === '' ? '{}' : pending.argsText,
          };
          yield { type: 'tool-call', toolCall };
          break;
        }
        case 'message_stop':
          stopped = true;
          break;
        default:
          // ping, thinking and server-tool blocks, future event types.
          break;
      }
    }
  } catch (thrown) {
    throw toAnthropicError(thrown, errorContext());
  }
  // The SDK ends a stream quietly when its signal aborts: report that as an abort.
  if (context.signal.aborted) throw toAnthropicError(undefined, errorContext());
  if (!stopped) {
    throw new AgentryError(
      'provider_error',
      `The ${call.server.name} stream ended before message_stop: the connection was cut or the response altered on the way.`,
      { provider: call.provider, retryable: true, ...(requestId ? { requestId } : {}) },
    );
  }
  const settled = settleClaudeAnswer(
    {
      stopReason,
      toolCalls,
      text,
      tool,
      readTool: tool && toolIndex !== undefined ? () => parseToolJson(toolJson, tool, call.provider) : undefined,
    },
    {
      serverName: call.server.name,
      base: { provider: call.provider, ...(requestId ? { requestId } : {}) },
      redactor: call.redactor,
    },
  );
  const finish: ProviderEvent = { type: 'finish', finishReason: settled.finishReason };
  if (settled.rawFinishReason !== undefined) finish.rawFinishReason = settled.rawFinishReason;
  if (settled.object !== undefined) finish.object = settled.object;
  if (settled.error) finish.error = settled.error;
  if (model) finish.model = model;
  if (requestId) finish.requestId = requestId;
  yield finish;
}
