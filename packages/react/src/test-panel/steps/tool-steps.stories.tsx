import { AgentryError, createExecutor, defineAgent, defineTool, type ExecutionStep } from '@agentry/core';
import { createClient } from '@agentry/core/client';
import { stepsFromRecord } from '@agentry/core/client/steps';
import { createHandler } from '@agentry/core/server';
import { TestPanel } from '@agentry/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import * as z from 'zod';
import { withPanelRoot } from '../../../../../.storybook/decorators';
import { createStoryExecutor, createStoryGate, type StoryGate } from '../../../../../.storybook/mocks/executors';
import { L, labelPattern, runButton } from '../../../../../.storybook/mocks/play-helpers';
import { STORY_TENANT } from '../../../../../.storybook/mocks/server';
// Test support, not a public export: the same stream-cutting fetch the reconnect tests use.
import { cuttingFetch } from '../../../../core/src/client/cutting-fetch.test-support';
import { ToolSteps } from './tool-steps';

// The tool steps timeline (issue 16, item 4) and the panel's reconnect status (issue 13): a tool
// run streaming its steps, a failed tool, a finished run opened up, and a stream that drops.

/** A gate per story render: the play lets the held tool (or the network) go on. */
function toolAgent(gate: StoryGate | undefined) {
  const lookupOrder = defineTool({
    description: 'Finds an order by its number.',
    input: z.object({ orderId: z.string() }),
    execute: async ({ orderId }) => {
      await gate?.released;
      return { orderId, status: 'delivered', items: 2, total: { amount: 59.9, currency: 'EUR' } };
    },
  });
  const checkRefundPolicy = defineTool({
    description: 'Says whether an order can be refunded.',
    input: z.object({ orderId: z.string(), reason: z.enum(['damaged', 'late', 'other']) }),
    execute: ({ reason }) => ({ refundable: reason !== 'other', withinDays: 30 }),
  });
  const issueRefund = defineTool({
    description: 'Refunds an order.',
    input: z.object({ orderId: z.string(), amount: z.number() }),
    execute: ({ amount }) => {
      if (amount > 50) throw new AgentryError('tool_failed', 'Refunds above 50 EUR need a manager’s approval.');
      return { refundId: 'rf_2041', amount };
    },
  });
  const refund = (id: string, amount: number) =>
    defineAgent({
      id,
      name: 'Refund assistant',
      description: 'Looks up an order, checks the policy and refunds it.',
      input: z.object({ orderId: z.string(), reason: z.enum(['damaged', 'late', 'other']) }),
      example: { orderId: 'A-1042', reason: 'damaged' },
      prompt: ({ orderId, reason }) => `Refund order ${orderId} (${reason}).`,
      tools: { lookupOrder, checkRefundPolicy, issueRefund },
      maxSteps: 5,
      mock: {
        steps: [
          { toolCalls: [{ name: 'lookupOrder', args: { orderId: 'A-1042' } }] },
          { toolCalls: [{ name: 'checkRefundPolicy', args: { orderId: 'A-1042', reason: 'damaged' } }] },
          { toolCalls: [{ name: 'issueRefund', args: { orderId: 'A-1042', amount } }] },
          { text: 'The order A-1042 arrived damaged and is within the 30-day window; the refund is under way.' },
        ],
      },
    });
  return { refund: refund('refund', 29.9), refundTooLarge: refund('refund-large', 59.9) };
}

function toolExecutor(gate?: StoryGate) {
  const { refund, refundTooLarge } = toolAgent(gate);
  return createExecutor({
    agents: [refund, refundTooLarge],
    limits: { timeoutMs: { mock: 20_000 }, maxRetries: 0 },
    generateId: () => 'exe_story_steps',
  });
}

const meta = {
  title: 'TestPanel/Tool steps',
  component: ToolSteps,
  args: { steps: [] },
  argTypes: { steps: { control: false } },
} satisfies Meta<typeof ToolSteps>;

export default meta;
type Story = StoryObj<typeof meta>;

