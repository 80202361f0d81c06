// From outside the repository: the packed packages, installed with npm on the lowest Node the
// packages claim (20), into one scratch app outside the workspace, following
// docs/getting-started.md's Vite + Node path. It proves:
// - `npm install --engine-strict` succeeds on Node 20 (no dependency needs more), without `openai`;
// - an ES module and a CommonJS script run a mock execution (executor, handler and client);
// - `tsc --strict` accepts the getting-started code with `module: node16` (TypeScript 5.9) and with
//   `moduleResolution: bundler` (TypeScript 7);
// - the Vite + React app builds, its Node server runs (tsx), and in Chromium a mock run succeeds in
//   a panel at least 320 px wide inside a parent that sizes to its content (screenshot kept in
//   test-results/outside-in/).
// Skipped loudly without Node 20, the npm registry or Chromium; under CI=true those fail instead.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, loopbackOnlyContext } from '../../e2e/support/browser';
import { findChromium } from '../../scripts/find-chromium';
import { readSnippets } from '../support/doc-snippets';
import {
  findLowestNode,
  freePort,
  LOWEST_NODE_MAJOR,
  loudWarning,
  lowestNodeEnvironment,
  registryReachable,
  run,
  type Service,
  startService,
} from './support';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/outside-in/fixtures');
const results = path.join(root, 'test-results/outside-in');
const ci = process.env.CI === 'true' || process.env.CI === '1';

/** What a stranger installs beside the two packages (docs/getting-started.md, path B), by major. */
const REGISTRY_PACKAGES = [
  'zod@^4',
  'react@^19',
  'react-dom@^19',
  'vite@^8',
  '@vitejs/plugin-react@^6',
  'typescript@^7',
  // Next.js's template still ships TypeScript 5: the node16 check runs on it.
  'typescript5@npm:typescript@~5.9',
  'tsx@^4',
  '@types/node@^20',
  '@types/react@^19',
  '@types/react-dom@^19',
];
/** The files path B of the guide tells the reader to write. */
const GUIDE_FILES = ['server/agents.ts', 'server/executor.ts', 'server/main.ts', 'vite.config.ts', 'src/App.tsx'];
const PANEL_MIN_WIDTH = 320;

const lowest = findLowestNode();
const online = await registryReachable();
const chromium = findChromium();
const missing = [
  lowest ? undefined : `no Node ${LOWEST_NODE_MAJOR} binary (set AGENTRY_LOWEST_NODE, or install it at /usr/bin/node)`,
  online ? undefined : 'the npm registry is not reachable',
].filter((reason): reason is string => reason !== undefined);
if (missing.length > 0) {
  const message = `SKIPPING THE OUTSIDE-IN TEST (packed packages on Node ${LOWEST_NODE_MAJOR}): ${missing.join('; ')}.`;
  if (ci) throw new Error(`${message} It is required under CI.`);
  loudWarning(message);
}

const timings: [string, number][] = [];
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push([name, performance.now() - started]);
  }
}

