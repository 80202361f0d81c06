import type { Usage as AnthropicUsage, MessageDeltaUsage, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { AgentryError } from '../../errors';
import type { Usage } from '../../metrics';
import { type MappedFinishReason, mapFinishReason } from '../shared/finish-reason';
import type { ProviderRequest } from '../types';

/** The forced tool that carries structured output, and how to read its input back. */
export interface OutputTool {
  /** A tool name the API accepts (`^[a-zA-Z0-9_-]{1,64}$`). */
  name: string;
  /** The tool's `input_schema`: the output schema, wrapped as `{ value }` when its root is not an object. */
  inputSchema: Record<string, unknown> & { type: 'object' };
  wrapped: boolean;
}

/** Prepares the agent's output JSON Schema as the input schema of a forced tool. */
export function prepareOutputTool(outputSchema: NonNullable<ProviderRequest['outputSchema']>): OutputTool {
  const { $schema: _dialect, $defs, ...rest } = outputSchema.schema;
  const wrapped = rest.type !== 'object';
  const inputSchema: Record<string, unknown> & { type: 'object' } = wrapped
    ? { type: 'object', properties: { value: rest }, required: ['value'], additionalProperties: false }
    : { ...rest, type: 'object' };
  if ($defs !== undefined) inputSchema.$defs = $defs;
  const name = outputSchema.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
  return { name, inputSchema, wrapped };
}

/** The object the model passed to the output tool (unwrapped). */
export function readToolInput(input: unknown, tool: OutputTool, provider: string): unknown {
  if (!tool.wrapped) return input;
  if (typeof input !== 'object' || input === null || !('value' in input)) {
    throw new AgentryError('output_invalid', 'Claude called the output tool without the expected "value" field.', {
      provider,
    });
  }
  return (input as { value: unknown }).value;
}

/** Parses the JSON text a streamed tool input was built from. */
export function parseToolJson(text: string, tool: OutputTool, provider: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new AgentryError(
      'output_invalid',
      `Claude's output tool input is not valid JSON (${text.length} characters received).`,
      { provider },
    );
  }
  return readToolInput(parsed, tool, provider);
}

type UsageFields = Partial<
  Pick<AnthropicUsage, 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'>
> & { output_tokens_details?: { thinking_tokens?: number } | null };

/**
 * Keeps the latest value of each usage field: `message_start` has input and cache counts,
 * `message_delta` cumulative ones (newer streams repeat the input fields). Never adds them up.
 */
export function mergeUsage(
  current: UsageFields,
  next: UsageFields | MessageDeltaUsage | null | undefined,
): UsageFields {
  if (!next) return current;
  const merged: UsageFields = { ...current };
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_read_input_tokens',
    'cache_creation_input_tokens',
  ] as const) {
    const value = (next as UsageFields)[key];
    if (typeof value === 'number') merged[key] = value;
  }
  const thinking = (next as UsageFields).output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') merged.output_tokens_details = { thinking_tokens: thinking };
  return merged;
}

/**
 * Anthropic usage as Agentry {@link Usage}, or `undefined` when the answer carried none (a
 * compatible gateway may leave it out): unknown, never zeros. Anthropic counts cached input apart
 * from `input_tokens`; Agentry's `inputTokens` is all input (cache reads and writes included),
 * with `cachedInputTokens` the cache reads. An input of 0 is not a count (every request has a
 * prompt), so it reads as unknown.
 */
export function mapAnthropicUsage(usage: UsageFields): Usage | undefined {
  const inputParts = [usage.input_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens].filter(
    (value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0,
  );
  const input = inputParts.length === 0 ? null : inputParts.reduce((sum, value) => sum + value, 0) || null;
  const output =
    typeof usage.output_tokens === 'number' && Number.isFinite(usage.output_tokens) && usage.output_tokens >= 0
      ? usage.output_tokens
      : null;
  if (input === null && output === null) return undefined;
  const out: Usage = { inputTokens: input, outputTokens: output };
  if (typeof usage.cache_read_input_tokens === 'number') out.cachedInputTokens = usage.cache_read_input_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') out.reasoningTokens = thinking;
  return out;
}

/**
 * Anthropic's `stop_reason` as a unified and raw finish reason (the shared table: `end_turn` →
 * `stop`, `max_tokens` → `length`, `refusal` → `content_filter`, …); the forced output tool's
 * `tool_use` is a normal stop.
 */
export function mapStopReason(reason: StopReason | string | null | undefined, structured: boolean): MappedFinishReason {
  const mapped = mapFinishReason(reason);
  return structured && mapped.rawFinishReason === 'tool_use' ? { ...mapped, finishReason: 'stop' } : mapped;
}
