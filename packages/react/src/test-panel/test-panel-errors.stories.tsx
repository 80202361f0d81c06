import { AgentryError } from '@agentry/core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import {
  clientMode,
  executorMode,
  panelArgTypes,
  renderPanel,
  withPanelWidth,
} from '../../../../.storybook/mocks/panel-story';
import {
  expect,
  FAILED,
  L,
  runAndWait,
  STOPPED,
  userEvent,
  waitFor,
  within,
} from '../../../../.storybook/mocks/play-helpers';
import { problemAt } from '../../../../.storybook/mocks/server';
import { describeError } from './error-copy';
import { TestPanel } from './test-panel';

// One story per error family (input, access, provider, limit, cancelled, internal), each
// reached the way users reach it: the in-browser executor failing for real (mock provider
// failure injection, a broken agent), or the simulated server answering a problem document.

const meta = {
  title: 'TestPanel/Errors',
  component: TestPanel,
  render: renderPanel,
  decorators: [withPanelWidth()],
  // These stories drive the JSON view; the form has its own (Parts/InputEditor).
  args: { agentId: 'summarize', defaultMode: 'mock', defaultInputView: 'json' },
  argTypes: panelArgTypes,
  parameters: {
    docs: {
      description: {
        component:
          'Each error family as the TestPanel shows it: what happened, what to do, the details support needs ' +
          '(code, execution id, HTTP status, provider) and Retry. Every story runs and waits for the alert.',
      },
    },
  },
} satisfies Meta<typeof TestPanel>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Runs, waits for the alert and checks its code, its title (the copy for that code in the
 * story's mode) and whether Retry is offered (`retry`: only when running again can help).
 */
function expectAlert(code: string, retry: 'retry' | 'run-again' | 'none', status: RegExp = FAILED) {
  return async ({ canvasElement, args }: { canvasElement: HTMLElement; args: { defaultMode?: 'mock' | 'live' } }) => {
    const canvas = within(canvasElement);
    await runAndWait(canvas, status);
    const alert = await canvas.findByRole('alert');
    await expect(alert).toHaveAttribute('data-code', code);
    await expect(alert).toHaveAttribute('data-action', retry);
    const mode = args.defaultMode ?? 'mock';
    const retryable = code !== 'provider_auth_failed' && code !== 'validation_failed';
    const title = describeError({ code: code as 'internal', message: '', userMessage: '', retryable }, { mode }).title;
    await expect(alert).toHaveTextContent(title);
    const button = within(alert).queryByRole('button', { name: retry === 'run-again' ? L.runAgain : L.retry });
    if (retry === 'none') await expect(button).toBeNull();
    else await expect(button).toBeVisible();
    await userEvent.click(within(alert).getByText(L.errorDetails));
    await expect(within(alert).getByText(code)).toBeVisible();
  };
}

const summarizeExecutions = '/agents/summarize/executions';

// — input —

/** Input family: the input is larger than the executor accepts (`input_too_large`). */
export const InputTooLarge: Story = {
  loaders: [executorMode({ maxInputBytes: 64 })],
  play: expectAlert('input_too_large', 'none'),
};

/**
 * Input family from the server (`validation_failed` with issues): a rule the browser cannot
 * check, so the server's issues are listed under the editor.
 */
export const ServerRejectedInput: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt(
        'post',
        summarizeExecutions,
        new AgentryError('validation_failed', 'Input does not match the schema of agent "summarize".', {
          issues: [{ path: ['text'], message: 'Text must not contain an email address.', code: 'custom' }],
        }),
      ),
    ]),
  ],
  play: async (context) => {
    await expectAlert('validation_failed', 'none')(context);
    const canvas = within(context.canvasElement);
    await expect(canvas.getByText(L.serverIssues)).toBeVisible();
    await expect(canvas.getByText('Text must not contain an email address.')).toBeVisible();
  },
};

// — access —

/** Access family: the agent is gone from this workspace (`not_found`, from the simulated server). */
export const NotFound: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt('post', summarizeExecutions, new AgentryError('not_found', 'Agent "summarize" was not found.')),
    ]),
  ],
  play: expectAlert('not_found', 'none'),
};

/** Access family: the operator turned live mode off after the page loaded (`live_disabled`). */
export const LiveDisabledAtRun: Story = {
  loaders: [
    clientMode({ live: { enabled: true }, simulatedLiveProvider: true }, () => [
      problemAt(
        'post',
        summarizeExecutions,
        new AgentryError('live_disabled', 'Live mode is disabled by the operator.'),
      ),
    ]),
  ],
  args: { defaultMode: 'live' },
  play: expectAlert('live_disabled', 'none'),
};

/** Access family: the session expired (`tenant_required`, HTTP 401). */
export const SignedOut: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt('post', summarizeExecutions, new AgentryError('tenant_required', 'No tenant for this request.')),
    ]),
  ],
  play: expectAlert('tenant_required', 'none'),
};

