// Saved test cases in the demo, in real Chromium: save two cases from a run, run them all in mock
// mode, see one pass and one fail with its reason, and find them again after a reload (they are
// kept by the server, per workspace).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DemoPage, openDemoPage } from './support/demo-page';
import type { DemoProcess } from './support/demo-process';
import { poll, visible } from './support/wait';

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

describe('saved test cases in the demo', () => {
  test('saves two cases, runs all in mock mode, shows pass and fail with the reason, keeps them over a reload', async () => {
    await page.goto(demo.url);
    const panel = page.getByRole('region', { name: /^Test panel: / });
    await panel.getByLabel('Agent', { exact: true }).selectOption({ label: 'Ticket triage' });
    const triage = page.getByRole('region', { name: 'Test panel: Ticket triage' });
    await visible(triage);
    const cases = triage.getByRole('region', { name: /^Test cases/ });
    await visible(cases.getByText(/^No test cases yet/));

    await triage.getByRole('button', { name: 'Run', exact: true }).click();
    await visible(triage.getByRole('status').filter({ hasText: /^Completed in / }));

    // 1: the output must equal this run's, and match the output schema (checked by default).
    await cases.getByRole('button', { name: 'Save as test case' }).click();
    let form = cases.getByRole('form', { name: 'Save as test case' });
    await form.getByLabel('Name').fill('Double charge, as today');
    await form.getByLabel('Output equals the result shown').check();
    await form.getByRole('button', { name: 'Save test case' }).click();
    await visible(cases.getByText('Double charge, as today', { exact: true }));

    // 2: expects a priority the agent never gives this ticket.
    await cases.getByRole('button', { name: 'Save as test case' }).click();
    form = cases.getByRole('form', { name: 'Save as test case' });
    await form.getByLabel('Name').fill('Marked low priority');
    await form.getByLabel('Output contains', { exact: true }).check();
    await form.getByRole('textbox', { name: 'Output contains' }).fill('{"priority": "low"}');
    await form.getByRole('button', { name: 'Save test case' }).click();
    await visible(cases.getByText('Marked low priority', { exact: true }));

    await cases.getByRole('button', { name: 'Run all (Mock)' }).click();
    await visible(cases.getByRole('status').filter({ hasText: '1 passed, 1 failed of 2 (Mock)' }));
    const items = cases.locator('.agentry-cases__item');
    await poll(() => items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-state')))).toEqual([
      'passed',
      'failed',
    ]);
    await cases.getByRole('button', { name: 'Why it failed' }).click();
    await visible(cases.getByText(/^Expected output\.priority to include "low", got "/));

    // Kept by the server: a reload lists them again.
    await page.reload();
    await page
      .getByRole('region', { name: /^Test panel: / })
      .getByLabel('Agent', { exact: true })
      .selectOption({ label: 'Ticket triage' });
    const again = page
      .getByRole('region', { name: 'Test panel: Ticket triage' })
      .getByRole('region', { name: /^Test cases/ });
    await visible(again.getByText('Double charge, as today', { exact: true }));
    await visible(again.getByText('Marked low priority', { exact: true }));

    expect(pageErrors).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
