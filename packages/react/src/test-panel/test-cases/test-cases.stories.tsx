import { createMemoryTestCaseStore, type TestCase } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { createStoryExecutor } from '../../../../../.storybook/mocks/executors';
import { panelArgTypes, renderPanel, withPanelWidth } from '../../../../../.storybook/mocks/panel-story';
import {
  COMPLETED,
  expect,
  runAndWait,
  userEvent,
  waitFor,
  within,
} from '../../../../../.storybook/mocks/play-helpers';
import { agentryServer, STORY_TENANT, serveAgentry } from '../../../../../.storybook/mocks/server';
import { TestPanel } from '../test-panel';
import { defaultTestCaseLabels as T } from './test-case-labels';

// Saved test cases against the simulated server (the real createHandler with a memory store).

function saved(name: string, input: unknown, expectations: TestCase['expectations']): TestCase {
  return {
    id: `tc_${name.replace(/\W/g, '').toLowerCase().padEnd(8, '0')}`,
    tenantId: STORY_TENANT.tenantId,
    agentId: 'summarize',
    name,
    input,
    expectations,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A loader: the simulated server with saved test cases, seeded with `cases`. */
function withTestCases(cases: TestCase[] = []) {
  return async () => {
    const store = createMemoryTestCaseStore();
    for (const testCase of cases) await store.create(testCase, { maxPerAgent: 100 });
    const client = await serveAgentry(...agentryServer(createStoryExecutor(), { testCases: store }));
    return { service: { client } };
  };
}

const meta = {
  title: 'TestPanel/Test cases',
  component: TestPanel,
  render: renderPanel,
  decorators: [withPanelWidth()],
  args: { agentId: 'summarize', defaultMode: 'mock', defaultInputView: 'json', showHistory: false },
  argTypes: panelArgTypes,
} satisfies Meta<typeof TestPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No case yet: the empty state says how to make one. */
export const Empty: Story = {
  loaders: [withTestCases()],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(T.testCasesEmpty)).toBeVisible();
    await expect(canvas.getByRole('button', { name: T.runAll('Mock') })).toBeDisabled();
  },
};

/** Run, save the result as a case that must equal it, save one that cannot pass, run all, read why. */
export const SaveTwoAndRunAll: Story = {
  loaders: [withTestCases()],
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('Run the agent', async () => runAndWait(canvas, COMPLETED));
    await step('Save it as a case that must equal this output', async () => {
      await userEvent.click(await canvas.findByRole('button', { name: T.saveAsTestCase }));
      const form = await canvas.findByRole('form', { name: T.saveAsTestCase });
      const name = within(form).getByLabelText(T.testCaseName);
      await expect(name).toHaveFocus();
      await userEvent.clear(name);
      await userEvent.type(name, 'Same summary');
      await userEvent.click(within(form).getByLabelText(T.expectEquals));
      await userEvent.click(within(form).getByRole('button', { name: T.save }));
      await expect(await canvas.findByText('Same summary')).toBeVisible();
    });
    await step('Save one that expects text the output lacks', async () => {
      await userEvent.click(canvas.getByRole('button', { name: T.saveAsTestCase }));
      const form = await canvas.findByRole('form', { name: T.saveAsTestCase });
      const name = within(form).getByLabelText(T.testCaseName);
      await userEvent.clear(name);
      await userEvent.type(name, 'Mentions pricing');
      await userEvent.click(within(form).getByLabelText(T.expectContains));
      await userEvent.type(within(form).getByRole('textbox', { name: T.expectContains }), 'pricing');
      await userEvent.click(within(form).getByRole('button', { name: T.save }));
      await expect(await canvas.findByText('Mentions pricing')).toBeVisible();
    });
    await step('Run all: one passes, one fails', async () => {
      await userEvent.click(canvas.getByRole('button', { name: T.runAll('Mock') }));
      await waitFor(() => expect(canvas.getByText(T.summary(1, 1, 2, 'Mock'))).toBeVisible(), { timeout: 8000 });
      const items = canvas.getAllByRole('listitem').filter((item) => item.classList.contains('agentry-cases__item'));
      await expect(items.map((item) => item.getAttribute('data-state'))).toEqual(['passed', 'failed']);
    });
    await step('See why the second failed', async () => {
      await userEvent.click(canvas.getByRole('button', { name: T.showDetails }));
      await expect(await canvas.findByText(/Expected the output to include "pricing", got "In short:/)).toBeVisible();
    });
  },
};

/** Cases already saved, one of which fails in mock mode; delete one from the keyboard. */
export const RunAllAndDelete: Story = {
  loaders: [
    withTestCases([
      saved('Brief', { text: 'Agentry runs agents.', style: 'brief' }, { contains: 'In short' }),
      saved('Detailed', { text: 'Agentry runs agents.', style: 'detailed' }, { contains: 'In short' }),
    ]),
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText('Detailed');
    await userEvent.click(canvas.getByRole('button', { name: T.runAll('Mock') }));
    await waitFor(() => expect(canvas.getByText(T.summary(1, 1, 2, 'Mock'))).toBeVisible(), { timeout: 8000 });
    const remove = canvas.getByRole('button', { name: T.deleteTestCase('Detailed') });
    remove.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(canvas.queryByText('Detailed')).toBeNull());
    await waitFor(() => expect(canvas.getByRole('button', { name: T.deleteTestCase('Brief') })).toHaveFocus());
    await expect(canvas.getByText(T.deleted('Detailed'))).toBeInTheDocument();
  },
};

/** The narrowest host (320 px), dark. */
export const NarrowDark: Story = {
  loaders: [
    withTestCases([
      saved(
        'A rather long case name that has to wrap at 320 px',
        { text: 'Hello', style: 'brief' },
        { maxLatencyMs: 5000 },
      ),
    ]),
  ],
  args: { theme: 'dark' },
  decorators: [(Story) => <div style={{ width: 320 }}>{Story()}</div>],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await canvas.findByText(/A rather long case name/);
    await userEvent.click(canvas.getByRole('button', { name: T.runAll('Mock') }));
    await waitFor(() => expect(canvas.getByText(T.summary(1, 0, 1, 'Mock'))).toBeVisible(), { timeout: 8000 });
    const section = canvasElement.querySelector('.agentry-cases') as HTMLElement;
    await expect(section.scrollWidth).toBeLessThanOrEqual(section.clientWidth + 1);
  },
};
