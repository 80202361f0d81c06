import type { Meta, StoryObj } from '@storybook/react-vite';
import { delay, http } from 'msw';
import {
  clientMode,
  executorMode,
  panelArgTypes,
  renderPanel,
  withPanelWidth,
} from '../../../../.storybook/mocks/panel-story';
import {
  COMPLETED,
  editor,
  expect,
  L,
  labelPattern,
  outputStatus,
  pasteInput,
  replaceInput,
  runAndWait,
  runButton,
  STOPPED,
  userEvent,
  waitFor,
  within,
} from '../../../../.storybook/mocks/play-helpers';
import { apiBase } from '../../../../.storybook/mocks/server';
import { defaultHistoryLabels } from './history/history-labels';
import { TestPanel } from './test-panel';

/** A run that stays in "Running…": the provider never answers and the deadline is 10 minutes away. */
const hangsBeforeOutput = executorMode({ failures: { kind: 'timeout', rate: 1 }, timeoutMs: 600_000 });
/** A run that stays in "Streaming…": half the answer arrives, then the provider stalls. */
const stallsMidStream = executorMode({
  failures: { kind: 'timeout', rate: 1, at: 'mid-stream' },
  timeoutMs: 600_000,
});
const detailedInput = JSON.stringify(
  {
    text: 'Agentry runs AI agents in mock and live mode inside multi-tenant apps, with one pipeline for both.',
    style: 'detailed',
  },
  null,
  2,
);

const meta = {
  title: 'TestPanel/States',
  component: TestPanel,
  render: renderPanel,
  loaders: [executorMode()],
  decorators: [withPanelWidth()],
  // These stories drive the JSON view; the form has its own (Parts/InputEditor).
  args: { agentId: 'summarize', defaultMode: 'mock', defaultInputView: 'json' },
  argTypes: {
    ...panelArgTypes,
    agentId: { control: 'select', options: [undefined, 'summarize', 'extract', 'big-report', 'classify'] },
    defaultMode: { control: 'inline-radio', options: ['mock', 'live'] },
    mode: { control: 'inline-radio', options: [undefined, 'mock', 'live'] },
    locale: { control: 'select', options: [undefined, 'en-US', 'de-DE', 'fr-FR', 'ja-JP'] },
    previewChars: { control: { type: 'number', min: 100, step: 1000 } },
  },
  parameters: {
    docs: {
      description: {
        component:
          'The TestPanel in every state a designer must review. Stories run the real executor pipeline in the browser ' +
          '(seeded mock provider) or talk to a simulated Agentry server through msw; the theme follows the toolbar.',
      },
    },
  },
} satisfies Meta<typeof TestPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Ready to run: the example input is loaded and the output area invites a first run. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runButton(canvas);
    await expect(canvas.getByText(L.outputEmpty)).toBeVisible();
    await expect(await canvas.findByText(defaultHistoryLabels.historyEmpty)).toBeVisible();
  },
};

/** The workspace offers no agents at all. */
export const NoAgents: Story = {
  loaders: [executorMode({ agents: [] })],
  args: { agentId: undefined },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(L.noAgents)).toBeVisible();
  },
};

/** The agents list is still loading (the simulated server never answers). */
export const LoadingAgents: Story = {
  loaders: [
    clientMode({}, () => [
      http.get(`${apiBase().href}/agents`, async () => {
        await delay('infinite');
        return new Response(null);
      }),
    ]),
  ],
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText(L.loadingAgents)).toBeVisible();
  },
};

/** Typing: the input is checked against the agent's schema on every keystroke. */
export const Editing: Story = {
  args: { agentId: 'extract' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const textarea = await replaceInput(canvas, '{ "url": "https://example.com/blog", "limit": 5 }');
    await expect(textarea).not.toHaveAttribute('aria-invalid');
    await expect(canvas.queryByText(/problems? in the input/)).toBeNull();
  },
};

/** JSON with a trailing comma: the error names the line and column, and the editor is marked invalid. */
export const InvalidJson: Story = {
  args: { defaultInput: '{\n  "text": "Hello",\n  "style": "brief",\n}' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const textarea = await editor(canvas);
    await expect(textarea).toHaveAttribute('aria-invalid', 'true');
    await expect(canvas.getByRole('button', { name: L.jsonErrorAt(4, 1) })).toBeVisible();
  },
};