/** pnpm packs with `workspace:*` replaced by the real version, as publishing would. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath]] : ['npx', ['-y', 'pnpm@10']];
}

describe.skipIf(missing.length > 0)(`outside in: the packed packages on Node ${LOWEST_NODE_MAJOR}`, () => {
  const node20 = lowest as NonNullable<typeof lowest>;
  let app = '';
  let env: NodeJS.ProcessEnv = {};
  let apiPort = 0;
  const services: Service[] = [];
  let browser: Browser | undefined;
  const suiteStarted = performance.now();

  const nodeRun = (args: string[], timeoutMs?: number) =>
    run(node20.node, args, timeoutMs === undefined ? { cwd: app, env } : { cwd: app, env, timeoutMs });

  beforeAll(async () => {
    for (const entry of ['core/dist/index.js', 'core/dist/index.cjs', 'react/dist/index.js']) {
      if (!existsSync(path.join(root, 'packages', entry))) {
        throw new Error(`packages/${entry} is missing: build first (npx -y pnpm@10 run build).`);
      }
    }
    app = mkdtempSync(path.join(os.tmpdir(), 'agentry-outside-in-'));
    apiPort = await freePort();
    env = lowestNodeEnvironment(node20, { PORT: String(apiPort), BROWSERSLIST_IGNORE_OLD_DATA: '1' });

    const tarballs = path.join(app, 'tarballs');
    const [pnpm, pnpmArgs] = pnpmCommand();
    await timed('pnpm pack (both packages)', () =>
      Promise.all(
        ['core', 'react'].map((name) =>
          run(pnpm, [...pnpmArgs, 'pack', '--pack-destination', tarballs], { cwd: path.join(root, 'packages', name) }),
        ),
      ),
    );

    writeFileSync(
      path.join(app, 'package.json'),
      `${JSON.stringify({ name: 'agentry-outside-in', private: true, type: 'module' }, null, 2)}\n`,
    );
    cpSync(fixtures, app, { recursive: true });
    // The guide's own code, word for word, but for the API port (free, so parallel runs do not collide).
    const guide = readSnippets(root, 'docs/getting-started.md').filter(
      (snippet) => snippet.path !== undefined && /^B\d/.test(snippet.heading),
    );
    expect(guide.map((snippet) => snippet.path).sort()).toEqual([...GUIDE_FILES].sort());
    for (const snippet of guide) {
      let code = snippet.code;
      if (snippet.path === 'vite.config.ts') {
        expect(code).toContain("'http://127.0.0.1:3001'");
        code = code.replace("'http://127.0.0.1:3001'", `'http://127.0.0.1:${apiPort}'`);
      }
      mkdirSync(path.dirname(path.join(app, snippet.path as string)), { recursive: true });
      writeFileSync(path.join(app, snippet.path as string), `${code}\n`);
    }

    const version = JSON.parse(readFileSync(path.join(root, 'packages/core/package.json'), 'utf8')).version as string;
    const packed = [`agentry-core-${version}.tgz`, `agentry-react-${version}.tgz`].map((file) => `./tarballs/${file}`);
    await timed(`npm install --engine-strict on Node ${node20.version}`, () =>
      nodeRun(
        [
          node20.npmCli,
          'install',
          '--engine-strict',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--loglevel=error',
          ...packed,
          ...REGISTRY_PACKAGES,
        ],
        600_000,
      ),
    );
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(services.map((service) => service.stop()));
    if (app && !process.env.AGENTRY_KEEP_OUTSIDE_IN) rmSync(app, { recursive: true, force: true });
    timings.push(['whole outside-in suite', performance.now() - suiteStarted]);
    console.info(
      `Outside-in timings:\n${timings.map(([name, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`).join('\n')}`,
    );
  });

  it('installs with --engine-strict on Node 20: no dependency needs more, and no model SDK comes along', () => {
    const core = JSON.parse(readFileSync(path.join(app, 'node_modules/@agentry/core/package.json'), 'utf8'));
    expect(core.engines).toEqual({ node: `>=${LOWEST_NODE_MAJOR}` });
    expect(core.dependencies ?? {}).toEqual({});
    for (const sdk of ['openai', '@anthropic-ai/sdk', 'msw', 'ky']) {
      expect(existsSync(path.join(app, 'node_modules', sdk)), `${sdk} was installed`).toBe(false);
    }
  });

  it.concurrent('an ES module runs a mock execution through the executor, the handler and the client', async () => {
    const output = await timed('ESM script', () => nodeRun(['mock-run.mjs']));
    const result = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(result.node).toBe(node20.version);
    expect(result.direct).toEqual({ category: 'billing', urgent: true });
    expect(result.viaClient).toEqual({ category: 'billing', urgent: true });
    // No provider configured: live is unavailable, and says why.
    expect(result.live).toMatchObject({ available: false, reason: expect.stringContaining('not set up') });
  });

  it.concurrent('a CommonJS script runs the same mock execution', async () => {
    const output = await timed('CommonJS script', () => nodeRun(['mock-run.cjs']));
    const result = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(result).toEqual({
      node: node20.version,
      direct: { category: 'billing', urgent: true },
      viaClient: { category: 'billing', urgent: true },
    });
  });

  it.concurrent('the README quick start runs as written with tsx on Node 20', async () => {
    const [quickStart] = readSnippets(root, 'README.md').filter((snippet) => snippet.heading === 'Quick start');
    writeFileSync(path.join(app, 'quickstart.ts'), quickStart?.code ?? '');
    const output = await timed('README quick start (tsx)', () =>
      nodeRun([path.join(app, 'node_modules/tsx/dist/cli.mjs'), 'quickstart.ts']),
    );
    expect(output).toContain('"event":"agentry.execution.completed"');
    expect(output).toContain("{ category: 'billing', urgent: true }");
  });

  it.concurrent('tsc --strict accepts the guide’s server code with module: node16 (TypeScript 5.9)', async () => {
    const tsc = path.join(app, 'node_modules/typescript5/bin/tsc');
    await timed('tsc node16 (TS 5.9)', () => nodeRun([tsc, '-p', 'tsconfig.node16.json']));
  });

  it.concurrent('tsc --strict accepts the guide’s app and server with moduleResolution: bundler (TypeScript 7)', async () => {
    const tsc = path.join(app, 'node_modules/typescript/bin/tsc');
    await timed('tsc bundler (TS 7)', () => nodeRun([tsc, '-p', 'tsconfig.bundler.json']));
  });

  it.concurrent('the Vite + React app builds, and in Chromium a mock run succeeds in a panel at least 320 px wide', async ({
    skip,
  }) => {
    if (!chromium) skip('no Chromium (see the warning above)');
    const vite = path.join(app, 'node_modules/vite/bin/vite.js');
    const tsx = path.join(app, 'node_modules/tsx/dist/cli.mjs');
    const [, api] = await Promise.all([
      timed('vite build', () => nodeRun([vite, 'build'])),
      timed('API server start (tsx, Node 20)', () =>
        startService(node20.node, [tsx, 'server/main.ts'], { cwd: app, env, ready: /Agentry API on http/ }),
      ),
    ]);
    services.push(api);
    const previewPort = await freePort();
    const preview = await timed('vite preview start', () =>
      startService(
        node20.node,
        [vite, 'preview', '--host', '127.0.0.1', '--port', String(previewPort), '--strictPort'],
        {
          cwd: app,
          env,
          ready: new RegExp(`127\\.0\\.0\\.1:${previewPort}`),
        },
      ),
    );
    services.push(preview);

    await timed('Chromium: load, mock run, measure, screenshot', async () => {
      browser = await launchChromium();
      const { context, blocked } = await loopbackOnlyContext(browser, { viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${previewPort}/`);
      const panel = page.locator('[data-agentry]');
      await page.getByRole('button', { name: 'Run' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Completed in/ })
        .waitFor();
      await expect(page.getByRole('log').textContent()).resolves.toContain(
        '"summary": "Agentry runs agents in mock and live mode."',
      );
      // Live is offered only when it can work: no key here, so it is disabled with the reason.
      await expect(page.getByRole('radio', { name: 'Live' }).isDisabled()).resolves.toBe(true);
      const sizes = await page.evaluate(() => {
        const element = document.querySelector('[data-agentry]') as HTMLElement;
        const parent = document.getElementById('root') as HTMLElement;
        return {
          panel: element.getBoundingClientRect().width,
          parent: parent.getBoundingClientRect().width,
          viewport: window.innerWidth,
        };
      });
      mkdirSync(results, { recursive: true });
      await panel.screenshot({ path: path.join(results, 'vite-panel.png') });
      await page.screenshot({ path: path.join(results, 'vite-page.png'), fullPage: true });
      // The parent sizes to its content (narrower than the page), and the panel keeps its minimum.
      expect(sizes.parent).toBeLessThan(sizes.viewport);
      expect(sizes.panel).toBeGreaterThanOrEqual(PANEL_MIN_WIDTH);
      expect(blocked).toEqual([]);
      await context.close();
    });
    // The server logged the run as one JSON line on stdout (jsonLogger), for the local tenant.
    expect(api.output()).toMatch(/"event":"agentry\.execution\.completed".*"tenant_id":"local-workspace"/);
  }, 300_000);
});

if (missing.length === 0 && !chromium) {
  loudWarning('OUTSIDE-IN: no Chromium, so the Vite + React browser check is skipped (the rest runs).');
}
