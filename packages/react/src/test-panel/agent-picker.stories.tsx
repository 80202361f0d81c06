import { describeAgent } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEffect, useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { storyAgents } from '../../../../.storybook/mocks/agents';
import { L } from '../../../../.storybook/mocks/play-helpers';
import { AgentPicker } from './agent-picker';

const agents = storyAgents.map((agent) => describeAgent(agent, { available: false, reason: 'Off in Storybook.' }));

const meta = {
  title: 'Parts/AgentPicker',
  component: AgentPicker,
  decorators: [withPanelRoot],
  args: { agents, value: 'summarize', onValueChange: fn(), disabled: false },
  argTypes: {
    agents: { control: false },
    value: { control: 'select', options: agents.map((agent) => agent.id) },
  },
  render: function Render(args) {
    const [value, setValue] = useState(args.value);
    useEffect(() => setValue(args.value), [args.value]);
    return (
      <AgentPicker
        {...args}
        value={value}
        onValueChange={(agentId: string) => {
          args.onValueChange(agentId);
          setValue(agentId);
        }}
      />
    );
  },
} satisfies Meta<typeof AgentPicker>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const select = within(canvasElement).getByRole('combobox', { name: L.agent });
    await userEvent.selectOptions(select, 'Link extractor');
    await expect(args.onValueChange).toHaveBeenCalledWith('extract');
  },
};

/** Locked while a run is active. */
export const Disabled: Story = { args: { disabled: true } };
