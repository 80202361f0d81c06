// The demo end to end in real Chromium: what a newcomer does after `pnpm demo`.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loopbackOnlyContext } from './support/browser';
import { type DemoPage, openDemoPage } from './support/demo-page';
import { type DemoProcess, startDemo } from './support/demo-process';
import { IMAGES, poll, text, visible } from './support/wait';

// A ticket with a trailing comma on line 4: JSON.parse refuses it.
const INVALID_TICKET = `{
  "subject": "Cannot log in with SSO",
  "body": "Since this morning our SSO login fails with error 500. All users are locked out!",
  "customerTier": "enterprise",
}`;
const VALID_TICKET = INVALID_TICKET.replace('"enterprise",', '"enterprise"');

let session: DemoPage | undefined;
let browser: Browser;
let demo: DemoProcess;
let context: BrowserContext;
let blocked: string[];
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  session = await openDemoPage({ width: 1280, height: 860 });
  ({ browser, demo, context, blocked, page, pageErrors } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('the demo in Chromium', () => {
  test('serves the host page with the TestPanel, mock mode selected and live offered as a replay of the committed tapes', async () => {
    await page.goto(demo.url);
    await visible(page.getByRole('heading', { level: 1, name: 'AI agents' }));
    await poll(() => page.getByLabel('Workspace').inputValue()).toBe('acme');
    const panel = page.getByRole('region', { name: /^Test panel: / });
    await poll(() => panel.getByRole('radio', { name: 'Mock' }).isChecked()).toBe(true);
    // No key here: live answers from the demo's tapes, and the page says so (e2e/demo-tapes.e2e.test.ts).
    await poll(() => panel.getByRole('radio', { name: 'Live' }).isEnabled()).toBe(true);
    await visible(page.getByText('Live: replay of recorded answers'));
  });

  test('shows a JSON syntax error at its line and column, then runs the fixed input with streamed output and metrics', async () => {
    const panel = page.getByRole('region', { name: /^Test panel: / });
    await panel.getByLabel('Agent', { exact: true }).selectOption({ label: 'Ticket triage' });
    await visible(page.getByRole('region', { name: 'Test panel: Ticket triage' }));

    // The form is the first view; the JSON view is one click away.
    await panel.getByRole('button', { name: 'JSON', exact: true }).click();
    const input = panel.getByRole('textbox', { name: 'Input', exact: true });
    await input.fill(INVALID_TICKET);
    await visible(panel.getByRole('button', { name: /^Line 5, column \d+$/ }));
    await poll(() => input.getAttribute('aria-invalid')).toBe('true');

    await input.fill(VALID_TICKET);
    await poll(() => panel.getByRole('button', { name: /^Line \d+, column \d+$/ }).count()).toBe(0);
    await poll(() => input.getAttribute('aria-invalid')).not.toBe('true');

    // Record the output region on every DOM change, to see text arrive while it is still busy.
    await page.evaluate(() => {
      const samples: { busy: string | null; length: number }[] = [];
      (window as unknown as { outputSamples: typeof samples }).outputSamples = samples;
      const root = document.querySelector('[data-agentry]');
      if (!root) throw new Error('no TestPanel root');
      new MutationObserver(() => {
        const log = root.querySelector('[role="log"]');
        if (log) samples.push({ busy: log.getAttribute('aria-busy'), length: (log.textContent ?? '').length });
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await panel.getByRole('button', { name: 'Run', exact: true }).click();

    await visible(panel.getByRole('status').filter({ hasText: /^Completed in / }));
    const log = panel.getByRole('log');
    await poll(() => log.getAttribute('aria-busy')).toBe('false');
    await poll(() => text(log)).toContain('"category": "account"');
    await poll(() => text(log)).toContain('"priority": "urgent"');
    await poll(() => text(log)).toContain('"suggestedReply"');

    const samples = await page.evaluate(
      () => (window as unknown as { outputSamples: { busy: string | null; length: number }[] }).outputSamples,
    );
    const whileBusy = new Set(
      samples.filter((sample) => sample.busy === 'true' && sample.length > 0).map((s) => s.length),
    );
    // Several different partial lengths while busy: the output streamed in, it did not land at once.
    expect(whileBusy.size).toBeGreaterThan(3);

    const metric = (name: string) =>
      panel
        .getByRole('term')
        .filter({ hasText: new RegExp(`^${name}$`) })
        .locator('xpath=following-sibling::dd[1]');
    await poll(() => text(metric('Duration'))).toMatch(/^\d[\d.,]*\s?(ms|s)$/);
    await poll(() => text(metric('Tokens in / out'))).toMatch(/^\d[\d,]* \/ \d[\d,]*$/);
    await poll(() => text(metric('Model'))).toContain('mock');

    // The panel's history, kept by the server for this workspace.
    const acmeRuns = panel.getByRole('region', { name: 'History', exact: true }).getByRole('listitem');
    await poll(() => acmeRuns.count()).toBe(1);
    await poll(() => text(acmeRuns.first())).toContain('Cannot log in with SSO');

    await mkdir(IMAGES, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(IMAGES, 'test-panel.png'), fullPage: true });
    const darkToggle = page.getByRole('button', { name: 'Dark mode' });
    await darkToggle.click();
    await poll(() => darkToggle.getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: path.join(IMAGES, 'test-panel-dark.png'), fullPage: true });
    await darkToggle.click();
    await poll(() => darkToggle.getAttribute('aria-pressed')).toBe('false');
  });

  test('keeps each workspace’s history and tenant-owned agents separate', async () => {
    const panel = page.getByRole('region', { name: /^Test panel: / });
    const agentPicker = panel.getByLabel('Agent', { exact: true });
    await poll(() => agentPicker.getByRole('option', { name: 'Acme release notes' }).count()).toBe(1);
    await poll(() => panel.getByRole('region', { name: 'History', exact: true }).getByRole('listitem').count()).toBe(1);

    await page.getByLabel('Workspace').selectOption('globex');
    await poll(() => page.title()).toMatch(/Globex$/);
    // The panel's history is the server's, per workspace: Globex has no run of the ticket triage.
    await poll(() => agentPicker.getByRole('option', { name: 'Summarizer' }).count()).toBe(1);
    await poll(() => agentPicker.getByRole('option', { name: 'Acme release notes' }).count()).toBe(0);
    await agentPicker.selectOption({ label: 'Ticket triage' });
    const runs = panel.getByRole('region', { name: 'History', exact: true });
    await visible(runs.getByText(/No runs of this agent yet/));
    expect(await runs.getByRole('listitem').count()).toBe(0);

    await page.getByLabel('Workspace').selectOption('acme');
    await poll(() => page.title()).toMatch(/Acme Corp$/);
    await agentPicker.selectOption({ label: 'Ticket triage' });
    await poll(() => runs.getByRole('listitem').count()).toBe(1);
    await poll(() => text(runs.getByRole('listitem').first())).toContain('Cannot log in with SSO');
  });

  test('fits a phone screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(demo.url);
    const panel = phone.getByRole('region', { name: /^Test panel: / });
    await visible(panel.getByRole('button', { name: 'Run', exact: true }));
    await visible(phone.getByLabel('Workspace'));
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await visible(panel.getByRole('status').filter({ hasText: /^Completed in / }));
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await panel.getByRole('log').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: path.join(IMAGES, 'test-panel-mobile.png') });
    await phone.close();
  });

  test('loaded nothing from outside loopback and logged no browser errors', () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('logs one JSON line per execution with its tenant, and stops cleanly on SIGTERM', async () => {
    const exitCode = await demo.stop('SIGTERM');
    expect(exitCode).toBe(0);
    const executions = demo
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.event === 'agentry.execution.completed');
    expect(executions.map((entry) => [entry.agent_id, entry.tenant_id, entry.status, entry.mode])).toEqual([
      ['classify-ticket', 'acme', 'succeeded', 'mock'],
      ['summarize', 'acme', 'succeeded', 'mock'],
    ]);
  });
});

