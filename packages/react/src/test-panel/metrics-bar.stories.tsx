import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L } from '../../../../.storybook/mocks/play-helpers';
import { liveMetrics, mockMetrics } from '../../../../.storybook/mocks/records';
import { MetricsBar } from './metrics-bar';

const meta = {
  title: 'Parts/MetricsBar',
  component: MetricsBar,
  decorators: [withPanelRoot],
  args: { metrics: liveMetrics, pricingDate: '2026-11-01' },
  argTypes: { locale: { control: 'select', options: [undefined, 'en-US', 'de-DE', 'fr-FR', 'ja-JP'] } },
} satisfies Meta<typeof MetricsBar>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A live run: tokens reported by the provider, cost estimated from the dated price table. */
export const Live: Story = {};

/** A mock run: marked "Simulated"; nothing was billed. */
export const Simulated: Story = { args: { metrics: mockMetrics } };

/**
 * A run replayed from a tape (`usageSource: 'recorded'`): tokens and cost are the recorded
 * call's, so the cost chip says "Recorded · not billed" and the recorded cost is labelled as such.
 */
export const Recorded: Story = {
  args: { metrics: { ...liveMetrics, model: 'gpt-4o-mini-2024-07-18', usageSource: 'recorded' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const cost = canvasElement.querySelector('[data-metric="cost"]') as HTMLElement;
    await expect(within(cost).getByRole('definition')).toHaveTextContent(L.recordedNotBilled);
    // Screen readers hear why, not only the chip's words.
    await expect(within(cost).getByRole('definition')).toHaveTextContent(L.recordedHint);
    await expect(cost).toHaveAttribute('title', L.recordedHint);
    await expect(canvas.getByText(L.recordedCost)).toBeVisible();
    await expect(canvas.queryByText(L.simulatedNothingBilled)).toBeNull();
  },
};

/** While running: only the provider and model are known; the rest shows "—", never 0. */
export const WhileRunning: Story = {
  args: { metrics: { provider: 'openai', model: 'gpt-4.1-mini', simulated: false } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getAllByText(L.unknown)).toHaveLength(5);
  },
};

/** A model missing from the price table: cost "—", not $0.00. */
export const UnknownCost: Story = {
  args: { metrics: { ...liveMetrics, costUsd: null, model: 'my-fine-tune-v3' } },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-metric="cost"] dd')).toHaveTextContent(L.unknown);
  },
};

/** Succeeded after two retries. */
export const Retried: Story = { args: { metrics: { ...liveMetrics, attempts: 3, durationMs: 5870 } } };

/** Numbers and currency through Intl. */
export const GermanLocale: Story = {
  args: { locale: 'de-DE', metrics: { ...liveMetrics, inputTokens: 12_840, durationMs: 12_340 } },
};