const usage = { inputTokens: 412, outputTokens: 38, totalTokens: 450 } as ExecutionStep['usage'];
const recorded: ExecutionStep[] = [
  {
    index: 0,
    text: '',
    toolCalls: [{ id: 'call_1', name: 'lookupOrder', args: { orderId: 'A-1042' } }],
    toolResults: [
      {
        id: 'call_1',
        name: 'lookupOrder',
        durationMs: 84,
        status: 'succeeded',
        output: { orderId: 'A-1042', status: 'delivered', items: 2, total: { amount: 59.9, currency: 'EUR' } },
      },
    ],
    usage,
    durationMs: 912,
    finishReason: 'tool_calls',
  },
  {
    index: 1,
    text: 'Checking the refund policy and the stock at once.',
    toolCalls: [
      { id: 'call_2', name: 'checkRefundPolicy', args: { orderId: 'A-1042', reason: 'damaged' } },
      { id: 'call_3', name: 'reserveReplacement', args: { sku: 'MUG-BLUE-330' } },
    ],
    toolResults: [
      { id: 'call_2', name: 'checkRefundPolicy', durationMs: 12, status: 'succeeded', output: { refundable: true } },
      {
        id: 'call_3',
        name: 'reserveReplacement',
        durationMs: 1480,
        status: 'failed',
        error: {
          code: 'timeout',
          status: 504,
          message: 'The tool reserveReplacement did not answer within 1,000 ms.',
          userMessage: 'The agent took too long to answer. Try again, or shorten the input.',
          retryable: true,
        },
      },
    ],
    usage: { ...usage, inputTokens: 530, outputTokens: 61 },
    durationMs: 2204,
    finishReason: 'tool_calls',
  },
  {
    index: 2,
    text: 'The order arrived damaged and can be refunded; no replacement could be reserved.',
    toolCalls: [],
    toolResults: [],
    usage: { ...usage, inputTokens: 702, outputTokens: 44 },
    durationMs: 640,
    finishReason: 'stop',
  },
];

/** A finished run read from its record: calls closed, the failed call's code and message in view. */
export const Finished: Story = {
  args: { steps: stepsFromRecord(recorded), locale: 'en-US' },
  decorators: [withPanelRoot],
  play: async ({ canvasElement }) => {
    const timeline = within(canvasElement).getByRole('region', { name: 'Tool steps' });
    await expect(within(timeline).queryAllByRole('button', { expanded: true })).toHaveLength(0);
    await expect(within(timeline).getAllByRole('button', { expanded: false })).toHaveLength(3);
    await expect(within(timeline).getByText('timeout')).toBeVisible();
    await expect(timeline).toHaveTextContent('The tool reserveReplacement did not answer within 1,000 ms.');
    await expect(timeline).not.toHaveTextContent('"currency": "EUR"');
  },
};

/** A finished run read from its record, every call opened: arguments, results and the failed call's error. */
export const FinishedExpanded: Story = {
  args: { steps: stepsFromRecord(recorded), defaultExpanded: true, locale: 'en-US' },
  decorators: [withPanelRoot],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const timeline = canvas.getByRole('region', { name: 'Tool steps' });
    await expect(timeline).toHaveTextContent('3 steps · 3 tool calls · 1 failed');
    const toggles = within(timeline).getAllByRole('button', { expanded: true });
    await expect(toggles).toHaveLength(3);
    await expect(within(timeline).getByText('timeout')).toBeVisible();
    await expect(timeline).toHaveTextContent('"currency": "EUR"');
    // One unit for every duration, like the metrics bar: 84 ms reads 0.08 s next to 2.20 s.
    await expect(timeline).toHaveTextContent('0.08 s');
    await userEvent.click(within(timeline).getByRole('button', { name: 'Collapse all' }));
    await expect(within(timeline).queryAllByRole('button', { expanded: true })).toHaveLength(0);
    await userEvent.click(within(timeline).getByRole('button', { name: 'Expand all' }));
    await expect(within(timeline).getAllByRole('button', { expanded: true })).toHaveLength(3);
  },
};

/** The same record at 320 px: names, statuses and durations wrap; nothing scrolls sideways. */
export const Narrow: Story = {
  args: FinishedExpanded.args,
  decorators: [
    (Story) => (
      <div style={{ width: 320 }}>
        <Story />
      </div>
    ),
    withPanelRoot,
  ],
  play: async ({ canvasElement }) => {
    const timeline = within(canvasElement).getByRole('region', { name: 'Tool steps' });
    await expect(timeline.scrollWidth).toBeLessThanOrEqual(timeline.clientWidth);
  },
};

