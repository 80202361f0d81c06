import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import type { Usage } from '../metrics';
import { ATTRIBUTES, DURATION_BUCKETS, METRICS, TOKEN_USAGE_BUCKETS } from './semantic-conventions';

/** The three GenAI client metrics, with the specification's bucket boundaries as advice. */
export interface Instruments {
  /** `gen_ai.client.operation.duration`, in seconds. */
  recordDuration(milliseconds: number, attributes: Attributes): void;
  /** `gen_ai.client.token.usage`: one record per known count (`input`, `output`). */
  recordUsage(usage: Usage | null, attributes: Attributes): void;
  /** `gen_ai.client.operation.time_to_first_chunk`, in seconds (streaming calls only). */
  recordTimeToFirstChunk(milliseconds: number, attributes: Attributes): void;
}

export function createInstruments(meter: Meter): Instruments {
  const duration: Histogram = meter.createHistogram(METRICS.operationDuration, {
    description: 'GenAI operation duration.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const tokens: Histogram = meter.createHistogram(METRICS.tokenUsage, {
    description: 'Number of input and output tokens used.',
    unit: '{token}',
    advice: { explicitBucketBoundaries: [...TOKEN_USAGE_BUCKETS] },
  });
  const firstChunk: Histogram = meter.createHistogram(METRICS.timeToFirstChunk, {
    description:
      'Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  return {
    recordDuration(milliseconds, attributes) {
      duration.record(milliseconds / 1000, attributes);
    },
    recordUsage(usage, attributes) {
      // Unknown counts are not recorded: the specification forbids guessing them.
      if (typeof usage?.inputTokens === 'number')
        tokens.record(usage.inputTokens, { ...attributes, [ATTRIBUTES.tokenType]: 'input' });
      if (typeof usage?.outputTokens === 'number')
        tokens.record(usage.outputTokens, { ...attributes, [ATTRIBUTES.tokenType]: 'output' });
    },
    recordTimeToFirstChunk(milliseconds, attributes) {
      firstChunk.record(milliseconds / 1000, attributes);
    },
  };
}

/** Span attributes for a usage report: only the counts that are known. */
export function usageAttributes(usage: Partial<Usage> | null | undefined): Attributes {
  const attributes: Attributes = {};
  if (!usage) return attributes;
  if (typeof usage.inputTokens === 'number') attributes[ATTRIBUTES.usageInputTokens] = usage.inputTokens;
  if (typeof usage.outputTokens === 'number') attributes[ATTRIBUTES.usageOutputTokens] = usage.outputTokens;
  if (typeof usage.cachedInputTokens === 'number')
    attributes[ATTRIBUTES.usageCacheReadInputTokens] = usage.cachedInputTokens;
  if (typeof usage.reasoningTokens === 'number')
    attributes[ATTRIBUTES.usageReasoningOutputTokens] = usage.reasoningTokens;
  return attributes;
}
