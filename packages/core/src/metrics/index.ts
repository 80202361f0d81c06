export type { ModelPrice, PricingTable } from './pricing';
export { DEFAULT_PRICING, estimateCost, findModelPrice, PRICING_SOURCE } from './pricing';
export type { ExecutionMetrics, FinishReason, Usage } from './types';
