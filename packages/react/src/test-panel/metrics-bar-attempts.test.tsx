import type { ExecutionMetrics } from '@agentry/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MetricsBar } from './metrics-bar';

const metrics: ExecutionMetrics = {
  durationMs: 939,
  timeToFirstOutputMs: 477,
  inputTokens: 383,
  outputTokens: 63,
  costUsd: 0.00025,
  provider: 'mock',
  model: 'gpt-4.1-mini',
  attempts: 3,
  simulated: true,
};

const attempts = () => screen.getByText('Attempts', { selector: 'dt' }).parentElement as HTMLElement;

describe('MetricsBar: attempts are marked as retried only past the model calls the run needed', () => {
  it('a 3-step tool run with 3 provider calls made no retry: not marked', () => {
    render(<MetricsBar metrics={metrics} steps={3} locale="en-US" />);
    expect(attempts().hasAttribute('data-retried')).toBe(false);
  });

  it('the same run with a 4th call retried one: marked', () => {
    render(<MetricsBar metrics={{ ...metrics, attempts: 4 }} steps={3} locale="en-US" />);
    expect(attempts().hasAttribute('data-retried')).toBe(true);
  });

  it('a run without steps needs one call: a second one is a retry', () => {
    render(<MetricsBar metrics={{ ...metrics, attempts: 2 }} locale="en-US" />);
    expect(attempts().hasAttribute('data-retried')).toBe(true);
  });
});
