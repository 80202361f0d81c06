/**
 * Why the model stopped, in Agentry's terms. Providers map the many spellings servers send
 * (`end_turn`, `eos`, `max_tokens`, …) onto these and keep the original as `rawFinishReason`.
 * - `stop`: a natural end or a stop sequence.
 * - `length`: the token limit (or the context window) cut the answer.
 * - `content_filter`: a filter or a refusal withheld the answer.
 * - `tool_calls`: the model asked for tools.
 * - `error`: the server ended the generation because of an error.
 * - `other`: a reason Agentry does not know (see `rawFinishReason`).
 */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error' | 'other';

/**
 * Token counts for one model call, as the provider reported them. A count the provider did not
 * report is `null`: unknown, never guessed as 0. Optional fields a provider does not report are
 * left out.
 */
export interface Usage {
  /** All input tokens (cached ones included); `null` when the provider reported none. */
  inputTokens: number | null;
  /** Output tokens (reasoning included); `null` when the provider reported none. */
  outputTokens: number | null;
  /** Input tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Tokens the model spent reasoning (counted within `outputTokens`). */
  reasoningTokens?: number;
}

/** What one execution cost in time, tokens and money. */
export interface ExecutionMetrics {
  /** Wall time from start to the final record, measured here. */
  durationMs: number;
  /** Wall time to the first output chunk, measured here; `null` when no output arrived. */
  timeToFirstOutputMs: number | null;
  /** Input tokens the provider reported; `null` when it reported none (unknown, never 0 by guess). */
  inputTokens: number | null;
  /** Output tokens the provider reported; `null` when it reported none (unknown, never 0 by guess). */
  outputTokens: number | null;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  /** Estimated from the pricing table; `null` when the model's price or the token counts are unknown (never 0 by guess). */
  costUsd: number | null;
  /** The provider that served the run (`mock` for mock mode). */
  provider: string;
  /** The model the run used, or, for mock runs, the model it imitates. */
  model: string;
  /** How many provider calls were made, retries included. */
  attempts: number;
  /** True for mock runs: tokens and cost are simulated, not reported by a provider. */
  simulated: boolean;
  /**
   * `'recorded'` when the run was replayed from tapes: tokens and cost are the recorded live
   * calls', not spent by this run. Absent otherwise (reported by the provider, or simulated).
   */
  usageSource?: 'recorded';
  /** Why the model stopped, in Agentry's terms; absent when no provider answer arrived. */
  finishReason?: FinishReason;
  /** The finish reason exactly as the server sent it (`end_turn`, `eos`, `max_tokens`, …), when it sent one. */
  rawFinishReason?: string;
}
