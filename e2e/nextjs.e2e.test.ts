// The Next.js example: it type-checks, `next build` succeeds, and the built app serves a
// server-rendered page whose TestPanel hydrates and runs an agent in Chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, loopbackOnlyContext } from './support/browser';
import { run } from './support/demo-process';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/nextjs');
const NEXT = path.join(APP, 'node_modules/next/dist/bin/next');
const TSC = path.join(APP, 'node_modules/typescript/bin/tsc');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
// `next build` takes about 1–1.5 minutes on a busy 2-core machine.
const BUILD_TIMEOUT = 300_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let server: ChildProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
});

describe('the Next.js example', () => {
  test('type-checks', { timeout: BUILD_TIMEOUT }, async () => {
    await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--noEmit'], { cwd: APP, env });
  });

  test('builds with next build', { timeout: BUILD_TIMEOUT }, async () => {
    const output = await run(process.execPath, [NEXT, 'build'], { cwd: APP, env });
    expect(output).toMatch(/\/api\/agentry\/\[\.\.\.path\]/);
  });

  describe('the built app', () => {
    let url: string;

    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
        cwd: APP,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/Ready in/.test(output)) resolve();
        };
        server?.stdout?.on('data', onData);
        server?.stderr?.on('data', onData);
        server?.once('exit', (code) => reject(new Error(`next start exited (${code}):\n${output}`)));
      });
      browser = await launchChromium();
    });

    test('answers 401 to an Agentry request without a session', async () => {
      const response = await fetch(`${url}/api/agentry/agents`);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('tenant_required');
    });

    test('server-renders the page, then the TestPanel hydrates and runs an agent after sign-in', async () => {
      const { context, blocked } = await loopbackOnlyContext(browser!);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));

      await page.goto(url);
      await page.getByRole('button', { name: 'Acme Corp' }).click();
      const panel = page.getByRole('region', { name: 'Test panel: Summarizer' });
      await panel.getByLabel('Input (JSON)').waitFor();
      await panel.getByRole('button', { name: 'Run', exact: true }).click();
      await panel
        .getByRole('status')
        .filter({ hasText: /^Completed in / })
        .waitFor();
      await expect
        .poll(() => panel.getByRole('log').textContent(), { timeout: 15_000 })
        .toContain('Agentry runs agents in mock and live mode.');

      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  });
});
