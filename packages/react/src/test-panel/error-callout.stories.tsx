import { AgentryError, serializeError } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { withPanelRoot } from '../../../../.storybook/decorators';
import { L } from '../../../../.storybook/mocks/play-helpers';
import { ErrorCallout } from './error-callout';

const error = (...args: ConstructorParameters<typeof AgentryError>) => serializeError(new AgentryError(...args));

const meta = {
  title: 'Parts/ErrorCallout',
  component: ErrorCallout,
  decorators: [withPanelRoot],
  args: {
    error: error('provider_error', 'OpenAI answered 503 Service Unavailable.', {
      provider: 'openai',
      requestId: 'req_7f3a9c',
      status: 502,
    }),
    executionId: 'exe_story_0001',
    onRetry: fn(),
  },
} satisfies Meta<typeof ErrorCallout>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Provider family, with everything support needs under "Details". */
export const Provider: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByText(L.errorDetails));
    await expect(canvas.getByText('req_7f3a9c')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: L.retry }));
    await expect(args.onRetry).toHaveBeenCalled();
  },
};

export const Input: Story = {
  args: { error: error('input_too_large', 'Input is 80 kB; the limit is 64 kB.') },
};

/** `output_invalid`: the paths into the model's output are listed under "Details". */
export const OutputInvalid: Story = {
  args: {
    error: error('output_invalid', 'The output of agent "classify" does not match its output schema.', {
      provider: 'openai',
      issues: [
        { path: ['queue'], code: 'invalid_value', message: 'Expected one of billing, technical, sales.' },
        { path: ['confidence'], code: 'too_big', message: 'Must be at most 1.' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByText(L.errorDetails));
    await expect(canvas.getByText(L.outputIssues)).toBeVisible();
    await expect(canvas.getByText('$.confidence')).toBeVisible();
  },
};

export const Access: Story = {
  args: { error: error('live_disabled', 'Live mode is disabled by the operator.') },
};

export const Limit: Story = {
  args: { error: error('rate_limited', 'Rate limited by openai.', { provider: 'openai', retryAfterMs: 2000 }) },
};

/** Stopped by the server (a user's own cancel shows no callout): "Run again". */
export const Cancelled: Story = {
  args: { error: error('cancelled', 'The execution was cancelled on shutdown.') },
};

export const Internal: Story = {
  args: { error: error('internal', 'Unexpected error.') },
};

/** Without `onRetry` there is no button (e.g. nothing to retry yet). */
export const WithoutRetry: Story = {
  args: { onRetry: undefined, error: error('not_found', 'Agent "summarize" was not found.') },
};
