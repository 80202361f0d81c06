// The panel pointed at a URL an SPA fallback answers (200 text/html for every path): it says the
// URL is not an Agentry endpoint, through the real client, instead of "Something went wrong".
import { createClient } from '@agentry/core/client';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../test/axe';
import { TestPanel } from './test-panel';

const SPA_PAGE = '<!doctype html><html><body><div id="root"></div><script src="/src/main.tsx"></script></body></html>';

/** A host whose dev server answers every path with its index.html, as Vite does without a proxy. */
const spaFallback = vi.fn(
  async (_input: RequestInfo | URL, _init?: RequestInit) =>
    new Response(SPA_PAGE, { status: 200, headers: { 'content-type': 'text/html' } }),
);

describe('TestPanel against a URL that is not an Agentry endpoint', () => {
  it('says so, with the content type and the URL, in the callout', async () => {
    const client = createClient({ baseUrl: 'http://localhost:5173/api/agentry', fetch: spaFallback, retry: 0 });
    const { container } = render(<TestPanel client={client} agentId="summarize" />);
    await act(async () => {
      await vi.waitFor(() => expect(screen.getByRole('alert')).toBeInTheDocument());
    });
    const alert = screen.getByRole('alert');
    // The callout's message (what an end user reads first), not only the details.
    expect(alert.querySelector('.agentry-callout__message')?.textContent).toMatch(
      /^This URL is not an Agentry endpoint \(got text\/html from http:\/\/localhost:5173\/api\/agentry\/agents\)\./,
    );
    expect(alert).not.toHaveTextContent('Something went wrong on our side');
    expect(alert).toHaveAttribute('data-code', 'not_agentry_endpoint');
    expect(container.querySelector('[data-agentry]')).toHaveAttribute('data-state', 'error');
    await expectNoAxeViolations(container);
  });
});