/** The panel runs a three-tool agent: the timeline appears with the first step and streams, the running call says so. */
export const StreamingThreeSteps: Story = {
  render: (_args, { loaded }) => <TestPanel executor={loaded.executor} agentId="refund" showHistory={false} />,
  loaders: [
    async () => {
      const gate = createStoryGate();
      return { gate, executor: toolExecutor(gate) };
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    const timeline = await canvas.findByRole('region', { name: 'Tool steps' }, { timeout: 5000 });
    const running = await within(timeline).findByRole('button', { name: /lookupOrder\s*Running…/ });
    await expect(running.closest('.agentry-step')).toHaveAttribute('data-state', 'running');
    (loaded.gate as StoryGate).release();
    await canvas.findByText(labelPattern(L.completedIn), {}, { timeout: 8000 });
    await expect(timeline).toHaveTextContent('4 steps · 3 tool calls');
    const calls = within(timeline).getAllByRole('button', { expanded: false });
    await expect(calls.map((call) => call.querySelector('code')?.textContent)).toEqual([
      'lookupOrder',
      'checkRefundPolicy',
      'issueRefund',
    ]);
    // Arguments stay closed until asked for.
    await userEvent.click(calls[2] as HTMLElement);
    await expect(timeline).toHaveTextContent('"amount": 29.9');
  },
};

/** A tool throws: its call says Failed with the error's code at once, and the run still answers. */
export const FailedTool: Story = {
  render: (_args, { loaded }) => (
    <TestPanel executor={loaded.executor} agentId="refund-large" showHistory={false} theme="dark" />
  ),
  globals: { theme: 'dark' },
  loaders: [async () => ({ executor: toolExecutor() })],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    await canvas.findByText(labelPattern(L.completedIn), {}, { timeout: 8000 });
    const timeline = canvas.getByRole('region', { name: 'Tool steps' });
    await expect(timeline).toHaveTextContent('1 failed');
    const failed = within(timeline).getByRole('button', { name: /issueRefund\s*Failed/ });
    await expect(failed.closest('li')).toHaveTextContent('tool_failed');
    await expect(failed.closest('li')).toHaveTextContent('Refunds above 50 EUR need a manager’s approval.');
  },
};

/**
 * The run's stream drops after its first chunk: the output status says "Reconnecting…" until the
 * network is back, then the client resumes with Last-Event-ID and the run goes on, each chunk once.
 */
export const Reconnecting: Story = {
  render: (_args, { loaded }) => <TestPanel client={loaded.client} agentId="summarize" showHistory={false} />,
  loaders: [
    async () => {
      const network = createStoryGate();
      const run = createStoryGate();
      const executor = createStoryExecutor({ hold: { afterChunks: 2, gate: run } });
      const handler = createHandler({
        executor,
        resolveTenant: () => STORY_TENANT,
        basePath: '/story-api',
        heartbeatMs: 0,
        streamDisconnect: 'continue',
      });
      const { fetch: cutting } = cuttingFetch(handler, { cutAfter: 2 });
      // The resume waits until the play says the network is back.
      const fetch: typeof globalThis.fetch = async (input, init) => {
        if (String(input).endsWith('/events')) await network.released;
        return cutting(input, init);
      };
      const client = createClient({ baseUrl: 'http://story.test/story-api', fetch, retry: 0, reconnectAttempts: 5 });
      return { client, network, run };
    },
  ],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await runButton(canvas));
    const status = await canvas.findByText(L.reconnecting, {}, { timeout: 5000 });
    await expect(status).toHaveAttribute('role', 'status');
    const log = canvas.getByRole('log');
    const before = log.textContent ?? '';
    (loaded.network as StoryGate).release();
    await canvas.findByText(L.status.streaming, {}, { timeout: 5000 });
    // The chunk sent while the client was away arrives once, after what was already shown.
    await waitFor(() => expect((log.textContent ?? '').length).toBeGreaterThan(before.length));
    await expect((log.textContent ?? '').startsWith(before)).toBe(true);
    (loaded.run as StoryGate).release();
    await canvas.findByText(labelPattern(L.completedIn), {}, { timeout: 8000 });
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};
