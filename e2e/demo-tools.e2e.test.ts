// The demo's tool-using agent over its real HTTP API: a tool only ever sees the caller's
// workspace, whatever ticket id (or tenant) the model is asked about. In Chromium, the
// TestPanel shows the run's steps and tool calls in its timeline.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, loopbackOnlyContext } from './support/browser';
import { buildDemo, type DemoProcess, startDemo } from './support/demo-process';

let demo: DemoProcess;
let browser: Browser;

beforeAll(async () => {
  await buildDemo();
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** A session cookie in `tenantId`'s workspace, as the page's workspace switcher gets one. */
async function sessionIn(tenantId: string): Promise<string> {
  const first = await fetch(`${demo.url}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const switched = await fetch(`${demo.url}/demo/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ tenantId }),
  });
  expect(switched.status).toBe(200);
  return (switched.headers.get('set-cookie') ?? cookie).split(';')[0] as string;
}

interface Record {
  status: string;
  tenantId: string;
  output: unknown;
  steps?: {
    toolCalls: { name: string }[];
    toolResults: { status: string; output?: unknown; error?: { code: string } }[];
  }[];
}

async function runSupport(cookie: string, ticketId: string): Promise<Record> {
  const response = await fetch(`${demo.url}/api/agentry/agents/support-reply/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ input: { ticketId }, mode: 'mock' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record;
}

describe("the demo's support-reply agent", () => {
  test('looks up its own ticket and drafts a reply in two tool steps', async () => {
    const acme = await sessionIn('acme');
    const record = await runSupport(acme, 'T-1001');
    expect(record.status).toBe('succeeded');
    expect(record.tenantId).toBe('acme');
    expect(record.steps?.map((step) => step.toolCalls.map((call) => call.name))).toEqual([
      ['lookupTicket'],
      ['draftReply'],
      [],
    ]);
    expect(record.output).toMatch(/^Hi Dana,/);
  });

  test("never sees another workspace's ticket: Acme asking for Globex's T-2001 gets not_found", async () => {
    const acme = await sessionIn('acme');
    const record = await runSupport(acme, 'T-2001');
    expect(record.status).toBe('succeeded');
    expect(record.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(JSON.stringify(record)).not.toMatch(/Hammock|Hank/);
    expect(record.output).toBe('I could not find ticket T-2001 in this workspace.');

    const globex = await sessionIn('globex');
    const own = await runSupport(globex, 'T-2001');
    expect(own.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(own)).toContain('Hammock');
    const foreign = await runSupport(globex, 'T-1001');
    expect(JSON.stringify(foreign)).not.toMatch(/INV-2291|Dana/);
  });

  test('shows its steps and tool calls in the TestPanel’s timeline, arguments and results on demand', async () => {
    const { context, blocked } = await loopbackOnlyContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(demo.url);
    const panel = page.getByRole('region', { name: /^Test panel: / });
    await panel.getByLabel('Agent', { exact: true }).selectOption({ label: 'Support reply (tools)' });
    const support = page.getByRole('region', { name: 'Test panel: Support reply (tools)' });
    await support.waitFor();
    // No run yet, no timeline: it is loaded with the first run that has steps.
    expect(await support.getByRole('region', { name: 'Tool steps' }).count()).toBe(0);

    await support.getByRole('button', { name: 'Run', exact: true }).click();
    await support
      .getByRole('status')
      .filter({ hasText: /^Completed in / })
      .waitFor();
    const timeline = support.getByRole('region', { name: 'Tool steps' });
    await timeline.waitFor();
    await expect.poll(() => timeline.textContent()).toContain('3 steps · 2 tool calls');
    const calls = timeline.getByRole('button', { expanded: false });
    await expect.poll(() => calls.locator('code').allTextContents()).toEqual(['lookupTicket', 'draftReply']);
    await expect.poll(() => timeline.getByText('Succeeded').count()).toBe(2);

    // Arguments and results stay closed until the user opens a call.
    const lookup = timeline.getByRole('button', { name: /^lookupTicket/ });
    await lookup.click();
    expect(await lookup.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => timeline.textContent()).toContain('"ticketId": "T-1001"');
    await expect.poll(() => timeline.textContent()).toContain('Charged twice for our November invoice');

    // A foreign ticket: the tool's not_found shows on its call, with the code.
    const json = support.getByRole('button', { name: 'JSON', exact: true });
    if (await json.count()) await json.click();
    await support.getByRole('textbox', { name: 'Input', exact: true }).fill('{ "ticketId": "T-2001" }');
    await support.getByRole('button', { name: 'Run', exact: true }).click();
    await support
      .getByRole('status')
      .filter({ hasText: /^Completed in / })
      .waitFor();
    const failed = timeline.getByRole('button', { name: /^lookupTicket\s*Failed/ });
    await failed.waitFor();
    await expect.poll(() => timeline.textContent()).toContain('not_found');
    expect(await timeline.textContent()).not.toMatch(/Hammock|Hank/);

    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await context.close();
  });
});
