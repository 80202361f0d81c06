import { AgentryError, type AgentSummary, type ExecutionResult, mockProvider } from '@agentry/core';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef, useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeServer, createScriptedService, createTestExecutor, serializedFailure } from '../../test/agents';
import { expectNoAxeViolations } from '../../test/axe';
import { TestPanel } from './test-panel';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves fake time on and lets React commit what happened meanwhile. */
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const setup = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime });

/** The JSON view's editor (the panel opens on the form when the schema is an object). */
const editor = () => {
  const json = screen.queryByRole('button', { name: 'JSON', pressed: false });
  if (json) fireEvent.click(json);
  return screen.getByRole('textbox', { name: 'Input' });
};
const runButton = () => screen.getByRole('button', { name: 'Run' });
const output = () => screen.getByRole('log');
const panel = (container: HTMLElement) => container.querySelector('[data-agentry]') as HTMLElement;

/** Replaces the editor's text (userEvent.type would treat `{` and `[` as key descriptors). */
function typeJson(text: string) {
  fireEvent.change(editor(), { target: { value: text } });
}

async function renderPanel(element: React.ReactElement) {
  const view = render(element);
  await advance(0);
  return view;
}

describe('TestPanel: idle and editing', () => {
  it('shows the agent, its example input, the mode switch and an empty output', async () => {
    const { container } = await renderPanel(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    expect(screen.getByRole('heading', { name: 'Summarizer' })).toBeInTheDocument();
    expect(screen.getByText('Summarizes text in one or two sentences.')).toBeInTheDocument();
    expect(JSON.parse((editor() as HTMLTextAreaElement).value)).toEqual({
      text: 'Agentry runs AI agents in mock and live mode.',
      style: 'brief',
    });
    expect(screen.getByRole('radio', { name: 'Mock' })).toBeChecked();
    expect(screen.getByText('Run the agent to see its output here.')).toBeInTheDocument();
    expect(panel(container)).toHaveAttribute('data-state', 'idle');
    expect(panel(container)).toHaveAttribute('data-input-state', 'valid');
    expect(screen.getByRole('region', { name: 'Test panel: Summarizer' })).toBe(panel(container));
    await expectNoAxeViolations(container);
  });

  it('starts from defaults built from the schema when the agent has no example', async () => {
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="extract" />);
    expect(JSON.parse((editor() as HTMLTextAreaElement).value)).toEqual({ url: 'https://example.com', limit: 3 });
    expect(screen.getByRole('button', { name: 'Reset to defaults' })).toBeInTheDocument();
  });

  it('shows a JSON syntax error at its line and column, does not send, and clears once fixed', async () => {
    const onRun = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" onRun={onRun} />,
    );
    typeJson('{\n  "text": "hi",\n}');
    expect(screen.getByText('Line 3, column 1')).toBeInTheDocument();
    expect(screen.getByText('1 problem in the input')).toBeInTheDocument();
    expect(editor()).toHaveAttribute('aria-invalid', 'true');
    expect(panel(container)).toHaveAttribute('data-input-state', 'invalid-json');
    await expectNoAxeViolations(container);

    await user.click(runButton());
    expect(onRun).not.toHaveBeenCalled();
    // Run moved the caret to the error instead of sending.
    expect(editor()).toHaveFocus();
    expect((editor() as HTMLTextAreaElement).selectionStart).toBe('{\n  "text": "hi",\n'.length);

    typeJson('{\n  "text": "hi"\n}');
    expect(screen.queryByText(/problem in the input/)).not.toBeInTheDocument();
    expect(editor()).not.toHaveAttribute('aria-invalid');
    await user.click(runButton());
    expect(onRun).toHaveBeenCalledWith({ agentId: 'summarize', input: { text: 'hi' }, mode: 'mock' });
  });

  it('shows schema errors at their JSON path before sending', async () => {
    const onRun = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" onRun={onRun} />,
    );
    typeJson('{ "text": "", "style": "long" }');
    expect(panel(container)).toHaveAttribute('data-input-state', 'schema-invalid');
    expect(screen.getByText('2 problems in the input')).toBeInTheDocument();
    expect(screen.getByText('$.text')).toBeInTheDocument();
    expect(screen.getByText('Must not be empty.')).toBeInTheDocument();
    expect(screen.getByText('$.style')).toBeInTheDocument();
    await expectNoAxeViolations(container);
    await user.click(runButton());
    expect(onRun).not.toHaveBeenCalled();
    expect(editor()).toHaveFocus();
  });

  it('formats the JSON and resets to the example', async () => {
    const user = setup();
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    typeJson('{"text":"a","style":"detailed"}');
    await user.click(screen.getByRole('button', { name: 'Format' }));
    expect((editor() as HTMLTextAreaElement).value).toBe('{\n  "text": "a",\n  "style": "detailed"\n}');
    await user.click(screen.getByRole('button', { name: 'Reset to example' }));
    expect(JSON.parse((editor() as HTMLTextAreaElement).value).text).toBe(
      'Agentry runs AI agents in mock and live mode.',
    );
  });
});

