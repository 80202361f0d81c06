import type { ExecutionMode } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L } from '../../../../.storybook/mocks/play-helpers';
import { ModeSwitch } from './mode-switch';

const meta = {
  title: 'Parts/ModeSwitch',
  component: ModeSwitch,
  decorators: [withPanelRoot],
  args: { value: 'mock', onValueChange: fn(), liveAvailable: true, mockAvailable: true, disabled: false },
  argTypes: { value: { control: 'inline-radio', options: ['mock', 'live'] } },
  // Controlled by the story: clicks change the value; the Controls panel sets it too.
  render: function Render(args) {
    const [value, setValue] = useState(args.value);
    useEffect(() => setValue(args.value), [args.value]);
    return (
      <ModeSwitch
        {...args}
        value={value}
        onValueChange={(mode: ExecutionMode) => {
          args.onValueChange(mode);
          setValue(mode);
        }}
      />
    );
  },
} satisfies Meta<typeof ModeSwitch>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Mock selected; arrow keys or a click move to Live. */
export const Mock: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('radio', { name: L.live }));
    await expect(args.onValueChange).toHaveBeenCalledWith('live');
    await expect(canvas.getByRole('radio', { name: L.live })).toBeChecked();
  },
};

export const Live: Story = { args: { value: 'live' } };

/** Live turned off by the operator: disabled, with the reason shown and linked to the option. */
export const LiveUnavailable: Story = {
  args: { liveAvailable: false, liveReason: 'Live mode is paused for maintenance until 14:00 UTC.' },
  play: async ({ canvasElement }) => {
    const live = within(canvasElement).getByRole('radio', { name: L.live });
    await expect(live).toBeDisabled();
    await expect(live).toHaveAccessibleDescription('Live mode is paused for maintenance until 14:00 UTC.');
  },
};

/** An agent that only runs live. */
export const MockUnavailable: Story = { args: { value: 'live', mockAvailable: false } };

/** Locked while a run is active. */
export const Disabled: Story = { args: { disabled: true } };
