import type { RunEntry } from '@agentry/core/client';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L } from '../../../../.storybook/mocks/play-helpers';
import { historyRuns } from '../../../../.storybook/mocks/records';
import { RunHistory } from './run-history';

const meta = {
  title: 'Parts/RunHistory',
  component: RunHistory,
  decorators: [withPanelRoot],
  args: { runs: historyRuns, selectedId: 'run_4', onSelect: fn(), locale: 'en-GB' },
  argTypes: {
    runs: { control: false },
    selectedId: { control: 'select', options: [undefined, ...historyRuns.map((run) => run.id)] },
  },
  render: function Render(args) {
    const [selectedId, setSelectedId] = useState(args.selectedId);
    useEffect(() => setSelectedId(args.selectedId), [args.selectedId]);
    return (
      <RunHistory
        {...args}
        selectedId={selectedId}
        onSelect={(run: RunEntry) => {
          args.onSelect(run);
          setSelectedId(run.id);
        }}
      />
    );
  },
} satisfies Meta<typeof RunHistory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Four runs, newest first: succeeded (live), stopped, failed, succeeded (mock). */
export const Session: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: new RegExp(`^${L.historyRun(2)}\\b`) }));
    await expect(args.onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 'run_2' }));
    await expect(canvas.getByRole('button', { name: new RegExp(`^${L.historyRun(2)}\\b`) })).toHaveAttribute(
      'aria-current',
      'true',
    );
  },
};

export const Empty: Story = { args: { runs: [], selectedId: undefined } };
