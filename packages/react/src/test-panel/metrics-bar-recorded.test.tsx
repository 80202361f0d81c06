import type { ExecutionMetrics } from '@agentry/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { defaultLabels } from './labels';
import { MetricsBar } from './metrics-bar';

const live: ExecutionMetrics = {
  durationMs: 857,
  timeToFirstOutputMs: 501,
  inputTokens: 78,
  outputTokens: 9,
  costUsd: 0.0000171,
  provider: 'openai',
  model: 'gpt-4o-mini-2024-07-18',
  attempts: 1,
  simulated: false,
};

/** A figure's chip, by its label. */
function chip(label: string): HTMLElement {
  return screen.getByText(label, { selector: 'dt' }).parentElement as HTMLElement;
}

describe('MetricsBar: a run replayed from a tape', () => {
  it('says the usage was recorded and not billed now, with the recorded cost labelled as such', () => {
    const { container } = render(<MetricsBar metrics={{ ...live, usageSource: 'recorded' }} locale="en-US" />);
    const cost = within(chip('Cost')).getByRole('definition');
    expect(cost.textContent).toContain('Recorded · not billed');
    // The reason is read out, not only shown on hover.
    expect(cost.textContent).toContain('Nothing was billed for this run');
    expect(chip('Cost').getAttribute('title')).toBe(defaultLabels.recordedHint);
    expect(within(chip('Cost when recorded')).getByRole('definition').textContent).toBe('≈ $0.000017');
    expect(chip('Tokens in / out').getAttribute('title')).toBe(defaultLabels.sourceTokensRecorded);
    expect(container.querySelector('.agentry-metrics')?.hasAttribute('data-recorded')).toBe(true);
  });

  it('a live call (not replayed) shows its cost as spend, with no recorded chip', () => {
    render(<MetricsBar metrics={live} locale="en-US" />);
    expect(within(chip('Cost')).getByRole('definition').textContent).toBe('$0.000017');
    expect(screen.queryByText('Cost when recorded')).toBeNull();
    expect(screen.queryByText(/Recorded · not billed/)).toBeNull();
  });

  it('the words can be overridden', () => {
    render(
      <MetricsBar
        metrics={{ ...live, usageSource: 'recorded' }}
        locale="en-US"
        labels={{ ...defaultLabels, recordedNotBilled: 'Aufgezeichnet · nicht berechnet' }}
      />,
    );
    expect(within(chip('Cost')).getByRole('definition').textContent).toContain('Aufgezeichnet · nicht berechnet');
  });
});
