import { describe, expect, it } from 'vitest';
import { estimateCost, findModelPrice } from '../index';

describe('pricing', () => {
  it('prices known models, dated snapshots and prefixes; unknown models are null, never 0', () => {
    expect(estimateCost('gpt-4.1-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(2.0, 6);
    expect(findModelPrice('gpt-4o-2024-08-06')).toEqual(findModelPrice('gpt-4o'));
    expect(findModelPrice('claude-sonnet-4-5-20250929')).toEqual(findModelPrice('claude-sonnet-4-5'));
    expect(estimateCost('my-finetune', { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(
      estimateCost(
        'ft:gpt-x',
        { inputTokens: 1e6, outputTokens: 0 },
        { 'ft:*': { inputPerMillion: 3, outputPerMillion: 6 } },
      ),
    ).toBe(3);
  });

  it('charges cached input tokens at the cached price', () => {
    const full = estimateCost('claude-sonnet-4-5', { inputTokens: 1_000_000, outputTokens: 0 });
    const cached = estimateCost('claude-sonnet-4-5', {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cachedInputTokens: 1_000_000,
    });
    expect(full).toBe(3);
    expect(cached).toBeCloseTo(0.3, 9);
  });
});
