import { AgentryError, createExecutor, defineAgent, defineTool } from '@agentry/core';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createTestExecutor } from '../../../test/agents';
import { expectNoAxeViolations } from '../../../test/axe';
import { TestPanel } from '../test-panel';

// The timeline in the panel, against a real executor running a tool agent: it appears once the
// run has steps, streams (a running step and call say so), shows a failed call's code at once,
// and opens arguments and results on demand, by keyboard too.

/** A tool whose calls wait until the test lets them finish: the "running" state can be seen. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

let lookupGate = gate();
afterEach(() => {
  lookupGate.open();
  lookupGate = gate();
});

const lookupTicket = defineTool({
  description: 'Finds a ticket.',
  input: z.object({ ticketId: z.string() }),
  execute: async ({ ticketId }) => {
    await lookupGate.opened;
    return { ticketId, subject: 'Refund for order 1042' };
  },
});
const sendEmail = defineTool({
  description: 'Sends an email.',
  input: z.object({ to: z.string() }),
  execute: () => {
    throw new AgentryError('tool_failed', 'The mail server refused the message.');
  },
});
const support = defineAgent({
  id: 'support',
  name: 'Support',
  input: z.object({ ticketId: z.string() }),
  example: { ticketId: 'T-1' },
  prompt: ({ ticketId }) => `Answer ${ticketId}.`,
  tools: { lookupTicket, sendEmail },
  mock: {
    steps: [
      { toolCalls: [{ name: 'lookupTicket', args: { ticketId: 'T-1' } }] },
      { toolCalls: [{ name: 'sendEmail', args: { to: 'customer@example.com' } }] },
      { text: 'Looked the ticket up; the email could not be sent.' },
    ],
  },
});

const timeline = () => screen.findByRole('region', { name: 'Tool steps' });

describe('TestPanel: tool steps', () => {
  it('streams the steps of a tool run, then shows them finished with a failed call’s code', async () => {
    const executor = createExecutor({ agents: [support], limits: { timeoutMs: { mock: 10_000 } } });
    const { container } = render(<TestPanel executor={executor} agentId="support" />);
    await screen.findByRole('button', { name: 'Run' });
    expect(screen.queryByRole('region', { name: 'Tool steps' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    // The first step runs its call: both say so while the tool works.
    const steps = await timeline();
    const running = await within(steps).findByRole('button', { name: /lookupTicket\s*Running…/ });
    const first = running.closest('.agentry-step') as HTMLElement;
    expect(first).toHaveTextContent('Step 1');
    expect(within(first).getByText('Running…', { selector: '.agentry-step__status' })).toBeVisible();

    act(() => lookupGate.open());
    await screen.findByText(/Completed in/, {}, { timeout: 3000 });
    expect(steps).toHaveTextContent('3 steps · 2 tool calls · 1 failed');
    const calls = within(steps).getAllByRole('button', { expanded: false });
    expect(calls.map((button) => button.textContent)).toEqual([
      expect.stringMatching(/^lookupTicket\s*Succeeded/),
      expect.stringMatching(/^sendEmail\s*Failed/),
    ]);
    // The failed call's code and message show without opening anything.
    expect(within(steps).getByText('tool_failed')).toBeVisible();
    expect(steps).toHaveTextContent('The mail server refused the message.');
    expect(steps).toHaveTextContent('Looked the ticket up; the email could not be sent.');
    await expectNoAxeViolations(container);
  });

  it('keeps arguments and results closed until asked, by keyboard too, and Expand all opens every call', async () => {
    lookupGate.open();
    const executor = createExecutor({ agents: [support], limits: { timeoutMs: { mock: 10_000 } } });
    const { container } = render(<TestPanel executor={executor} agentId="support" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await screen.findByText(/Completed in/, {}, { timeout: 3000 });
    const steps = await timeline();
    expect(within(steps).queryByText('"customer@example.com"', { exact: false })).toBeNull();

    const user = userEvent.setup();
    const lookup = within(steps).getByRole('button', { name: /^lookupTicket/ });
    lookup.focus();
    await user.keyboard('{Enter}');
    expect(lookup).toHaveAttribute('aria-expanded', 'true');
    const details = document.getElementById(lookup.getAttribute('aria-controls') as string) as HTMLElement;
    expect(details).toBeVisible();
    expect(details).toHaveTextContent('Arguments');
    expect(details).toHaveTextContent('"ticketId": "T-1"');
    expect(details).toHaveTextContent('"subject": "Refund for order 1042"');
    await user.keyboard(' ');
    expect(lookup).toHaveAttribute('aria-expanded', 'false');

    await user.click(within(steps).getByRole('button', { name: 'Expand all' }));
    expect(within(steps).getAllByRole('button', { expanded: true })).toHaveLength(2);
    expect(steps).toHaveTextContent('"to": "customer@example.com"');
    expect(steps).toHaveTextContent('Error');
    await expectNoAxeViolations(container);
    await user.click(within(steps).getByRole('button', { name: 'Collapse all' }));
    expect(within(steps).queryAllByRole('button', { expanded: true })).toHaveLength(0);
  });

  it('shows no timeline for an agent without tools', async () => {
    const executor = createTestExecutor();
    render(<TestPanel executor={executor} agentId="summarize" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await screen.findByText(/Completed in/, {}, { timeout: 5000 });
    expect(screen.queryByRole('region', { name: 'Tool steps' })).toBeNull();
  });
});
