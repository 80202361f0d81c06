import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FinishReason } from '../types';
import { mapFinishReason } from './finish-reason';

// Every spelling a real server sends, with where it comes from. A new spelling goes here first.
const TABLE: readonly [raw: string, unified: FinishReason, source: string][] = [
  // OpenAI Chat Completions (openai 7.57 `ChatCompletion.Choice.finish_reason`)
  ['stop', 'stop', 'OpenAI'],
  ['length', 'length', 'OpenAI'],
  ['content_filter', 'content_filter', 'OpenAI, Azure OpenAI'],
  ['tool_calls', 'tool_calls', 'OpenAI'],
  ['function_call', 'tool_calls', 'OpenAI (deprecated functions); Groq (vercel/ai map-groq-finish-reason.ts)'],
  // Anthropic Messages `stop_reason` (vercel/ai packages/anthropic/src/map-anthropic-stop-reason.ts)
  ['end_turn', 'stop', 'Anthropic; also relayed by gateways, e.g. apache/apisix ai-proxy tests'],
  ['stop_sequence', 'stop', 'Anthropic; TGI'],
  ['pause_turn', 'stop', 'Anthropic (server-tool loop paused)'],
  ['max_tokens', 'length', 'Anthropic'],
  ['model_context_window_exceeded', 'length', 'Anthropic'],
  ['tool_use', 'tool_calls', 'Anthropic'],
  ['refusal', 'content_filter', 'Anthropic'],
  // OpenAI-compatible servers
  ['eos', 'stop', 'Together AI (lzell/AIProxySwift TogetherAIChatCompletionStreamingChunkTests.swift)'],
  ['eos_token', 'stop', 'Hugging Face Text Generation Inference (its OpenAI-compatible chunks)'],
  ['model_length', 'length', 'Mistral (vercel/ai map-mistral-finish-reason.ts)'],
  ['error', 'error', 'OpenRouter mid-stream errors (openrouter.ai/docs errors-and-debugging); vLLM'],
  ['abort', 'error', 'vLLM / SGLang (format_finish_reason: FINISH_ABORT → "abort")'],
  ['insufficient_system_resource', 'error', 'DeepSeek (finish_reason values in its API reference)'],
  // Cohere (vercel/ai packages/cohere/src/map-cohere-finish-reason.ts), upper case on the wire
  ['COMPLETE', 'stop', 'Cohere'],
  ['STOP_SEQUENCE', 'stop', 'Cohere'],
  ['MAX_TOKENS', 'length', 'Cohere, Gemini'],
  ['TOOL_CALL', 'tool_calls', 'Cohere'],
  ['ERROR', 'error', 'Cohere'],
  ['ERROR_TOXIC', 'content_filter', 'Cohere'],
  // Gemini, as gateways relay it (vercel/ai map-google-generative-ai-finish-reason.ts)
  ['STOP', 'stop', 'Gemini'],
  ['SAFETY', 'content_filter', 'Gemini'],
  ['RECITATION', 'content_filter', 'Gemini'],
  ['BLOCKLIST', 'content_filter', 'Gemini'],
  ['PROHIBITED_CONTENT', 'content_filter', 'Gemini'],
  ['SPII', 'content_filter', 'Gemini'],
  ['MALFORMED_FUNCTION_CALL', 'error', 'Gemini'],
];

const UNIFIED: readonly FinishReason[] = ['stop', 'length', 'content_filter', 'tool_calls', 'error', 'other'];

describe('mapFinishReason', () => {
  it.each(TABLE)('%s → %s (%s), keeping the raw value', (raw, unified) => {
    expect(mapFinishReason(raw)).toEqual({ finishReason: unified, rawFinishReason: raw });
  });

  it('ignores case and separators, and keeps the raw spelling exactly as sent', () => {
    expect(mapFinishReason('Max-Tokens')).toEqual({ finishReason: 'length', rawFinishReason: 'Max-Tokens' });
    expect(mapFinishReason('content-filter')).toEqual({
      finishReason: 'content_filter',
      rawFinishReason: 'content-filter',
    });
    expect(mapFinishReason('tool-calls')).toEqual({ finishReason: 'tool_calls', rawFinishReason: 'tool-calls' });
    expect(mapFinishReason(' end_turn ')).toEqual({ finishReason: 'stop', rawFinishReason: ' end_turn ' });
  });

  it('an unknown reason is other, with the raw value kept; none at all is other without one', () => {
    expect(mapFinishReason('future_reason')).toEqual({ finishReason: 'other', rawFinishReason: 'future_reason' });
    expect(mapFinishReason('constructor')).toEqual({ finishReason: 'other', rawFinishReason: 'constructor' });
    for (const none of [null, undefined, '', '   ', 42, {}])
      expect(mapFinishReason(none)).toEqual({ finishReason: 'other' });
  });

  it('always answers a unified value, and the raw value is the input (property)', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const mapped = mapFinishReason(raw);
        expect(UNIFIED).toContain(mapped.finishReason);
        if (raw.trim() === '') expect(mapped).toEqual({ finishReason: 'other' });
        else expect(mapped.rawFinishReason).toBe(raw);
      }),
      { numRuns: 300 },
    );
  });
});
