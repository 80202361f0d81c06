import type { FinishReason } from '../types';

/**
 * The finish reasons real servers send, keyed in normal form (lower case, `-` and spaces as `_`),
 * with the unified value each means. Where each spelling comes from is in docs/providers.md and
 * next to the table-driven test (`finish-reason.test.ts`).
 */
const KNOWN: Readonly<Record<string, FinishReason>> = {
  // A natural end or a stop sequence.
  stop: 'stop',
  end_turn: 'stop', // Anthropic, and gateways that pass Anthropic's reason through
  stop_sequence: 'stop', // Anthropic, Text Generation Inference, Cohere (STOP_SEQUENCE)
  pause_turn: 'stop', // Anthropic: a server-tool loop paused; the turn ended normally
  eos: 'stop', // Together AI
  eos_token: 'stop', // Hugging Face Text Generation Inference
  complete: 'stop', // Cohere (COMPLETE)
  // The token limit or the context window cut the answer.
  length: 'length',
  max_tokens: 'length', // Anthropic, Cohere (MAX_TOKENS), Gemini (MAX_TOKENS)
  model_length: 'length', // Mistral
  model_context_window_exceeded: 'length', // Anthropic
  // The model asked for tools.
  tool_calls: 'tool_calls',
  function_call: 'tool_calls', // OpenAI's deprecated functions, Groq
  tool_use: 'tool_calls', // Anthropic
  tool_call: 'tool_calls', // Cohere (TOOL_CALL)
  // A filter or a refusal withheld the answer.
  content_filter: 'content_filter',
  refusal: 'content_filter', // Anthropic
  safety: 'content_filter', // Gemini (SAFETY)
  recitation: 'content_filter', // Gemini (RECITATION)
  blocklist: 'content_filter', // Gemini
  prohibited_content: 'content_filter', // Gemini
  spii: 'content_filter', // Gemini
  error_toxic: 'content_filter', // Cohere (ERROR_TOXIC)
  // The server ended the generation because of an error.
  error: 'error', // OpenRouter mid-stream errors, vLLM, Cohere (ERROR)
  abort: 'error', // vLLM, SGLang: the engine aborted the request
  insufficient_system_resource: 'error', // DeepSeek: inference resources ran out mid-answer
  malformed_function_call: 'error', // Gemini
};

/** A unified finish reason and, when the server sent one, its own spelling. */
export interface MappedFinishReason {
  finishReason: FinishReason;
  /** The value exactly as sent (never trimmed or re-cased); absent when the server sent none. */
  rawFinishReason?: string;
}

/**
 * Maps any server's finish reason onto Agentry's {@link FinishReason}, case- and
 * separator-insensitively (`MAX_TOKENS`, `max-tokens` and `max_tokens` are one reason), and keeps
 * the raw value. An unknown reason is `other`; none at all (`null`, `''`) is `other` with no raw value.
 */
export function mapFinishReason(raw: unknown): MappedFinishReason {
  if (typeof raw !== 'string' || raw.trim() === '') return { finishReason: 'other' };
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return { finishReason: Object.hasOwn(KNOWN, key) ? (KNOWN[key] as FinishReason) : 'other', rawFinishReason: raw };
}

/**
 * The finish reason of a step that called tools. Some servers end such a step with `stop` (or
 * none, or Anthropic's `tool_use` read as a normal stop when structured output rides on a tool):
 * with calls present it is `tool_calls`, so the loop runs them. `length`, `content_filter` and
 * `error` keep their meaning (the raw value is kept either way).
 */
export function finishWithToolCalls(finishReason: FinishReason, toolCalls: number): FinishReason {
  return toolCalls > 0 && (finishReason === 'stop' || finishReason === 'other') ? 'tool_calls' : finishReason;
}
