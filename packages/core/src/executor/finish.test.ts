import { describe, expect, it } from 'vitest';
import { buildMetrics } from './finish';
import { createRunState } from './run-state';

describe('buildMetrics', () => {
  it('measures from the run start, rounds to microseconds, and keeps unknown tokens unknown', () => {
    const state = createRunState('exe_1', 'gpt-4.1-mini', 1000);
    state.attempts = 2;
    state.firstOutputAt = 1012.3456789;
    const metrics = buildMetrics(state, { providerId: 'openai', simulated: false, costUsd: null, end: 1050.0004 });
    expect(metrics).toEqual({
      durationMs: 50,
      timeToFirstOutputMs: 12.346,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      attempts: 2,
      simulated: false,
    });
  });

  it('adds cached and reasoning tokens and the finish reasons only when reported', () => {
    const state = createRunState('exe_1', 'm', 0);
    state.usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 };
    state.finishReason = 'length';
    state.rawFinishReason = 'max_tokens';
    state.model = 'm-2025';
    const metrics = buildMetrics(state, { providerId: 'p', simulated: true, costUsd: 0.5, end: -1 });
    expect(metrics).toMatchObject({
      durationMs: 0,
      timeToFirstOutputMs: null,
      inputTokens: 10,
      outputTokens: 5,
      cachedInputTokens: 4,
      reasoningTokens: 2,
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      model: 'm-2025',
      costUsd: 0.5,
      simulated: true,
    });
  });
});
