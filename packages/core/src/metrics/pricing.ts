/** Price of one model in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Price of cached input tokens; defaults to the input price. */
  cachedInputPerMillion?: number;
}

/** Prices keyed by model id. A key ending in `*` matches any model id with that prefix. */
export type PricingTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices in USD per million tokens, standard tier, as published on
 * https://openai.com/api/pricing and https://www.anthropic.com/pricing.
 * Read on 2026-11-25. Override or extend with `createExecutor({ pricing })`.
 */
export const PRICING_SOURCE = {
  date: '2026-11-25',
  sources: ['https://openai.com/api/pricing', 'https://www.anthropic.com/pricing'],
} as const;

export const DEFAULT_PRICING: PricingTable = {
  // OpenAI
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10, cachedInputPerMillion: 0.125 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2, cachedInputPerMillion: 0.025 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4, cachedInputPerMillion: 0.005 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6, cachedInputPerMillion: 0.1 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 },
  o3: { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4, cachedInputPerMillion: 0.275 },
  // Anthropic (cache reads at 10% of input)
  'claude-opus-4-6': { inputPerMillion: 5, outputPerMillion: 25, cachedInputPerMillion: 0.5 },
  'claude-sonnet-4-6': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5 },
  'claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-3-haiku': { inputPerMillion: 0.25, outputPerMillion: 1.25, cachedInputPerMillion: 0.03 },
  'claude-opus-4-1': { inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5 },
  'claude-opus-4-5': { inputPerMillion: 5, outputPerMillion: 25, cachedInputPerMillion: 0.5 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5, cachedInputPerMillion: 0.1 },
  'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4, cachedInputPerMillion: 0.08 },
};

/** Finds a model's price: exact id, then dated snapshots (`gpt-4o-2024-08-06` → `gpt-4o`), then `*` prefixes. */
export function findModelPrice(model: string, pricing: PricingTable = DEFAULT_PRICING): ModelPrice | undefined {
  const exact = pricing[model];
  if (exact) return exact;
  // Dated snapshots: strip a trailing -YYYY-MM-DD or -YYYYMMDD.
  const undated = model.replace(/-(\d{4}-\d{2}-\d{2}|\d{8})$/, '');
  if (undated !== model && pricing[undated]) return pricing[undated];
  let best: { length: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(pricing)) {
    if (key.endsWith('*') && model.startsWith(key.slice(0, -1)) && (!best || key.length > best.length)) {
      best = { length: key.length, price };
    }
  }
  return best?.price;
}

/**
 * Cost in USD of the given usage, or `null` when the model's price is unknown or a token count is
 * unknown (`null`): a missing count is never priced as 0.
 */
export function estimateCost(
  model: string,
  usage: { inputTokens: number | null; outputTokens: number | null; cachedInputTokens?: number },
  pricing: PricingTable = DEFAULT_PRICING,
): number | null {
  if (usage.inputTokens === null || usage.outputTokens === null) return null;
  return costAtPrice(findModelPrice(model, pricing), usage);
}

/** {@link estimateCost} with the price already found (`undefined`: unknown, so `null`). */
export function costAtPrice(
  price: ModelPrice | undefined,
  usage: { inputTokens: number | null; outputTokens: number | null; cachedInputTokens?: number },
): number | null {
  if (!price || usage.inputTokens === null || usage.outputTokens === null) return null;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  const cost =
    ((usage.inputTokens - cached) * price.inputPerMillion +
      cached * cachedPrice +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000;
  return Math.round(cost * 1e9) / 1e9;
}
