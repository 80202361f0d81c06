import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L, labelPattern } from '../../../../.storybook/mocks/play-helpers';
import { bigJson, liveMetrics, succeededResult } from '../../../../.storybook/mocks/records';
import { OutputView } from './output-view';

const partial = 'In short: Agentry runs AI agents in mock and live mode inside';

const meta = {
  title: 'Parts/OutputView',
  component: OutputView,
  decorators: [withPanelRoot],
  args: { status: 'idle', output: '' },
  argTypes: {
    status: { control: 'select', options: ['idle', 'running', 'streaming', 'succeeded', 'failed', 'cancelled'] },
    result: { control: false },
    locale: { control: 'select', options: [undefined, 'en-US', 'de-DE', 'fr-FR', 'ja-JP'] },
  },
} satisfies Meta<typeof OutputView>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = {};

export const Running: Story = { args: { status: 'running' } };

/** A busy live log with a caret at the end. */
export const Streaming: Story = {
  args: { status: 'streaming', output: partial },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('log')).toHaveAttribute('aria-busy', 'true');
  },
};

export const SucceededText: Story = { args: { status: 'succeeded', result: succeededResult() } };

/** Structured output, pretty-printed. */
export const SucceededJson: Story = {
  args: {
    status: 'succeeded',
    result: succeededResult({
      links: [
        { href: 'https://example.com/docs/page-1', title: 'Page 1' },
        { href: 'https://example.com/docs/page-2', title: 'Page 2' },
      ],
    }),
  },
};

/** Failed mid-stream: the partial output stays. */
export const FailedWithPartialOutput: Story = {
  args: {
    status: 'failed',
    output: partial,
    result: { ...succeededResult(), status: 'failed', output: partial } as never,
  },
};

/** Stopped by the user: "Stopped after …", partial output kept. */
export const Cancelled: Story = {
  args: {
    status: 'cancelled',
    output: partial,
    result: {
      ...succeededResult(partial, { ...liveMetrics, durationMs: 830 }),
      status: 'cancelled',
      output: partial,
    } as never,
  },
};

/** About 1 MB of JSON: collapsed behind "Show all" so the page stays responsive; only 20 kB are rendered. */
export const LongOutput: Story = {
  args: { status: 'succeeded', result: succeededResult(bigJson()) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: labelPattern(L.showAll, '1\\.\\d MB') })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    await expect(canvas.getByRole('log').textContent).toHaveLength(20_000);
  },
};

/**
 * "Show all" pressed on a result over the 20 kB preview (about 35 kB: axe's colour-contrast check
 * walks every rendered line, so a megabyte expanded would take seconds to check).
 */
export const LongOutputExpanded: Story = {
  args: { status: 'succeeded', result: succeededResult(bigJson(250)) },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: labelPattern(L.showAll, '3\\d\\.\\d kB') }));
    await expect(canvas.getByRole('button', { name: L.showLess })).toHaveAttribute('aria-expanded', 'true');
    await expect(canvas.getByRole('log')).toHaveTextContent(/"id": 249,/);
  },
};

/** JSON output as a tree; Raw and Pretty one click away; search marks and counts matches. */
export const JsonViewsAndSearch: Story = {
  args: {
    status: 'succeeded',
    executionId: 'exe_story_0001',
    request: { baseUrl: '/api/agentry', agentId: 'extract', input: { text: 'See page 1 and 2.' }, mode: 'mock' },
    result: succeededResult({
      links: [
        { href: 'https://example.com/docs/page-1', title: 'Page 1' },
        { href: 'https://example.com/docs/page-2', title: 'Page 2' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('searchbox', { name: L.search }), 'page-2');
    await expect(await canvas.findByText(L.searchMatches(1))).toBeVisible();
    await expect(canvasElement.querySelector('mark')).toHaveTextContent('page-2');
    await userEvent.click(canvas.getByRole('radio', { name: L.viewTree }));
    // The tree view is a lazy chunk: on a busy machine it renders some moments after the click.
    const tree = await waitFor(
      () => {
        const found = canvasElement.querySelector('.agentry-tree');
        expect(found).not.toBeNull();
        return found as HTMLElement;
      },
      { timeout: 10_000 },
    );
    await expect(tree).toBeVisible();
    await expect(tree.querySelector('mark')).toHaveTextContent('page-2');
    await userEvent.click(canvas.getByRole('radio', { name: L.viewRaw }));
    await expect(canvas.getByRole('log')).toHaveTextContent('{"links":[{"href"');
    await expect(canvas.getByRole('button', { name: L.copyAsCurl })).toBeVisible();
    await expect(canvas.getByRole('button', { name: L.copyAsCode })).toBeVisible();
  },
};

/** An answer that failed its output schema: the tree opens on the fields that are wrong and says what is wrong. */
export const InvalidOutputFieldsMarked: Story = {
  args: {
    status: 'failed',
    output: '{"category":"refund","priority":7,"tags":["billing",3]}',
    issues: [
      { path: ['category'], message: 'Expected one of "billing", "bug", "other".' },
      { path: ['tags', 1], message: 'Expected string, got number.' },
    ],
    result: {
      ...succeededResult(),
      status: 'failed',
      output: '{"category":"refund","priority":7,"tags":["billing",3]}',
    } as never,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('radio', { name: L.viewTree })).toBeChecked();
    const marked = canvasElement.querySelectorAll('[data-invalid]');
    await expect(marked).toHaveLength(2);
    await expect(canvas.getByText(/Expected string, got number\./)).toBeVisible();
  },
};
