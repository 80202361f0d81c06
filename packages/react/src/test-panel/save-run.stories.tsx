import type { AgentService } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { succeededResult } from '../../../../.storybook/mocks/records';
import { SaveRun } from './save-run';

/** A server client that saves where a host's tape folder would. */
const saving = {
  async saveRun(executionId: string, { as }: { as: 'tape' | 'mock' }) {
    return { executionId, agentId: 'summarize', saved: as, where: `tapes/ws_design/summarize.${as}.json` };
  },
} as unknown as AgentService;

const meta = {
  title: 'Parts/SaveRun',
  component: SaveRun,
  decorators: [withPanelRoot],
  args: { service: saving, allowed: true, result: succeededResult() },
} satisfies Meta<typeof SaveRun>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A completed live run, and a user the host allows: "Save as tape" and "Save as mock". */
export const Allowed: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Save as tape' }));
    await expect(await canvas.findByText('Saved as tape: tapes/ws_design/summarize.tape.json')).toBeVisible();
  },
};

/** The host does not allow this user (the agent summary has no `canSaveRuns`): nothing shows. */
export const NotAllowed: Story = {
  args: { allowed: false },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).queryByRole('button')).toBeNull();
  },
};
