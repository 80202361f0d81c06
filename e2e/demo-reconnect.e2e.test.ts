import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoPage, openDemoPage } from './support/demo-page';
import { poll, text, visible } from './support/wait';

let session: DemoPage | undefined;

beforeAll(async () => {
  session = await openDemoPage({ width: 1280, height: 900 });
});

afterAll(async () => {
  await session?.close();
});

describe('a dropped run stream in the demo', () => {
  test('the panel says it is reconnecting, then shows the same answer as an unbroken run', async () => {
    const { page, demo, blocked, pageErrors } = session as DemoPage;
    await page.goto(demo.url);
    const panel = page.getByRole('region', { name: 'Test panel: Summarizer' });
    await visible(panel);
    const run = async () => {
      await panel.getByRole('button', { name: 'Run', exact: true }).click();
      await visible(panel.getByRole('status').filter({ hasText: /^Completed in / }));
      return text(panel.getByRole('log'));
    };
    const unbroken = await run();
    expect(unbroken.length).toBeGreaterThan(20);

    // Every status the output shows, in order.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver(() => {
        const status = document.querySelector('.agentry-output__status')?.textContent ?? '';
        if (status !== seen.at(-1)) seen.push(status);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The next run's connection drops after its first two events: the test forwards the request
    // to the demo itself, reads two events, then aborts that connection (which, with the default
    // `streamDisconnect: 'cancel'`, would cancel the run) and hands the browser what it got.
    let cut = 0;
    await page.route('**/api/agentry/agents/*/executions', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST' || cut > 0) return route.fallback();
      cut += 1;
      const headers = await request.allHeaders();
      const dropped = new AbortController();
      const response = await fetch(request.url(), {
        method: 'POST',
        headers: { cookie: headers.cookie ?? '', 'content-type': 'application/json', accept: 'text/event-stream' },
        body: request.postData() ?? '',
        signal: dropped.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let received = '';
      while (received.split('\n\n').length < 3) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
      dropped.abort();
      const firstTwo = received
        .split(/(?<=\n\n)/)
        .slice(0, 2)
        .join('');
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: firstTwo,
      });
    });
    const resumed = await run();
    expect(cut).toBe(1);
    expect(resumed).toBe(unbroken);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).toContain('Connection lost. Reconnecting…');
    await poll(() => panel.getByRole('region', { name: 'History', exact: true }).getByRole('listitem').count()).toBe(2);
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
