import type { Meta, StoryObj } from '@storybook/react-vite';
import { executorMode, panelArgTypes, renderPanel, withPanelWidth } from '../../../../.storybook/mocks/panel-story';
import {
  COMPLETED,
  editor,
  expect,
  FAILED,
  JSON_ERROR_AT,
  L,
  outputStatus,
  releaseHeldRun,
  replaceInput,
  runAndWait,
  runButton,
  STOPPED,
  userEvent,
  waitFor,
  within,
} from '../../../../.storybook/mocks/play-helpers';
import { defaultHistoryLabels } from './history/history-labels';
import { TestPanel } from './test-panel';

// The interactions that matter, played step by step (open the Interactions tab to replay them).
// Cancel lives in "TestPanel/States › Cancelled".

const meta = {
  title: 'TestPanel/Interactions',
  component: TestPanel,
  render: renderPanel,
  loaders: [executorMode()],
  decorators: [withPanelWidth()],
  // These stories drive the JSON view; the form has its own (Parts/InputEditor).
  args: { agentId: 'summarize', defaultMode: 'mock', defaultInputView: 'json' },
  argTypes: panelArgTypes,
} satisfies Meta<typeof TestPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Type broken JSON, see the error at its line and column, jump to it, fix it, run. */
export const FixInvalidJsonThenRun: Story = {
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('Type JSON with a missing quote', async () => {
      const textarea = await replaceInput(canvas, '{\n"text": "Hello,\n"style": "brief"\n}');
      await expect(textarea).toHaveAttribute('aria-invalid', 'true');
      await expect(await canvas.findByRole('button', { name: JSON_ERROR_AT })).toBeVisible();
    });
    await step('Run refuses and puts the caret on the error', async () => {
      await userEvent.click(await runButton(canvas));
      await expect(await editor(canvas)).toHaveFocus();
      await expect(canvas.getByText(L.outputEmpty)).toBeVisible();
    });
    await step('Fix it: the error goes away', async () => {
      const textarea = await replaceInput(canvas, '{\n"text": "Hello, world",\n"style": "brief"\n}');
      await expect(textarea).not.toHaveAttribute('aria-invalid');
      await expect(canvas.queryByRole('button', { name: JSON_ERROR_AT })).toBeNull();
    });
    await step('Run', async () => {
      await runAndWait(canvas, COMPLETED);
      await expect(canvas.getByRole('log')).toHaveTextContent('In short: Hello, world … one pipeline, mock or live.');
    });
  },
};

/**
 * Watch the output stream in (a busy live log), then the final status and the metrics. The mock
 * holds its stream after three chunks until the play has checked the streaming state, so the
 * check never races the mock's latency.
 */
export const StreamingThenMetrics: Story = {
  loaders: [executorMode({ holdAfterChunks: 3 })],
  play: async ({ canvasElement, loaded, step }) => {
    const canvas = within(canvasElement);
    const metric = (key: string) => canvasElement.querySelector(`[data-metric="${key}"] dd`);
    await userEvent.click(await runButton(canvas));
    await step('Streaming: text arrives, the log is busy', async () => {
      await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(L.status.streaming), { timeout: 5000 });
      await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent(/^In short: Agentry$/));
      await expect(canvas.getByRole('log')).toHaveAttribute('aria-busy', 'true');
      // Live metrics: the duration ticks while the run streams, the first output is measured.
      await expect(metric('duration')).toHaveTextContent(/^\d[\d.,]* (ms|s)$/);
      await expect(metric('first-output')).toHaveTextContent(/^\d[\d.,]* (ms|s)$/);
    });
    releaseHeldRun(loaded);
    await step('Finished: polite status, final metrics', async () => {
      await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(COMPLETED), { timeout: 8000 });
      await expect(canvas.getByRole('log')).toHaveAttribute('aria-busy', 'false');
      await expect(canvas.getByRole('log')).toHaveTextContent(
        /^In short: Agentry runs .* one pipeline, mock or live\.$/,
      );
      await expect(metric('duration')).toHaveTextContent(/^\d[\d.,]* (ms|s)$/);
      await expect(metric('first-output')).toHaveTextContent(/^\d[\d.,]* (ms|s)$/);
      await expect(metric('tokens')).toHaveTextContent(/^\d+ \/ \d+$/);
      await expect(metric('model')).toHaveTextContent('mock · gpt-4.1-mini');
      await expect(metric('cost')).toHaveTextContent(L.simulatedNothingBilled);
    });
  },
};

/** The first call fails (provider error); Retry runs again and succeeds. */
export const RetryAfterError: Story = {
  loaders: [executorMode({ failures: { kind: 'provider_error', onCalls: [1] } })],
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    await step('The first run fails', async () => {
      await runAndWait(canvas, FAILED);
      await expect(await canvas.findByRole('alert')).toHaveAttribute('data-code', 'provider_error');
    });
    await step('Retry succeeds and the alert goes away', async () => {
      await userEvent.click(within(canvas.getByRole('alert')).getByRole('button', { name: L.retry }));
      await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(COMPLETED), { timeout: 8000 });
      await expect(canvas.queryByRole('alert')).toBeNull();
      // Both runs are in the history (kept by the service): the failure and the success.
      const history = within(canvas.getByRole('region', { name: defaultHistoryLabels.history }));
      await waitFor(() => expect(history.getAllByRole('listitem')).toHaveLength(2));
      await expect(history.getByText(defaultHistoryLabels.historyStatus.failed)).toBeVisible();
    });
  },
};

/** Keyboard only: Tab to the editor, edit, Ctrl+Enter runs; Escape would cancel. */
export const KeyboardOnly: Story = {
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    const textarea = await editor(canvas);
    await step('Tab to the editor', async () => {
      for (let presses = 0; presses < 12 && document.activeElement !== textarea; presses += 1) await userEvent.tab();
      await expect(textarea).toHaveFocus();
    });
    await step('Edit with the keyboard', async () => {
      await userEvent.keyboard('{Control>}a{/Control}');
      await userEvent.keyboard('{{"text": "Typed with the keyboard only."}');
    });
    await step('Ctrl+Enter runs', async () => {
      await userEvent.keyboard('{Control>}{Enter}{/Control}');
      await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(COMPLETED), { timeout: 8000 });
      await expect(canvas.getByRole('log')).toHaveTextContent('In short: Typed with the keyboard only.');
    });
  },
};

/** Keyboard only: Escape stops a streaming run and focus lands on Run. */
export const EscapeCancels: Story = {
  loaders: [executorMode({ failures: { kind: 'timeout', rate: 1, at: 'mid-stream' }, timeoutMs: 600_000 })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const textarea = await editor(canvas);
    textarea.focus();
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(L.status.streaming), { timeout: 5000 });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(STOPPED));
    await expect(canvas.getByRole('log')).toHaveTextContent(/^In short:/);
  },
};