/** Valid JSON that breaks the schema: each problem is listed at its JSON path, before anything is sent. */
export const SchemaInvalid: Story = {
  args: { defaultInput: '{\n  "text": "",\n  "style": "long"\n}' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByText(L.issueCount(2))).toBeVisible();
    await expect(await editor(canvas)).toHaveAttribute('aria-invalid', 'true');
  },
};

/** Sent, waiting for the first output: a spinner, Cancel in place of Run, the mode switch locked. */
export const Running: Story = {
  loaders: [hangsBeforeOutput],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(L.status.running));
    await expect(canvas.getByRole('button', { name: L.cancel })).toHaveFocus();
    await expect(canvas.getByRole('log')).toHaveAttribute('aria-busy', 'true');
  },
};

/** Output arriving token by token (the provider then stalls, so the state holds for review). */
export const Streaming: Story = {
  loaders: [stallsMidStream],
  args: { defaultInput: detailedInput },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(L.status.streaming), { timeout: 5000 });
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent(/In detail: Agentry runs AI agents/));
    await expect(canvas.getByRole('log')).toHaveAttribute('aria-busy', 'true');
  },
};

/** A finished mock run: the result with Copy, and its cost chip saying it is simulated and not billed. */
export const Succeeded: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    await expect(canvas.getByRole('heading', { name: L.result })).toBeVisible();
    await expect(canvas.getByRole('button', { name: L.copy })).toBeVisible();
    await expect(canvas.getByText(L.simulatedNothingBilled)).toBeVisible();
  },
};

/**
 * A finished live run through the simulated server (client mode): tokens reported by the
 * provider and a cost estimated from the price table. The "provider" is a seeded mock in the page.
 */
export const SucceededWithMetrics: Story = {
  loaders: [clientMode({ live: { enabled: true }, simulatedLiveProvider: true })],
  args: { defaultMode: 'live' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    const metric = (key: string) => canvasElement.querySelector(`[data-metric="${key}"] dd`);
    await expect(metric('tokens')).toHaveTextContent(/^\d[\d,]* \/ \d[\d,]*$/);
    await expect(metric('cost')).toHaveTextContent(/^\$0\.0*\d+/);
    await expect(metric('model')).toHaveTextContent('openai · gpt-4.1-mini');
    await expect(metric('attempts')).toHaveTextContent('1');
    await expect(canvas.queryByText(L.simulatedNothingBilled)).toBeNull();
  },
};

/** Stopped by the user mid-stream: the partial output stays, the status says "Stopped", focus returns to Run. */
export const Cancelled: Story = {
  loaders: [stallsMidStream],
  args: { defaultInput: detailedInput },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent(/In detail: Agentry/), { timeout: 5000 });
    const partial = canvas.getByRole('log').textContent ?? '';
    await userEvent.click(canvas.getByRole('button', { name: L.cancel }));
    await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(STOPPED));
    await expect(canvas.getByRole('heading', { name: L.partialOutput })).toBeVisible();
    await expect(canvas.getByRole('log').textContent).toContain(partial.trim());
    await waitFor(() => expect(canvas.getByRole('button', { name: L.run })).toHaveFocus());
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

/** Live mode turned off by the operator: the Live option is disabled and says why. */
export const LiveDisabled: Story = {
  loaders: [executorMode({ live: { enabled: false, reason: 'Live mode is paused for maintenance until 14:00 UTC.' } })],
  args: { defaultMode: 'live' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const live = await canvas.findByRole('radio', { name: L.live });
    await expect(live).toBeDisabled();
    await expect(canvas.getByRole('radio', { name: L.mock })).toBeChecked();
    await expect(live).toHaveAccessibleDescription('Live mode is paused for maintenance until 14:00 UTC.');
  },
};

/** No `agentId`: the panel offers a picker; each agent starts from its example or its schema's defaults. */
export const AgentPicker: Story = {
  args: { agentId: undefined },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.selectOptions(await canvas.findByRole('combobox', { name: L.agent }), 'Link extractor');
    await expect(await canvas.findByRole('heading', { name: 'Link extractor' })).toBeVisible();
    await expect(await editor(canvas)).toHaveValue('{\n  "url": "https://example.com/docs",\n  "limit": 3\n}');
  },
};

/**
 * About 1 MB of JSON: only the first 20 kB are rendered until "Show all". The play ends in this
 * collapsed state: the expanded one is reviewed (and axe-checked) in Long Output Expanded, over
 * a smaller result, because axe's colour-contrast check walks every line of rendered text and
 * takes seconds over a megabyte (the whole story's budget on a busy machine).
 */
