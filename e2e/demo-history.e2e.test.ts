// The TestPanel's server-kept history in the demo, in real Chromium: two runs, a reload, a
// workspace switch and back, then the two runs compared (issue 16, items 6 and 7).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoPage, openDemoPage } from './support/demo-page';
import type { DemoProcess } from './support/demo-process';
import { poll, text, visible } from './support/wait';

let session: DemoPage | undefined;
let demo: DemoProcess;
let blocked: string[];
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  session = await openDemoPage({ width: 1280, height: 900 });
  ({ demo, blocked, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

const panel = () => page.getByRole('region', { name: /^Test panel: / });
const history = () => panel().getByRole('region', { name: 'History', exact: true });
const entryNames = () => history().locator('.agentry-history__name').allTextContents();

async function openSummarizer() {
  await panel().getByLabel('Agent', { exact: true }).selectOption({ label: 'Summarizer' });
  await visible(page.getByRole('region', { name: 'Test panel: Summarizer' }));
}

async function runWith(input: string) {
  const json = panel().getByRole('button', { name: 'JSON', exact: true });
  if ((await json.getAttribute('aria-pressed')) !== 'true') await json.click();
  await panel().getByRole('textbox', { name: 'Input', exact: true }).fill(input);
  const before = (await entryNames()).length;
  await panel().getByRole('button', { name: 'Run', exact: true }).click();
  await visible(
    panel()
      .getByRole('status')
      .filter({ hasText: /^Completed in / }),
  );
  await poll(async () => (await entryNames()).length).toBe(before + 1);
}

describe('the TestPanel’s history in the demo', () => {
  test('lists two runs, keeps them over a reload and a workspace switch, then compares them', async () => {
    await page.goto(demo.url);
    await openSummarizer();
    await visible(history().getByText(/No runs of this agent yet/));

    await runWith('{ "text": "First run: the quarterly numbers are up.", "style": "brief" }');
    await runWith('{ "text": "Second run: the quarterly numbers are up, costs are down.", "style": "detailed" }');
    expect(await entryNames()).toEqual([
      'Second run: the quarterly numbers are up, costs are down.',
      'First run: the quarterly numbers are up.',
    ]);
    // The editor holds the second run's input: the first run is marked stale, the second is not.
    const first = history().getByRole('listitem').filter({ hasText: 'First run:' });
    await visible(first.getByText('Input changed'));
    expect(
      await history().getByRole('listitem').filter({ hasText: 'Second run:' }).getByText('Input changed').count(),
    ).toBe(0);

    // A reload: the runs come back from the server.
    await page.reload();
    await openSummarizer();
    await poll(entryNames).toEqual([
      'Second run: the quarterly numbers are up, costs are down.',
      'First run: the quarterly numbers are up.',
    ]);

    // Another workspace never sees them; back in the first one they are there again.
    await page.getByLabel('Workspace').selectOption('globex');
    await poll(() => page.title()).toMatch(/Globex$/);
    await openSummarizer();
    await visible(history().getByText(/No runs of this agent yet/));
    expect(await entryNames()).toEqual([]);
    await page.getByLabel('Workspace').selectOption('acme');
    await poll(() => page.title()).toMatch(/Acme Corp$/);
    await openSummarizer();
    await poll(async () => (await entryNames()).length).toBe(2);

    // Restore input puts the first run's input in the editor (undoable there).
    await history()
      .getByRole('listitem')
      .filter({ hasText: 'First run:' })
      .getByRole('button', { name: 'Restore input' })
      .click();
    const json = panel().getByRole('button', { name: 'JSON', exact: true });
    if ((await json.getAttribute('aria-pressed')) !== 'true') await json.click();
    await poll(async () =>
      JSON.parse(await panel().getByRole('textbox', { name: 'Input', exact: true }).inputValue()),
    ).toEqual({ text: 'First run: the quarterly numbers are up.', style: 'brief' });
    await visible(panel().getByRole('button', { name: 'Undo', exact: true }));

    // Compare, with the keyboard: pick both, open the compare view.
    const boxes = history().getByRole('checkbox');
    await boxes.nth(0).focus();
    await page.keyboard.press('Space');
    await boxes.nth(1).focus();
    await page.keyboard.press('Space');
    await history().getByRole('button', { name: 'Compare 2 runs' }).focus();
    await page.keyboard.press('Enter');
    const compare = panel().getByRole('region', { name: 'Compare runs' });
    await visible(compare);
    await poll(() =>
      compare.getByRole('heading', { name: 'Compare runs' }).evaluate((node) => node === document.activeElement),
    ).toBe(true);
    const row = (name: string) => compare.getByRole('row', { name: new RegExp(`^${name}`) });
    await poll(() => text(row('Duration'))).toMatch(/([+−]\d[\d.]*|±0) ms$/);
    await poll(() => text(row('Tokens out'))).toMatch(/([+−]\d+|±0) tokens$/);
    // Text outputs: a line diff, with + and − in the text, not colour alone.
    await poll(() => text(compare.getByRole('heading', { name: /^Output/ }))).toMatch(/\d+ differences?/);
    expect(await compare.locator('ins.agentry-compare__line').first().textContent()).toMatch(/^\+ /);
    await poll(() => text(compare.getByRole('heading', { name: /^Input/ }))).toContain('2 differences');
    await page.keyboard.press('Escape');
    await poll(() => compare.count()).toBe(0);
  });

  test('loaded nothing from outside loopback and logged no browser errors', () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