describe('TestPanel: running', () => {
  it('streams output into a busy live log, then shows the result, the status and the metrics', async () => {
    const onResult = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" onResult={onResult} />,
    );
    await user.click(runButton());
    expect(panel(container)).toHaveAttribute('data-state', 'running');
    expect(screen.getByRole('status')).toHaveTextContent('Running…');

    await advance(250);
    expect(panel(container)).toHaveAttribute('data-state', 'streaming');
    expect(output()).toHaveAttribute('aria-busy', 'true');
    expect(output().textContent).toMatch(/^Summary: Agentry runs/);
    expect(output().textContent).not.toContain('network.');
    expect(screen.getByRole('status')).toHaveTextContent('Streaming…');
    await expectNoAxeViolations(container);

    await advance(2000);
    expect(panel(container)).toHaveAttribute('data-state', 'succeeded');
    expect(output()).toHaveAttribute('aria-busy', 'false');
    expect(output()).toHaveTextContent(
      'Summary: Agentry runs AI agents in mock and live mode. It works in mock mode without any network.',
    );
    expect(screen.getByRole('status')).toHaveTextContent('Completed in 950 ms');
    expect(screen.getByRole('heading', { name: 'Result' })).toBeInTheDocument();
    expect(screen.getByText('Duration').nextSibling).toHaveTextContent('950 ms');
    expect(screen.getByText('First output').nextSibling).toHaveTextContent('100 ms');
    expect(screen.getByText('Model').nextSibling).toHaveTextContent('mock · gpt-4.1-mini');
    expect(screen.getByText('Attempts').nextSibling).toHaveTextContent('1');
    expect(screen.getByText('Cost').nextSibling).toHaveTextContent('Simulated · nothing billed');
    expect(screen.getByText('If run live').nextSibling?.textContent).toMatch(/^≈ \$0\.0*[1-9]\d*$/);
    expect(screen.getByText('Tokens in / out').closest('[title]')).toHaveAttribute(
      'title',
      'Simulated by the mock provider.',
    );
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded', agentId: 'summarize' }));
    await expectNoAxeViolations(container);
  });

  it('ticks the duration while the run streams, and shows the time to first output once it arrives', async () => {
    const user = setup();
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    await user.click(runButton());
    const duration = () => screen.getByText('Duration').nextSibling;
    const firstOutput = () => screen.getByText('First output').nextSibling;
    await advance(90);
    expect(firstOutput()).toHaveTextContent('—');
    const before = duration()?.textContent;
    await advance(300);
    expect(duration()?.textContent).not.toBe(before);
    expect(duration()?.textContent).toMatch(/^\d+ ms$/);
    expect(firstOutput()).toHaveTextContent('100 ms');
  });

  it('says a mock run is simulated and not billed, with no live estimate when the model has no price', async () => {
    const user = setup();
    // `extract` names no model, so the mock runs it as model "mock", which has no price.
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="extract" />);
    await user.click(runButton());
    await advance(5000);
    expect(screen.getByRole('status').textContent).toMatch(/^Completed in/);
    const cost = screen.getByText('Cost').parentElement as HTMLElement;
    expect(within(cost).getByRole('definition').textContent).toBe('Simulated · nothing billed');
    expect(cost).toHaveAttribute('title', 'Mock run: tokens are simulated and nothing is billed.');
    expect(screen.queryByText('If run live')).not.toBeInTheDocument();
    // Unknown cost is not unknown usage: the tokens were counted.
    expect(screen.getByText('Tokens in / out').nextSibling?.textContent).toMatch(/^\d+ \/ \d+$/);
  });

  it('shows a known but tiny live estimate with its digits, never rounded to $0.00, and says where it comes from', async () => {
    const user = setup();
    // `summarize` runs gpt-4.1-mini, priced in the default table; a few tokens cost a fraction of a cent.
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    await user.click(runButton());
    await advance(5000);
    expect(screen.getByRole('status').textContent).toMatch(/^Completed in/);
    const cost = screen.getByText('If run live').parentElement as HTMLElement;
    expect(within(cost).getByRole('definition').textContent).toMatch(/^≈ \$0\.0*[1-9]\d*$/);
    expect(cost.getAttribute('title')).toMatch(/^Estimated from the price table of \d{4}-\d{2}-\d{2}\./);
    expect(cost).toHaveAttribute('data-state', 'known');
  });

  it('pretty-prints a JSON result and copies it', async () => {
    const user = setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="extract" />);
    await user.click(runButton());
    await advance(5000);
    const expected = JSON.stringify(
      { links: ['https://example.com/page-1', 'https://example.com/page-2', 'https://example.com/page-3'] },
      null,
      2,
    );
    expect(output().textContent).toBe(expected);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await advance(0);
    expect(writeText).toHaveBeenCalledWith(expected);
    expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('cancels during streaming: keeps the partial output, says Stopped, and returns focus to Run', async () => {
    const onError = vi.fn();
    const onResult = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" onError={onError} onResult={onResult} />,
    );
    await user.click(runButton());
    await advance(260);
    const partial = (output().textContent ?? '').trim();
    expect(partial).toMatch(/^Summary: Agentry/);

    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(cancel).toHaveFocus();
    await user.click(cancel);
    expect(panel(container)).toHaveAttribute('data-state', 'cancelled');
    expect(runButton()).toHaveFocus();
    await advance(2000);
    expect(output()).toHaveTextContent(partial);
    expect(output().textContent).not.toContain('network.');
    expect(screen.getByRole('status').textContent).toMatch(/^Stopped/);
    expect(screen.getByRole('heading', { name: 'Partial output' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onError).not.toHaveBeenCalled();
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ status: 'cancelled' }));
    await expectNoAxeViolations(container);
  });

  it('runs with Ctrl+Enter (and ⌘+Enter) from the editor, and Escape cancels', async () => {
    const onRun = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" onRun={onRun} />,
    );
    await user.click(editor());
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onRun).toHaveBeenCalledTimes(1);
    expect(panel(container)).toHaveAttribute('data-state', 'running');
    await user.keyboard('{Escape}');
    expect(panel(container)).toHaveAttribute('data-state', 'cancelled');
    await advance(100);
    await user.click(editor());
    await user.keyboard('{Meta>}{Enter}{/Meta}');
    expect(onRun).toHaveBeenCalledTimes(2);
    await advance(5000);
    expect(panel(container)).toHaveAttribute('data-state', 'succeeded');
  });

  it('can be used with the keyboard alone: tab to the editor, run, tab to the result', async () => {
    const user = setup();
    await renderPanel(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    await user.tab();
    expect(screen.getByRole('radio', { name: 'Mock' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Form', pressed: true })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'JSON' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await user.tab();
    expect(screen.getByRole('button', { name: 'Format' })).toHaveFocus();
    // Reset is disabled while the input is the example: the next stop is the editor.
    await user.tab();
    expect(editor()).toHaveFocus();
    // Tab indents in the editor; Escape, then Tab, leaves it.
    await user.keyboard('{Escape}');
    await user.tab();
    expect(runButton()).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await advance(5000);
    expect(runButton()).toHaveFocus();
    // The result's toolbar: search, the copies, then the output.
    await user.tab();
    expect(screen.getByRole('searchbox', { name: 'Search output' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Copy' })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('button', { name: 'Copy execution ID' })).toHaveFocus();
    await user.tab();
    expect(output()).toHaveFocus();
  }, 15_000);

  it('collapses a 1 MB JSON result behind "Show all" and expands it on demand', async () => {
    const user = setup();
    const executor = createTestExecutor({ providers: { mock: mockProvider() } });
    const { container } = await renderPanel(<TestPanel executor={executor} agentId="big-report" />);
    await user.click(runButton());
    await advance(1000);
    expect(panel(container)).toHaveAttribute('data-state', 'succeeded');
    const full = output().textContent ?? '';
    expect(full.length).toBeLessThan(21_000);
    expect(screen.getByText(/^Showing the first 20\.0 kB of 1\.\d MB\.$/)).toBeInTheDocument();
    const showAll = screen.getByRole('button', { name: /^Show all \(1\.\d MB\)$/ });
    expect(showAll).toHaveAttribute('aria-expanded', 'false');
    await expectNoAxeViolations(container);

    await user.click(showAll);
    expect((output().textContent ?? '').length).toBeGreaterThan(1_000_000);
    expect(JSON.parse(output().textContent ?? '').rows).toHaveLength(9000);
    await user.click(screen.getByRole('button', { name: 'Show less' }));
    expect((output().textContent ?? '').length).toBeLessThan(21_000);
  }, 60_000); // 1 MB through jsdom: slow on a loaded machine, and a timeout here cascades into later tests
});

describe('TestPanel: modes', () => {
  it('shows live disabled with the reason the executor gives', async () => {
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentId="summarize" defaultMode="live" />,
    );
    const live = screen.getByRole('radio', { name: 'Live' });
    expect(live).toBeDisabled();
    expect(live).toHaveAccessibleDescription('Live mode is turned off for this workspace.');
    expect(screen.getByRole('radio', { name: 'Mock' })).toBeChecked();
    expect(panel(container)).toHaveAttribute('data-mode', 'mock');
    await expectNoAxeViolations(container);
  });

  it('is uncontrolled with defaultMode and reports changes', async () => {
    const onModeChange = vi.fn();
    const onRun = vi.fn();
    const user = setup();
    const executor = createTestExecutor({ live: { enabled: true }, providers: { openai: mockProvider() } });
    await renderPanel(
      <TestPanel
        executor={executor}
        agentId="summarize"
        defaultMode="mock"
        onModeChange={onModeChange}
        onRun={onRun}
      />,
    );
    await user.click(screen.getByRole('radio', { name: 'Live' }));
    expect(screen.getByRole('radio', { name: 'Live' })).toBeChecked();
    expect(onModeChange).toHaveBeenCalledWith('live');
    await user.click(runButton());
    expect(onRun).toHaveBeenCalledWith(expect.objectContaining({ mode: 'live' }));
  });

  it('is controlled with mode and onModeChange', async () => {
    const onModeChange = vi.fn();
    const onResult = vi.fn();
    const user = setup();
    const executor = createTestExecutor({ live: { enabled: true }, providers: { openai: mockProvider() } });
    const props = { executor, agentId: 'summarize', onModeChange, onResult };
    const view = await renderPanel(<TestPanel {...props} mode="mock" />);
    await user.click(screen.getByRole('radio', { name: 'Live' }));
    expect(onModeChange).toHaveBeenCalledWith('live');
    expect(screen.getByRole('radio', { name: 'Mock' })).toBeChecked();
    view.rerender(<TestPanel {...props} mode="live" />);
    expect(screen.getByRole('radio', { name: 'Live' })).toBeChecked();
    await user.click(runButton());
    await advance(5000);
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ mode: 'live', status: 'succeeded' }));
  });
});

const summary: AgentSummary = {
  id: 'summarize',
  name: 'Summarizer',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  example: { text: 'hello' },
  modes: ['mock', 'live'],
  live: { available: true },
};

describe('TestPanel: errors', () => {
  // Retry only where running again can help: not for input the server refused, nor a missing agent.
  const families = [
    { code: 'validation_failed', title: 'The input does not match the schema', action: 'none' },
    { code: 'not_found', title: 'Not available in this workspace', action: 'none' },
    { code: 'provider_error', title: 'The model provider had a problem', action: 'Retry' },
    { code: 'rate_limited', title: 'Too many requests right now', action: 'Retry' },
    { code: 'cancelled', title: 'The run was stopped', action: 'Run again' },
    { code: 'internal', title: 'Something went wrong', action: 'Retry' },
  ] as const;

  for (const { code, title, action } of families) {
    it(`shows a ${code} failure as a callout titled by its cause, with details, and Retry only when it helps`, async () => {
      const onError = vi.fn();
      const user = setup();
      const service = createScriptedService([summary], () => ({
        error: serializedFailure(code, { requestId: 'req_42', provider: 'openai' }),
      }));
      const { container } = await renderPanel(
        <TestPanel client={service} agentId="summarize" defaultMode="live" onError={onError} />,
      );
      await user.click(runButton());
      await advance(0);
      const alert = screen.getByRole('alert');
      expect(alert).toHaveAccessibleName(title);
      expect(within(alert).getByText(new AgentryError(code, 'x').userMessage)).toBeInTheDocument();
      await user.click(within(alert).getByText('Details'));
      expect(within(alert).getByText(code)).toBeInTheDocument();
      expect(within(alert).getByText('exe_test')).toBeInTheDocument();
      expect(within(alert).getByText('req_42')).toBeInTheDocument();
      expect(screen.getByText('Attempts').nextSibling).toHaveTextContent('3');
      expect(screen.getByText('Cost').nextSibling).toHaveTextContent('—');
      if (code === 'cancelled') expect(onError).not.toHaveBeenCalled();
      else expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }));
      await expectNoAxeViolations(container);

      if (action === 'none') {
        expect(within(alert).queryByRole('button', { name: /Retry|Run again/ })).not.toBeInTheDocument();
        return;
      }
      await user.click(within(alert).getByRole('button', { name: action }));
      await advance(0);
      expect(service.calls).toHaveLength(2);
    });
  }

  it('shows server-side issues in the input, the same way as local ones, until the input changes', async () => {
    const user = setup();
    const service = createScriptedService([summary], () => ({
      thrown: new AgentryError('validation_failed', 'Input invalid.', {
        issues: [{ path: ['text'], message: 'Too short for the server.', code: 'too_small' }],
      }),
    }));
    const { container } = await renderPanel(<TestPanel client={service} agentId="summarize" />);
    await user.click(runButton());
    await advance(0);
    expect(screen.getByText('The server rejected this input:')).toBeInTheDocument();
    expect(screen.getByText('$.text')).toBeInTheDocument();
    // At its field in the form, and in the summary under it.
    expect(screen.getAllByText('Too short for the server.')).toHaveLength(2);
    expect(screen.getByRole('textbox', { name: 'text' })).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveAccessibleName('The input does not match the schema');
    await expectNoAxeViolations(container);
    typeJson('{ "text": "longer" }');
    expect(screen.queryByText('Too short for the server.')).not.toBeInTheDocument();
  });

  it('shows output_invalid issues in the error details, not as problems of the input', async () => {
    const user = setup();
    const issues = [
      { path: ['links', 0], code: 'invalid_type', message: 'Expected string, got number.' },
      { path: [], code: 'custom', message: 'Too many links.' },
    ];
    const service = createScriptedService([summary], () => ({
      error: serializedFailure('output_invalid', { issues }),
    }));
    const { container } = await renderPanel(<TestPanel client={service} agentId="summarize" />);
    await user.click(runButton());
    await advance(0);
    expect(screen.queryByText('The server rejected this input:')).not.toBeInTheDocument();
    expect(screen.queryByText(/problems? in the input/)).not.toBeInTheDocument();
    expect(editor()).not.toHaveAttribute('aria-invalid');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveAttribute('data-code', 'output_invalid');
    await user.click(within(alert).getByText('Details'));
    const problems = within(alert).getByText('Problems in the output').nextElementSibling as HTMLElement;
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['$.links[0]: Expected string, got number.', '$: Too many links.']);
    await expectNoAxeViolations(container);
  });

  it('reports a refusal thrown before the run starts (live disabled) to onError', async () => {
    const onError = vi.fn();
    const user = setup();
    const service = createScriptedService([summary], () => ({
      thrown: new AgentryError('live_disabled', 'Live mode is disabled by the operator.'),
    }));
    await renderPanel(<TestPanel client={service} agentId="summarize" defaultMode="live" onError={onError} />);
    await user.click(runButton());
    await advance(0);
    expect(screen.getByRole('alert')).toHaveAccessibleName('Live runs are turned off here');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'live_disabled' }));
  });

  it('says when the agents cannot be loaded and offers to try again', async () => {
    const user = setup();
    const service = createScriptedService([summary], () => undefined);
    let fail = true;
    service.listAgents = async () => {
      if (fail) throw new AgentryError('tenant_required', 'No session.');
      return [summary];
    };
    const { container } = await renderPanel(<TestPanel client={service} agentId="summarize" />);
    expect(panel(container)).toHaveAttribute('data-state', 'error');
    expect(screen.getByRole('alert')).toHaveTextContent('You are not signed in to a workspace.');
    await expectNoAxeViolations(container);
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await advance(0);
    expect(screen.getByRole('heading', { name: 'Summarizer' })).toBeInTheDocument();
  });

  it('says when there are no agents, or the requested one is missing', async () => {
    const empty = createScriptedService([], () => undefined);
    const view = await renderPanel(<TestPanel client={empty} />);
    expect(panel(view.container)).toHaveAttribute('data-state', 'empty');
    expect(screen.getByRole('status')).toHaveTextContent('No agents are available here.');
    await expectNoAxeViolations(view.container);
    view.rerender(<TestPanel client={createScriptedService([summary], () => undefined)} agentId="missing" />);
    await advance(0);
    expect(screen.getByRole('status')).toHaveTextContent('The agent “missing” is not available here.');
  });
});

