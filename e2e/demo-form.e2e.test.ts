// A form-driven run in the demo, in real Chromium (issue 16, item 1): the input typed into the form
// generated from the agent's schema, a field error shown at its field, the run, and the JSON view
// holding exactly what the form built.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoPage, openDemoPage } from './support/demo-page';
import { visible } from './support/wait';

let session: DemoPage | undefined;
let page: Page;
let blocked: string[];
let pageErrors: string[] = [];

beforeAll(async () => {
  session = await openDemoPage({ width: 1280, height: 900 });
  ({ page, blocked, pageErrors } = session);
  await page.goto(session.demo.url);
});

afterAll(async () => {
  await session?.close();
});

const panel = () => page.getByRole('region', { name: /^Test panel: / });

describe('a run driven by the form in the demo', () => {
  test('fills the form, is stopped at the empty field, runs, and the JSON view holds what the form built', async () => {
    await panel().getByLabel('Agent', { exact: true }).selectOption({ label: 'Summarizer' });
    await visible(page.getByRole('region', { name: 'Test panel: Summarizer' }));
    const formButton = panel().getByRole('button', { name: 'Form', exact: true });
    if ((await formButton.getAttribute('aria-pressed')) !== 'true') await formButton.click();

    const text = panel().getByRole('textbox', { name: 'text', exact: true });
    await visible(text);
    // An empty required text: the error at the field (its description), and Run sends nothing.
    await text.fill('');
    await panel().getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => text.getAttribute('aria-describedby')).toMatch(/-error\b/);
    const errorId = ((await text.getAttribute('aria-describedby')) ?? '')
      .split(' ')
      .find((id) => id.endsWith('-error'));
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toBe('Must not be empty.');
    await expect.poll(() => text.getAttribute('aria-invalid')).toBe('true');
    expect(
      await panel()
        .getByRole('status')
        .filter({ hasText: /^Completed in / })
        .count(),
    ).toBe(0);

    const notes =
      'The board met on Monday. Revenue grew by twelve percent. Hiring stays frozen until March. ' +
      'The new office opens in May. Travel budgets are cut by a third.';
    await text.fill(notes);
    await panel().getByRole('radio', { name: 'detailed', exact: true }).check();
    await panel().getByRole('button', { name: 'Run', exact: true }).click();
    await visible(
      panel()
        .getByRole('status')
        .filter({ hasText: /^Completed in / }),
    );
    // The detailed style (chosen by the radio, not the default) answers with bullet points.
    const output = (await panel().getByRole('log').textContent()) ?? '';
    expect(output).toContain('• ');

    // The JSON view shows the document the form built, field for field.
    await panel().getByRole('button', { name: 'JSON', exact: true }).click();
    const json = await panel().getByRole('textbox', { name: 'Input', exact: true }).inputValue();
    expect(JSON.parse(json)).toEqual({ text: notes, style: 'detailed' });
  });

  test('loaded nothing from outside loopback and logged no browser errors', () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
