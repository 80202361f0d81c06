// The demo without a key, in real Chromium: live mode replays the committed tapes
// (examples/demo/tapes), labelled as a replay, never as a real call; the replayed run's metrics say
// "Recorded · not billed". With tapes turned off, live stays off with its reason.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loopbackOnlyContext } from './support/browser';
import { type DemoPage, openDemoPage } from './support/demo-page';
import { startDemo } from './support/demo-process';
import { IMAGES, poll, text, visible } from './support/wait';

let session: DemoPage | undefined;

beforeAll(async () => {
  session = await openDemoPage({ width: 1280, height: 900 });
});

afterAll(async () => {
  await session?.close();
});

describe('the demo replays its committed tapes without a key', () => {
  test('a recorded answer runs in live mode as a replay, marked recorded and not billed', async () => {
    const { page, demo, blocked, pageErrors } = session as DemoPage;
    await page.goto(demo.url);
    expect(demo.output()).toContain('Live mode: a replay of the recorded answers');
    await visible(page.getByText('Live: replay of recorded answers'));

    const recorded = page.getByRole('list', { name: 'Recorded answers in Acme Corp' });
    const item = recorded.getByRole('listitem').filter({ hasText: 'Summarizer' });
    await visible(item.getByText(/^London is the capital of the United Kingdom/));
    await item.getByRole('button', { name: 'Try it live (replay)' }).click();

    const panel = page.getByRole('region', { name: 'Test panel: Summarizer' });
    await visible(panel);
    await poll(() => panel.getByRole('radio', { name: 'Live' }).isChecked()).toBe(true);
    const json = panel.getByRole('button', { name: 'JSON', exact: true });
    if ((await json.getAttribute('aria-pressed')) !== 'true') await json.click();
    await poll(async () =>
      JSON.parse(await panel.getByRole('textbox', { name: 'Input', exact: true }).inputValue()),
    ).toMatchObject({ style: 'brief', text: expect.stringMatching(/^London is the capital/) });

    await visible(panel.getByText('Replays an answer recorded from the real model: nothing is sent or billed.'));
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await visible(panel.getByRole('status').filter({ hasText: /^Completed in / }));
    await poll(() => text(panel.getByRole('log'))).toContain('The capital of the UK is London.');

    const metric = (name: string) =>
      panel
        .getByRole('term')
        .filter({ hasText: new RegExp(`^${name}$`) })
        .locator('xpath=following-sibling::dd[1]');
    await poll(() => text(metric('Cost'))).toContain('Recorded · not billed');
    await poll(() => text(metric('Tokens in / out'))).toBe('78 / 9');
    await poll(() => text(metric('Model'))).toContain('gpt-4o-mini-2024-07-18');
    await visible(metric('Cost when recorded'));
    await mkdir(IMAGES, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(IMAGES, 'demo-tape-replay.png'), fullPage: true });

    // Tapes are per workspace: Globex has none, and says so.
    await page.getByLabel('Workspace').selectOption('globex');
    await poll(() => page.title()).toMatch(/Globex$/);
    await visible(page.getByText('No recorded answers in Globex: tapes are kept per workspace.'));

    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('with AGENTRY_TAPES=off and no key, live is off with its reason, and no replay is offered', async () => {
    const { browser } = session as DemoPage;
    const off = await startDemo({ AGENTRY_TAPES: 'off' });
    try {
      const { context } = await loopbackOnlyContext(browser);
      const page = await context.newPage();
      await page.goto(off.url);
      const panel = page.getByRole('region', { name: /^Test panel: / });
      await poll(() => panel.getByRole('radio', { name: 'Live' }).isDisabled()).toBe(true);
      await visible(panel.getByText(/No model API key on this server/));
      await visible(page.getByText('Live mode off'));
      expect(await page.getByRole('heading', { name: 'Recorded answers' }).count()).toBe(0);
      await context.close();
    } finally {
      expect(await off.stop()).toBe(0);
    }
  });
});
