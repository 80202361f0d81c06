import type { ExecutionResult } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, within } from 'storybook/test';
import { withPanelRoot } from '../../../../../.storybook/decorators';
import { liveMetrics, mockMetrics, succeededResult } from '../../../../../.storybook/mocks/records';
import { CompareView } from './compare-view';
import { runName } from './entry-summary';
import { defaultHistoryLabels as H } from './history-labels';

const before = succeededResult({ category: 'billing', priority: 'normal', tags: ['refund'] }, mockMetrics, 1);
const after = succeededResult({ category: 'billing', priority: 'high', tags: ['refund', 'invoice'] }, liveMetrics, 2);

const meta = {
  title: 'Parts/CompareView',
  component: CompareView,
  decorators: [withPanelRoot],
  args: {
    before,
    after,
    name: (record: ExecutionResult) => runName(record.input) ?? record.id,
    onClose: fn(),
    locale: 'en-GB',
  },
  argTypes: { before: { control: false }, after: { control: false } },
} satisfies Meta<typeof CompareView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Mock vs live on the same input: every metric's change with a sign and unit, the outputs side by side and their JSON diff in words. */
export const MockVersusLive: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('row', { name: /^Tokens in/ })).toHaveTextContent(/\+1241 tokens$/);
    await expect(canvas.getByRole('row', { name: /^Cost/ })).toHaveTextContent(/\+0\.000778 USD$/);
    await expect(canvas.getByText('$.priority').closest('li')).toHaveTextContent(/Changed.*"normal".*"high"/);
    await expect(canvas.getByText('$.tags[1]').closest('li')).toHaveTextContent(/Added.*"invoice"/);
    await expect(canvas.getByRole('heading', { name: /^Input/ })).toHaveTextContent(H.compareSame);
  },
};

/** Text outputs before and after a prompt change: a line diff marked with + and − (and ins/del), not colour alone. */
export const TextOutputs: Story = {
  args: {
    before: { ...succeededResult('Agentry runs agents.\nMock mode is free.', mockMetrics, 1), input: { text: 'v1' } },
    after: {
      ...succeededResult('Agentry runs agents.\nMock mode is free and deterministic.', mockMetrics, 2),
      input: { text: 'v2' },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvasElement.querySelector('del.agentry-compare__line')).toHaveTextContent('− Mock mode is free.');
    await expect(canvasElement.querySelector('ins.agentry-compare__line')).toHaveTextContent(
      '+ Mock mode is free and deterministic.',
    );
    await expect(canvas.getByRole('heading', { name: /^Input/ })).toHaveTextContent('1 difference');
  },
};

/** A metric one run did not report reads "—" in its cell and in the change, never 0. */
export const UnknownMetrics: Story = {
  args: {
    after: succeededResult({ category: 'billing' }, { ...liveMetrics, costUsd: null, timeToFirstOutputMs: null }, 2),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('row', { name: /^Cost/ })).toHaveTextContent(/—\s*—$/);
    await expect(canvas.getByRole('row', { name: /^Time to first output/ })).toHaveTextContent(/—\s*—$/);
  },
};
