import { AgentryError, type ExecutionResult } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { withPanelRoot } from '../../../../../.storybook/decorators';
import { liveMetrics, mockMetrics, succeededResult } from '../../../../../.storybook/mocks/records';
import { defaultHistoryLabels as H } from './history-labels';
import { RunHistory } from './run-history';

/** A JSON agent's runs, newest first: mock and live, before and after a prompt change, a failure. */
function record(
  index: number,
  input: unknown,
  output: unknown,
  metrics = mockMetrics,
  patch: Partial<ExecutionResult> = {},
): ExecutionResult {
  return { ...succeededResult(output, metrics, index), agentId: 'classify-ticket', input, ...patch } as ExecutionResult;
}

const ticket = 'My invoice was charged twice this month, please refund one of them.';
const historyRecords: ExecutionResult[] = [
  record(
    5,
    { ticket, language: 'en' },
    { category: 'billing', priority: 'high', tags: ['refund', 'invoice'] },
    liveMetrics,
  ),
  record(4, { ticket, language: 'en' }, { category: 'billing', priority: 'normal', tags: ['refund'] }),
  record(
    3,
    { ticket: 'The export button does nothing on Safari.', language: 'en' },
    null,
    { ...liveMetrics, durationMs: 1200, inputTokens: null, outputTokens: null, costUsd: null },
    {
      status: 'failed',
      error: {
        code: 'rate_limited',
        message: 'Rate limited.',
        userMessage: 'Too many requests right now.',
        retryable: true,
        status: 429,
      },
    } as Partial<ExecutionResult>,
  ),
  record(2, { ticket: 'How do I add a teammate?' }, { category: 'account', priority: 'low', tags: [] }),
];

const meta = {
  title: 'Parts/RunHistory',
  component: RunHistory,
  decorators: [withPanelRoot],
  args: {
    items: historyRecords,
    status: 'ready',
    hasMore: false,
    inputText: JSON.stringify({ ticket, language: 'en' }, null, 2),
    selectedId: historyRecords[0]?.id,
    onLoadMore: fn(),
    onRetry: fn(),
    onSelect: fn(),
    onRestore: fn(),
    onRerun: fn(),
    locale: 'en-GB',
  },
  argTypes: { items: { control: false }, error: { control: false } },
  render: function Render(args) {
    const [selectedId, setSelectedId] = useState(args.selectedId);
    return (
      <RunHistory
        {...args}
        selectedId={selectedId}
        onSelect={(picked) => {
          args.onSelect(picked);
          setSelectedId(picked.id);
        }}
      />
    );
  },
} satisfies Meta<typeof RunHistory>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Runs named from their input, with status, mode, duration, time and an input preview; runs made with other input than the editor's are marked. */
export const Entries: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('listitem')).toHaveLength(4);
    await expect(canvas.getAllByText(H.historyStale)).toHaveLength(2);
    await expect(canvas.getByText('Failed')).toBeVisible();
    const second = canvas.getAllByRole('listitem')[1] as HTMLElement;
    await userEvent.click(within(second).getByRole('button', { name: H.historyRestore }));
    await expect(args.onRestore).toHaveBeenCalledWith(historyRecords[1]);
    await userEvent.click(within(second).getByRole('button', { name: H.historyRerun }));
    await expect(args.onRerun).toHaveBeenCalledWith(historyRecords[1]);
  },
};

/** No runs of this agent yet. */
export const Empty: Story = {
  args: { items: [] },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText(H.historyEmpty)).toBeVisible();
  },
};

/** The first page is on its way. */
export const Loading: Story = {
  args: { items: [], status: 'loading' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent(H.historyLoading);
    await expect(within(canvasElement).getByRole('region')).toHaveAttribute('aria-busy', 'true');
  },
};

/** More pages on the server: scrolling to the end loads the next; "Load more" does it by hand. */
export const Paged: Story = {
  args: { hasMore: true },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    // The sentinel is in view (the list is short), so the next page is asked for at once.
    await waitFor(() => expect(args.onLoadMore).toHaveBeenCalled());
    await userEvent.click(canvas.getByRole('button', { name: H.historyLoadMore }));
    await expect(args.onLoadMore).toHaveBeenCalledTimes(2);
  },
};

/** The next page is loading: the button says so and waits. */
export const LoadingMore: Story = {
  args: { hasMore: true, status: 'loading' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('button', { name: H.historyLoading })).toBeDisabled();
  },
};

/** The history could not be loaded: what happened, and a way to try again. */
export const LoadError: Story = {
  args: {
    items: [],
    status: 'error',
    error: new AgentryError('internal', 'Failed to fetch', { userMessage: 'The server could not be reached.' }),
  },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('alert')).toHaveTextContent(H.historyFailed);
    await userEvent.click(canvas.getByRole('button', { name: H.historyRetry }));
    await expect(args.onRetry).toHaveBeenCalled();
  },
};

/** Two runs picked with the keyboard and compared: the compare view loads on demand, its heading takes focus. */
export const Compare: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const boxes = canvas.getAllByRole('checkbox');
    await userEvent.click(boxes[1] as HTMLElement);
    await expect(canvas.getByRole('button', { name: H.historyCompare(1) })).toBeDisabled();
    await userEvent.click(boxes[0] as HTMLElement);
    canvas.getByRole('button', { name: H.historyCompare(2) }).focus();
    await userEvent.keyboard('{Enter}');
    const heading = await canvas.findByRole('heading', { name: H.compareTitle });
    await waitFor(() => expect(heading).toHaveFocus());
    const view = within(canvas.getByRole('region', { name: H.compareTitle }));
    // Mock (A, earlier) vs live (B): the live run was slower, used more tokens, cost more.
    await expect(view.getByRole('row', { name: /^Duration/ })).toHaveTextContent(/\+2160 ms$/);
    await expect(view.getByRole('heading', { name: /^Output/ })).toHaveTextContent('2 differences');
    await userEvent.keyboard('{Escape}');
    await expect(canvas.queryByRole('region', { name: H.compareTitle })).toBeNull();
  },
};
