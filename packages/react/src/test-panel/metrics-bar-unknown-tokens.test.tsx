import type { ExecutionMetrics } from '@agentry/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MetricsBar } from './metrics-bar';

const live: ExecutionMetrics = {
  durationMs: 1200,
  timeToFirstOutputMs: 300,
  inputTokens: 120,
  outputTokens: 9,
  costUsd: 0.0001,
  provider: 'openai',
  model: 'gpt-4o-mini',
  attempts: 1,
  simulated: false,
};

function tokens(): string | null {
  const figure = screen.getByText('Tokens in / out').parentElement as HTMLElement;
  return within(figure).getByRole('definition').textContent;
}

describe('MetricsBar: tokens a provider did not report', () => {
  it('shows null tokens (unknown usage) as "—", never "0 / 0"', () => {
    render(<MetricsBar metrics={{ ...live, inputTokens: null, outputTokens: null, costUsd: null }} locale="en-US" />);
    expect(tokens()).toBe('—');
  });

  it('shows reported tokens', () => {
    render(<MetricsBar metrics={live} locale="en-US" />);
    expect(tokens()).toBe('120 / 9');
  });
});
