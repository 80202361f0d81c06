import type { ContentBlockParam, MessageParam, Tool, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { AgentryError } from '../../errors';
import type { ProviderMessage, ProviderTool, ProviderToolCall } from '../types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The agent's tools as Messages API tools (`input_schema` is the tool's JSON Schema). */
export function toAnthropicTools(tools: readonly ProviderTool[]): Tool[] {
  return tools.map((tool) => {
    const { $schema: _dialect, ...schema } = tool.inputSchema;
    return { name: tool.name, description: tool.description, input_schema: { ...schema, type: 'object' } };
  });
}

/**
 * A tool call's arguments as the `input` object the API requires on a `tool_use` block. The
 * model's own calls always carry an object; arguments that are not a JSON object (a call the
 * executor already answered with an error result) go back as `{}`, never as a failed request.
 */
function inputOf(argsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argsText);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The conversation in the Messages API's shape: system messages joined into `system`; a
 * tool-calling assistant turn as its text and `tool_use` blocks; tool results as `tool_result`
 * blocks (`is_error` when the tool failed) in a user turn, consecutive results merged into one
 * user message, as the API requires every result of a turn to answer it together.
 */
export function toAnthropicMessages(messages: readonly ProviderMessage[]): {
  system: string;
  messages: MessageParam[];
} {
  const system = messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  const out: MessageParam[] = [];
  let results: ToolResultBlockParam[] | undefined;
  for (const message of messages) {
    if (message.role === 'system') continue;
    if (message.role === 'tool') {
      const block: ToolResultBlockParam = {
        type: 'tool_result',
        tool_use_id: message.toolCallId,
        content: message.content,
      };
      if (message.isError) block.is_error = true;
      if (results) results.push(block);
      else {
        results = [block];
        out.push({ role: 'user', content: results });
      }
      continue;
    }
    results = undefined;
    if ('toolCalls' in message) {
      const content: ContentBlockParam[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
      for (const call of message.toolCalls) {
        content.push({ type: 'tool_use', id: call.id, name: call.name, input: inputOf(call.argsText) });
      }
      out.push({ role: 'assistant', content });
      continue;
    }
    out.push({ role: message.role, content: message.content });
  }
  return { system, messages: out };
}

/** A `tool_use` block without a name cannot be run: the answer is malformed. */
export function missingToolName(serverName: string, provider: string): AgentryError {
  // The input is never quoted: it can hold anything the model was given.
  return new AgentryError(
    'provider_error',
    `${serverName} sent a tool_use block without a tool name: the answer is malformed. Try again.`,
    { provider, retryable: true },
  );
}

/**
 * The client tool calls of a complete message: its `tool_use` blocks, but not the structured
 * output tool's (`outputToolName`). Server-side tool blocks (`server_tool_use`,
 * `*_tool_result`), thinking and unknown blocks are not calls for Agentry to run, and are skipped.
 */
export function readToolUseBlocks(
  content: readonly unknown[],
  outputToolName: string | undefined,
  serverName: string,
  provider: string,
): ProviderToolCall[] {
  return content.flatMap((block, index): ProviderToolCall[] => {
    if (!isRecord(block) || block.type !== 'tool_use') return [];
    if (outputToolName !== undefined && block.name === outputToolName) return [];
    if (typeof block.name !== 'string' || block.name === '') throw missingToolName(serverName, provider);
    return [
      {
        id: typeof block.id === 'string' && block.id !== '' ? block.id : `toolu_${index}`,
        name: block.name,
        argsText: JSON.stringify(block.input ?? {}),
      },
    ];
  });
}