describe('the kill switch and live mode', () => {
  test('AGENTRY_LIVE=off shows live disabled with the operator’s reason', async () => {
    const killed = await startDemo({ AGENTRY_LIVE: 'off', OPENAI_API_KEY: 'sk-test-demo-key-not-real-0000' });
    try {
      const { context: killedContext } = await loopbackOnlyContext(browser);
      const killedPage = await killedContext.newPage();
      await killedPage.goto(killed.url);
      const panel = killedPage.getByRole('region', { name: /^Test panel: / });
      await poll(() => panel.getByRole('radio', { name: 'Live' }).isDisabled()).toBe(true);
      await visible(panel.getByText(/switched off by the operator \(AGENTRY_LIVE=off\)/));
      await killedContext.close();
    } finally {
      expect(await killed.stop()).toBe(0);
    }
  });

  test('with a provider key, live is selectable and the key never reaches the page', async () => {
    const key = 'sk-test-demo-key-not-real-1234567890';
    const live = await startDemo({ OPENAI_API_KEY: key });
    try {
      const { context: liveContext } = await loopbackOnlyContext(browser);
      const livePage = await liveContext.newPage();
      const bodies: string[] = [];
      livePage.on('response', (response) => {
        void response.text().then(
          (text) => bodies.push(text),
          () => {},
        );
      });
      await livePage.goto(live.url);
      const panel = livePage.getByRole('region', { name: /^Test panel: / });
      await poll(() => panel.getByRole('radio', { name: 'Live' }).isEnabled()).toBe(true);
      await visible(livePage.getByText('Live: openai · gpt-4.1-mini'));
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.filter((body) => body.includes(key))).toEqual([]);
      expect(await livePage.content()).not.toContain(key);
      await liveContext.close();
    } finally {
      expect(await live.stop()).toBe(0);
    }
  });
});
