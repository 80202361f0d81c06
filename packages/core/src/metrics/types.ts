/** Token counts for one execution. Fields a provider does not report are left out. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
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
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
  /** Estimated from the pricing table; `null` when the model's price is unknown (never 0 by guess). */
  costUsd: number | null;
  /** The provider that served the run (`mock` for mock mode). */
  provider: string;
  /** The model the run used, or, for mock runs, the model it imitates. */
  model: string;
  /** How many provider calls were made, retries included. */
  attempts: number;
  /** True for mock runs: tokens and cost are simulated, not reported by a provider. */
  simulated: boolean;
}