describe('TestPanel: client mode', () => {
  it('lets a run finish when the parent re-renders with a fresh inline client', async () => {
    const server = createFakeServer({ agents: [summary] });
    const onResult = vi.fn();
    const user = setup();
    function Playground() {
      const [count, setCount] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setCount((value) => value + 1)}>
            Clicked {count}
          </button>
          {/* Written inline, as in a quick integration: a new client on every render. */}
          <TestPanel client={server.client()} agentId="summarize" onResult={onResult} />
        </>
      );
    }
    const { container } = await renderPanel(<Playground />);
    await user.click(runButton());
    await advance(250);
    expect(panel(container)).toHaveAttribute('data-state', 'streaming');
    await user.click(screen.getByRole('button', { name: /^Clicked/ }));
    await user.click(screen.getByRole('button', { name: /^Clicked/ }));
    await advance(0);
    expect(server.clients.length).toBeGreaterThan(2);
    expect(panel(container)).toHaveAttribute('data-state', 'streaming');
    await advance(1000);
    expect(panel(container)).toHaveAttribute('data-state', 'succeeded');
    expect(output()).toHaveTextContent('one two three four five');
    expect(onResult).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded', output: 'one two three four five' }),
    );
    expect(server.calls.stream).toBe(1);
  });

  it('gives a stopped run its record from the server: onResult, and the metrics with the duration', async () => {
    const server = createFakeServer({ agents: [summary] });
    const client = server.client();
    const onResult = vi.fn();
    const onError = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel client={client} agentId="summarize" onResult={onResult} onError={onError} />,
    );
    await user.click(runButton());
    await advance(250);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(panel(container)).toHaveAttribute('data-state', 'cancelled');
    // Measured here until the record comes: the time from sending to stopping.
    expect(screen.getByText('Duration').nextSibling).toHaveTextContent('250 ms');
    await advance(2000);
    expect(onResult).toHaveBeenCalledTimes(1);
    expect(onResult).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'exe_1', status: 'cancelled', output: 'one two ' }),
    );
    expect(onError).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('Stopped after 250 ms');
    expect(screen.getByText('Duration').nextSibling).toHaveTextContent('250 ms');
    expect(output()).toHaveTextContent('one two');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await expectNoAxeViolations(container);
  });
});

