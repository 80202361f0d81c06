import { createClient } from '@agentry/core/client';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../../test/axe';
import { A, cuttingFetch, setup } from '../../test/reconnect';
import { TestPanel } from './test-panel';

// The panel on the real client and handler, with the run stream cut after two events (start and
// "one "): it says "Reconnecting…" while the client resumes with Last-Event-ID, then the run goes
// on with no chunk shown twice; when resuming fails, a callout says the connection was lost.

function renderPanel(options: { failResumes?: boolean } = {}) {
  const server = setup();
  const { fetch, requests } = cuttingFetch(server.handler, { cutAfter: 2, ...options });
  const client = createClient({
    baseUrl: 'http://app.test/api',
    headers: { cookie: A },
    fetch,
    retry: 0,
    reconnectAttempts: 2,
  });
  const view = render(<TestPanel client={client} agentId="words" defaultMode="live" showHistory={false} />);
  return { ...server, ...view, requests };
}

const outputStatus = () => document.querySelector('.agentry-output__status') as HTMLElement;

describe('TestPanel: a dropped stream', () => {
  it('says Reconnecting…, then continues the run without showing any chunk twice', async () => {
    const { gated, requests, container } = renderPanel();
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await within(outputStatus()).findByText('Connection lost. Reconnecting…', {}, { timeout: 3000 });
    expect(outputStatus()).toHaveAttribute('role', 'status');
    await expectNoAxeViolations(container);
    // Resumed after event 2: "two " (sent while the client was away) arrives once, then the run waits.
    await within(outputStatus()).findByText('Streaming…', {}, { timeout: 3000 });
    await waitFor(() => expect(screen.getByRole('log').textContent).toBe('one two '));

    act(() => gated.open());
    await screen.findByText(/Completed in/, {}, { timeout: 3000 });
    expect(screen.getByRole('log').textContent).toBe('one two three four');
    expect(outputStatus()).not.toHaveTextContent('Reconnecting');
    expect(screen.queryByRole('alert')).toBeNull();
    const resumes = requests.filter((request) => request.url.endsWith('/events'));
    expect(resumes.map((request) => request.lastEventId)).toEqual(['2']);
  });

  it('says the connection was lost when resuming fails, with the partial output kept', async () => {
    const { container } = renderPanel({ failResumes: true });
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('The connection to the server was lost');
    expect(alert).toHaveTextContent('check the history before running again');
    expect(alert).toHaveTextContent('billed');
    expect(screen.getByRole('log')).toHaveTextContent('one');
    await expectNoAxeViolations(container);
  });
});