export const LongOutput: Story = {
  loaders: [executorMode({ latency: {} })],
  args: { agentId: 'big-report' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    const showAll = canvas.getByRole('button', { name: labelPattern(L.showAll, '1\\.\\d MB') });
    await expect(showAll).toHaveAttribute('aria-expanded', 'false');
    await expect(canvas.getByText(labelPattern((size) => L.truncated('20.0 kB', size), '1\\.\\d MB'))).toBeVisible();
    await expect(canvas.getByRole('log').textContent).toHaveLength(20_000);
  },
};

/** A result over the 20 kB preview (about 35 kB), expanded with "Show all": all of it is shown, and "Show less" is offered. */
export const LongOutputExpanded: Story = {
  loaders: [executorMode({ latency: {} })],
  args: { agentId: 'big-report', defaultInput: '{ "rows": 250 }' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    await userEvent.click(canvas.getByRole('button', { name: labelPattern(L.showAll, '3\\d\\.\\d kB') }));
    await expect(canvas.getByRole('button', { name: L.showLess })).toHaveAttribute('aria-expanded', 'true');
    await expect(canvas.getByRole('log')).toHaveTextContent(/"id": 249,/);
    await expect(canvas.queryByText(labelPattern((size) => L.truncated('20.0 kB', size)))).toBeNull();
  },
};

/** Three runs, listed from the service's history; picking one shows its output and metrics again. */
export const History: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    await pasteInput(canvas, '{ "text": "Second run, detailed.", "style": "detailed" }');
    await runAndWait(canvas, COMPLETED);
    await pasteInput(canvas, '{ "text": "Third run." }');
    await runAndWait(canvas, COMPLETED);
    const history = canvas.getByRole('region', { name: defaultHistoryLabels.history });
    // The last run joins the list once its record is in.
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(3));
    const second = await within(history).findByRole('button', { name: /^Second run, detailed\./ });
    await userEvent.click(second);
    await expect(second).toHaveAttribute('aria-current', 'true');
    await expect(canvas.getByRole('log')).toHaveTextContent(/In detail: Second run, detailed\./);
    // The editor still holds the third run's input: the shown run is marked.
    await expect(canvas.getByText(L.staleResult)).toBeVisible();
  },
};

/** A phone-sized host: controls wrap and the panes stack. */
export const Mobile: Story = {
  globals: { viewport: { value: 'mobile', isRotated: false } },
  play: async ({ canvasElement }) => {
    await runAndWait(within(canvasElement), COMPLETED);
  },
};

/**
 * A parent that sizes to its content, as in Vite's starter (a flex body centring a `max-width`
 * `#root` with centred text): the panel keeps its documented minimum width of 320 px instead of
 * collapsing (its container query gives it no intrinsic width of its own).
 */
export const InContentSizedParent: Story = {
  decorators: [
    (Story) => (
      <div style={{ display: 'flex', placeItems: 'center', minHeight: '30rem' }}>
        <div style={{ maxWidth: '1280px', margin: '0 auto', padding: '2rem', textAlign: 'center' }}>
          <Story />
        </div>
      </div>
    ),
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const panel = canvasElement.querySelector('[data-agentry]') as HTMLElement;
    await expect(panel.getBoundingClientRect().width).toBeGreaterThanOrEqual(320);
    await expect(getComputedStyle(panel).textAlign).toBe('start');
    await runAndWait(canvas, COMPLETED);
    await expect(panel.getBoundingClientRect().width).toBeGreaterThanOrEqual(320);
  },
};

/** A tablet-sized host. */
export const Tablet: Story = {
  globals: { viewport: { value: 'tablet', isRotated: false } },
  play: async ({ canvasElement }) => {
    await runAndWait(within(canvasElement), COMPLETED);
  },
};

/** Dark theme (`theme="dark"`), after a run, on a dark host page. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, COMPLETED);
    await expect(canvasElement.querySelector('[data-agentry]')).toHaveAttribute('data-theme', 'dark');
  },
};

/** Dark theme with a schema error, so the error colours are reviewed on dark too. */
export const DarkInvalid: Story = {
  globals: { theme: 'dark' },
  args: { defaultInput: '{\n  "text": "",\n  "style": "long"\n}' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText(L.issueCount(2))).toBeVisible();
  },
};
