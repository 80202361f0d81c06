// The sign-off page `agentry verify --report` writes, opened in real Chromium: the checklist and
// the latency chart are visible, and the page loads nothing (it is self-contained).
import { appendFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDemoServer } from '../examples/demo/src/server/create-demo-server';
import { type Loopback, listen, runCli, temporaryDirectory } from '../test/verify/verify-support';
import { launchChromium, loopbackOnlyContext } from './support/browser';
import { IMAGES } from './support/wait';

let browser: Browser;
let demo: Loopback;
let page: Loopback;
let html: string;

/** A demo session cookie switched to `tenantId`. */
async function session(url: string, tenantId: string): Promise<string> {
  const first = await fetch(`${url}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
  await first.body?.cancel();
  const switched = await fetch(`${url}/demo/session`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId }),
  });
  await switched.body?.cancel();
  return cookie;
}

beforeAll(async () => {
  const directory = await temporaryDirectory();
  await writeFile(path.join(directory, 'app.js'), '');
  await writeFile(path.join(directory, 'app.css'), '');
  const log = path.join(directory, 'server.jsonl');
  await writeFile(log, '');
  const { server } = await createDemoServer({
    assetsDirectory: pathToFileURL(`${directory}/`),
    environment: {},
    write: (line) => appendFileSync(log, `${line}\n`),
  });
  [demo, browser] = await Promise.all([listen(server), launchChromium()]);
  const env = { COOKIE_A: await session(demo.url, 'acme'), COOKIE_B: await session(demo.url, 'globex') };
  const report = path.join(directory, 'sign-off.html');
  const run = await runCli(
    [
      'verify',
      '--url',
      `${demo.url}/api/agentry`,
      '--auth',
      'cookie:env:COOKIE_A',
      '--auth-b',
      'cookie:env:COOKIE_B',
      '--samples',
      '12',
      '--load',
      '4x2s',
      '--logs',
      log,
      '--report',
      report,
    ],
    env,
  );
  expect(run.stderr).toBe('');
  html = await readFile(report, 'utf8');
  page = await listen((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.close(), page?.close()]);
});

describe('the sign-off page in Chromium', () => {
  test('shows the checklist and the latency chart, loads nothing, and is saved as a screenshot', async () => {
    const { context, blocked } = await loopbackOnlyContext(browser, { viewport: { width: 1024, height: 900 } });
    const tab = await context.newPage();
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(page.url);

    const checklist = tab.getByRole('table').first();
    await checklist.waitFor({ state: 'visible' });
    const rows = checklist.locator('tbody tr');
    expect(await rows.count()).toBe(11);
    for (const id of ['health', 'mock-runs', 'isolation', 'anonymous', 'error-handling', 'load', 'secrets', 'logs']) {
      expect(await tab.locator(`tr[data-check="${id}"]`).getAttribute('data-status')).toBe('pass');
    }
    expect(await tab.getByRole('row', { name: /Cross-tenant isolation/ }).textContent()).toContain('Passed');

    const chart = tab.getByRole('img', { name: 'Mock runs: time to first output' });
    await chart.waitFor({ state: 'visible' });
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(100);
    expect(await chart.locator('rect.bar').count()).toBeGreaterThan(5);
    expect(await chart.locator('line.target').count()).toBe(1);
    await tab.getByRole('heading', { name: 'Error breakdown' }).waitFor({ state: 'visible' });

    // Self-contained: the one request is the page itself.
    expect(requests).toEqual([`${page.url}/`]);
    expect(blocked).toEqual([]);

    await mkdir(IMAGES, { recursive: true });
    await tab.screenshot({ path: path.join(IMAGES, 'verify-sign-off.png'), fullPage: true });
    await context.close();
  });
});
