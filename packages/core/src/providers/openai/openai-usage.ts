import type { Usage } from '../../metrics';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a finite, non-negative number; anything else is not a count. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * One usage block in Agentry's terms, or `undefined` when it holds no token count at all.
 * - input: `prompt_tokens`, else `total_tokens − completion_tokens`;
 * - output: `completion_tokens`, else `total_tokens − prompt_tokens`;
 * - cached input: `prompt_tokens_details.cached_tokens`, else `prompt_cache_hit_tokens` (DeepSeek);
 * - reasoning: `completion_tokens_details.reasoning_tokens`.
 * A prompt of 0 tokens is not a count (every request has a prompt: servers that send 0 did not
 * count, e.g. LocalAI with tools), and a block of zeros only is no usage at all.
 */
function readBlock(block: unknown): Usage | undefined {
  if (!isRecord(block)) return undefined;
  const prompt = count(block.prompt_tokens);
  const completion = count(block.completion_tokens);
  const total = count(block.total_tokens);
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  if ((prompt ?? 0) === 0 && (completion ?? 0) === 0 && (total ?? 0) === 0) return undefined;
  let input = prompt ?? (total !== undefined && completion !== undefined ? total - completion : undefined);
  const output = completion ?? (total !== undefined && prompt !== undefined ? total - prompt : undefined);
  if (input === 0 || (input !== undefined && input < 0)) input = undefined;
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: input ?? null, outputTokens: output === undefined || output < 0 ? null : output };
  const details = isRecord(block.prompt_tokens_details) ? block.prompt_tokens_details : undefined;
  const cached = count(details?.cached_tokens) ?? count(block.prompt_cache_hit_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const outputDetails = isRecord(block.completion_tokens_details) ? block.completion_tokens_details : undefined;
  const reasoning = count(outputDetails?.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/**
 * The usage of a Chat Completions answer or stream chunk, from the first place that holds one:
 * `usage` (OpenAI, and every compatible server that follows it), then `x_groq.usage` (Groq
 * streams, which may carry it only there, on the finishing chunk). `undefined` when the server
 * reported none: unknown, never zeros.
 */
export function readOpenAIUsage(body: unknown): Usage | undefined {
  if (!isRecord(body)) return undefined;
  const groq = isRecord(body.x_groq) ? body.x_groq : undefined;
  return readBlock(body.usage) ?? readBlock(groq?.usage);
}