describe('TestPanel: props', () => {
  it('picks agents when no agentId is given, limited to agentIds', async () => {
    const onAgentChange = vi.fn();
    const user = setup();
    const { container } = await renderPanel(
      <TestPanel executor={createTestExecutor()} agentIds={['extract', 'summarize']} onAgentChange={onAgentChange} />,
    );
    const picker = screen.getByRole('combobox', { name: 'Agent' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Link extractor', 'Summarizer']);
    expect(screen.getByRole('heading', { name: 'Link extractor' })).toBeInTheDocument();
    await expectNoAxeViolations(container);
    await user.selectOptions(picker, 'summarize');
    expect(onAgentChange).toHaveBeenCalledWith('summarize');
    expect(screen.getByRole('heading', { name: 'Summarizer' })).toBeInTheDocument();
    expect(JSON.parse((editor() as HTMLTextAreaElement).value).text).toBe(
      'Agentry runs AI agents in mock and live mode.',
    );
  });

  it('passes className, style and id through, forwards its ref and marks its state', async () => {
    const ref = createRef<HTMLElement>();
    const { container } = await renderPanel(
      <TestPanel
        ref={ref}
        executor={createTestExecutor()}
        agentId="summarize"
        className="host-panel"
        style={{ maxWidth: 320 }}
        id="panel-1"
        theme="dark"
      />,
    );
    const root = panel(container);
    expect(ref.current).toBe(root);
    expect(root).toHaveClass('agentry-panel', 'host-panel');
    expect(root).toHaveStyle({ maxWidth: '320px' });
    expect(root).toHaveAttribute('id', 'panel-1');
    expect(root).toHaveAttribute('data-theme', 'dark');
    await expectNoAxeViolations(container);
  });

  it('takes new agentId, labels, locale and client after mount', async () => {
    const user = setup();
    const executor = createTestExecutor();
    const view = await renderPanel(<TestPanel executor={executor} agentId="summarize" />);
    view.rerender(<TestPanel executor={executor} agentId="extract" />);
    await advance(0);
    expect(screen.getByRole('heading', { name: 'Link extractor' })).toBeInTheDocument();
    expect(JSON.parse((editor() as HTMLTextAreaElement).value)).toEqual({ url: 'https://example.com', limit: 3 });

    view.rerender(<TestPanel executor={executor} agentId="summarize" labels={{ run: 'Ausführen' }} locale="de-DE" />);
    await advance(0);
    typeJson(`{ "text": "${'word '.repeat(40).trim()}" }`);
    await user.click(screen.getByRole('button', { name: 'Ausführen' }));
    await advance(10_000);
    expect(screen.getByRole('status').textContent).toMatch(/^Completed in \d+,\d s$/);

    const other = createScriptedService([{ ...summary, name: 'Remote summarizer' }], () => undefined);
    view.rerender(<TestPanel client={other} agentId="summarize" />);
    await advance(0);
    expect(screen.getByRole('heading', { name: 'Remote summarizer' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument();
  });

  it('calls the latest callbacks after they change', async () => {
    const first = vi.fn();
    const second = vi.fn();
    const user = setup();
    const executor = createTestExecutor();
    const view = await renderPanel(<TestPanel executor={executor} agentId="summarize" onResult={first} />);
    view.rerender(<TestPanel executor={executor} agentId="summarize" onResult={second} />);
    await user.click(runButton());
    await advance(5000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(expect.objectContaining<Partial<ExecutionResult>>({ status: 'succeeded' }));
  });
});
