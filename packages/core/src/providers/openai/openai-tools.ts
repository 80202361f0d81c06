import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { AgentryError } from '../../errors';
import type { ProviderRequest, ProviderTool, ProviderToolCall } from '../types';
import { isStrictCompatible } from './openai-request';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The agent's tools as Chat Completions function tools. `strict` follows structured output's
 * rule: `'auto'` turns it on only for a schema strict mode accepts (every object closed, every
 * property required), so a schema with optional fields still works, unchecked by the server.
 */
export function toOpenAITools(tools: readonly ProviderTool[], strict: boolean | 'auto'): ChatCompletionFunctionTool[] {
  return tools.map((tool) => {
    const { $schema: _dialect, ...parameters } = tool.inputSchema;
    return {
      type: 'function',
      function: {
        name: tool.name,
        description: tool.description,
        parameters,
        strict: strict === 'auto' ? isStrictCompatible(parameters) : strict,
      },
    };
  });
}

/**
 * The conversation as Chat Completions messages: prompt messages as they are, a tool-calling
 * assistant turn with its `tool_calls` (arguments as the model sent them), a tool result as a
 * `tool` message. The API has no error flag on tool results: the content says what failed.
 */
export function toOpenAIMessages(request: ProviderRequest): ChatCompletionMessageParam[] {
  return request.messages.map((message): ChatCompletionMessageParam => {
    if (message.role === 'tool') {
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    }
    if ('toolCalls' in message) {
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.argsText },
        })),
      };
    }
    return { role: message.role, content: message.content };
  });
}

function missingName(serverName: string, provider: string): AgentryError {
  // The arguments are never quoted: they can hold anything the model was given.
  return new AgentryError(
    'provider_error',
    `${serverName} sent a tool call without a function name: the answer is malformed. Try again.`,
    { provider, retryable: true },
  );
}

/**
 * The function calls of a complete (non-streamed) message. Arguments are kept verbatim, valid
 * JSON or not: the executor validates them. Custom (free-form) tool calls are not Agentry's and
 * are skipped; a call without an id gets a stable one from its position.
 */
export function readToolCalls(message: unknown, serverName: string, provider: string): ProviderToolCall[] {
  const calls = isRecord(message) && Array.isArray(message.tool_calls) ? message.tool_calls : [];
  return calls.flatMap((call: unknown, index): ProviderToolCall[] => {
    if (!isRecord(call) || (call.type !== undefined && call.type !== 'function')) return [];
    const fn = isRecord(call.function) ? call.function : {};
    if (typeof fn.name !== 'string' || fn.name === '') throw missingName(serverName, provider);
    return [
      {
        id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`,
        name: fn.name,
        argsText: typeof fn.arguments === 'string' ? fn.arguments : '',
      },
    ];
  });
}

/** Joins streamed tool-call deltas by their `index` into complete calls. */
export interface ToolCallAssembler {
  /** Adds one chunk's `delta.tool_calls`. */
  add(deltas: unknown): void;
  /** The calls so far, in index order (call once the model finished). */
  complete(): ProviderToolCall[];
}

/**
 * Streamed tool calls arrive as fragments: the first delta of a call carries its `index`, `id`
 * and `function.name`, later ones only the `index` and a piece of `function.arguments`. They are
 * joined per index; a call is complete only when the model finished (a cut stream yields none).
 * Servers that repeat the id and name on every delta are read the same way (first value wins).
 */
export function createToolCallAssembler(serverName: string, provider: string): ToolCallAssembler {
  const calls = new Map<number, { id?: string; name?: string; argsText: string }>();
  return {
    add(deltas) {
      if (!Array.isArray(deltas)) return;
      deltas.forEach((delta: unknown, position) => {
        if (!isRecord(delta) || (delta.type !== undefined && delta.type !== 'function')) return;
        const index = typeof delta.index === 'number' ? delta.index : position;
        const call = calls.get(index) ?? { argsText: '' };
        calls.set(index, call);
        const fn = isRecord(delta.function) ? delta.function : {};
        if (call.id === undefined && typeof delta.id === 'string' && delta.id !== '') call.id = delta.id;
        if (call.name === undefined && typeof fn.name === 'string' && fn.name !== '') call.name = fn.name;
        if (typeof fn.arguments === 'string') call.argsText += fn.arguments;
      });
    },
    complete() {
      return [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, call]) => {
          if (call.name === undefined) throw missingName(serverName, provider);
          return { id: call.id ?? `call_${index}`, name: call.name, argsText: call.argsText };
        });
    },
  };
}
