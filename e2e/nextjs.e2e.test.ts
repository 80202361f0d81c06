// The Next.js example: it type-checks, `next build` succeeds, and the built app serves a
// server-rendered page whose TestPanel hydrates and runs an agent in Chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, SignJWT } from 'jose';
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

    test('the sign-in route issues a signed session token that the Agentry route verifies; forged or altered ones get 401', async () => {
      const signIn = await fetch(`${url}/api/sign-in`, {
        method: 'POST',
        body: new URLSearchParams({ session: 'sess_acme' }),
        redirect: 'manual',
      });
      expect(signIn.status).toBe(303);
      const cookie = /example_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1];
      expect(cookie).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const agents = (value: string) =>
        fetch(`${url}/api/agentry/agents`, { headers: { cookie: `example_session=${value}` } });
      expect((await agents(cookie!)).status).toBe(200);

      // The same claims signed by a key that is not the sign-in route's.
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ sub: 'user_ada', org_id: 'globex' })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer('https://sign-in.agentry-example.local')
        .setAudience('agentry-example')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      const [header, , signature] = cookie!.split('.');
      const altered = `${header}.${Buffer.from(JSON.stringify({ sub: 'user_ada', org_id: 'globex', exp: 9e9 })).toString('base64url')}.${signature}`;
      for (const value of [forged, altered, 'sess_acme']) {
        const response = await agents(value);
        expect(response.status).toBe(401);
        expect(await response.text()).not.toContain(value);
      }
    });

    test('server-renders the page, then the TestPanel hydrates and runs an agent after sign-in', async () => {
      const { context, blocked } = await loopbackOnlyContext(browser!);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));

      await page.goto(url);
      await page.getByRole('button', { name: 'Acme Corp' }).click();
      const panel = page.getByRole('region', { name: 'Test panel: Summarizer' });
      await panel.getByRole('button', { name: 'Run', exact: true }).waitFor();
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