// — provider —

/** Provider family: the provider answered with a server error (`provider_error`). */
export const ProviderError: Story = {
  loaders: [executorMode({ failures: { kind: 'provider_error', rate: 1 } })],
  play: expectAlert('provider_error', 'retry'),
};

/** Provider family: the server's API key was refused (`provider_auth_failed`). */
export const AuthFailed: Story = {
  loaders: [executorMode({ failures: { kind: 'auth_failed', rate: 1 } })],
  play: expectAlert('provider_auth_failed', 'none'),
};

/**
 * Provider family: the model answered in the wrong shape (`output_invalid`). The paths point
 * into the output, so they are listed under "Details", not marked on the input.
 */
export const OutputInvalid: Story = {
  loaders: [executorMode()],
  args: { agentId: 'classify' },
  play: async (context) => {
    await expectAlert('output_invalid', 'none')(context);
    const canvas = within(context.canvasElement);
    const alert = canvas.getByRole('alert');
    await expect(within(alert).getByText(L.outputIssues)).toBeVisible();
    await expect(within(alert).getByText('$.queue')).toBeVisible();
    await expect(canvas.queryByText(L.serverIssues)).toBeNull();
    await expect(canvas.getByRole('textbox', { name: L.input })).not.toHaveAttribute('aria-invalid');
  },
};

/** Provider family, mid-stream: half the answer arrived before the provider failed; the partial output stays. */
export const ProviderErrorMidStream: Story = {
  loaders: [executorMode({ failures: { kind: 'provider_error', rate: 1, at: 'mid-stream' } })],
  play: async (context) => {
    await expectAlert('provider_error', 'retry')(context);
    await expect(within(context.canvasElement).getByRole('heading', { name: L.partialOutput })).toBeVisible();
  },
};

// — limit —

/**
 * Limit family: the provider's rate limit (`rate_limited`), after retries are used up. The mock
 * answers at once (no latency), so the provider's 100 ms retry-after is the only wait.
 */
export const RateLimited: Story = {
  loaders: [executorMode({ failures: { kind: 'rate_limit', rate: 1, retryAfterMs: 100 }, maxRetries: 1, latency: {} })],
  play: async (context) => {
    await expectAlert('rate_limited', 'retry')(context);
    await waitFor(() =>
      expect(context.canvasElement.querySelector('[data-metric="attempts"] dd')).toHaveTextContent('2'),
    );
  },
};

/**
 * Limit family: no answer before the deadline (`timeout`, here 400 ms). The mock hangs at once
 * (no latency), so the deadline is the only timer and nothing races it.
 */
export const Timeout: Story = {
  loaders: [executorMode({ failures: { kind: 'timeout', rate: 1 }, timeoutMs: 400, latency: {} })],
  play: expectAlert('timeout', 'retry'),
};

/** Limit family: too many runs at once in this workspace (`limit_exceeded`, from the server). */
export const TooManyRuns: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt(
        'post',
        summarizeExecutions,
        new AgentryError('limit_exceeded', 'Tenant ws_design has 8 executions running.'),
      ),
    ]),
  ],
  play: expectAlert('limit_exceeded', 'retry'),
};

// — cancelled —

/** Cancelled family: the server stopped the run (not the user), e.g. during a deploy. */
export const CancelledByServer: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt('post', summarizeExecutions, new AgentryError('cancelled', 'The execution was cancelled on shutdown.')),
    ]),
  ],
  play: expectAlert('cancelled', 'run-again', new RegExp(`${FAILED.source}|${STOPPED.source}`)),
};

// — internal —

/** Internal family: the server failed unexpectedly (`internal`, HTTP 500); the details are what support needs. */
export const Internal: Story = {
  loaders: [
    clientMode({}, () => [
      problemAt(
        'post',
        summarizeExecutions,
        new AgentryError('internal', 'Unexpected error.', { executionId: 'exe_story_0001' }),
      ),
    ]),
  ],
  play: expectAlert('internal', 'retry'),
};

/** The agents list could not be loaded: the callout offers "Try again". */
export const AgentsFailedToLoad: Story = {
  loaders: [clientMode({}, () => [problemAt('get', '/agents', new AgentryError('internal', 'Database unavailable.'))])],
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 5000 });
    await expect(alert).toHaveAttribute('data-code', 'internal');
    await expect(within(alert).getByRole('button', { name: L.retryLoading })).toBeVisible();
  },
};

/** An error in the dark theme. */
export const DarkProviderError: Story = {
  loaders: [executorMode({ failures: { kind: 'provider_error', rate: 1 } })],
  globals: { theme: 'dark' },
  play: expectAlert('provider_error', 'retry'),
};
