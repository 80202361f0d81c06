import type { Usage } from './types';

/** Usage before any provider reported it: every count unknown. */
export function unknownUsage(): Usage {
  return { inputTokens: null, outputTokens: null };
}

/**
 * A newer usage report over an older one: each count the newer report knows replaces the older
 * value; a count it does not know (`null`, or an optional field left out) keeps the older one, so
 * a later partial report never turns a known count back into unknown.
 */
export function mergeUsage(current: Usage, next: Usage): Usage {
  const merged: Usage = {
    ...current,
    inputTokens: next.inputTokens ?? current.inputTokens,
    outputTokens: next.outputTokens ?? current.outputTokens,
  };
  if (next.cachedInputTokens !== undefined) merged.cachedInputTokens = next.cachedInputTokens;
  if (next.reasoningTokens !== undefined) merged.reasoningTokens = next.reasoningTokens;
  return merged;
}
