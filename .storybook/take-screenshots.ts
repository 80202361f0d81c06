// Screenshots of key stories from the static build (`pnpm build-storybook` first):
//   npx -y pnpm@10 exec node .storybook/take-screenshots.ts
// Serves storybook-static on 127.0.0.1, opens each story in system Chromium with every
// non-loopback request blocked, waits for its play function to reach the state, and
// writes docs/images/storybook-*.png.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = path.join(root, 'storybook-static');
const outDir = path.join(root, 'docs/images');

const shots: { id: string; file: string; width: number; ready: string; globals?: string }[] = [
  {
    id: 'testpanel-states--succeeded-with-metrics',
    file: 'storybook-succeeded-light.png',
    width: 1280,
    ready: '[data-agentry][data-state="succeeded"]',
  },
  {
    id: 'testpanel-states--dark',
    file: 'storybook-dark.png',
    width: 1280,
    ready: '[data-agentry][data-state="succeeded"]',
  },
  // The TestPanel in the docs (docs/images/test-panel-{1440,360}-{light,dark}.png): `pnpm screenshots`.
  ...[1440, 360].flatMap((width) =>
    (['light', 'dark'] as const).map((theme) => ({
      id: 'testpanel-states--succeeded-with-metrics',
      globals: theme === 'dark' ? 'theme:dark' : undefined,
      file: `test-panel-${width}-${theme}.png`,
      width,
      ready: '[data-agentry][data-state="succeeded"]',
    })),
  ),
  {
    id: 'testpanel-errors--provider-error',
    file: 'storybook-error.png',
    width: 1280,
    ready: '[role="alert"] details[open]',
  },
  {
    id: 'testpanel-states--mobile',
    file: 'storybook-mobile.png',
    width: 390,
    ready: '[data-agentry][data-state="succeeded"]',
  },
];

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

if (!existsSync(path.join(staticDir, 'iframe.html'))) {
  throw new Error('storybook-static/ is missing: run `pnpm build-storybook` first.');
}
const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: install it with "apt-get install -y chromium".');

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  let file = path.join(staticDir, decodeURIComponent(url.pathname));
  if (!file.startsWith(staticDir)) file = staticDir;
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('No port.');
const origin = `http://127.0.0.1:${address.port}`;

const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  for (const shot of shots) {
    const context = await browser.newContext({ viewport: { width: shot.width, height: 900 }, deviceScaleFactor: 1 });
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    const globals = shot.globals ? `&globals=${shot.globals}` : '';
    await page.goto(`${origin}/iframe.html?id=${shot.id}&viewMode=story${globals}`);
    await page.waitForSelector(shot.ready, { timeout: 20_000 });
    // Let the play function finish and transitions settle.
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(outDir, shot.file), fullPage: true });
    console.log(`${shot.file} ← ${shot.id}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
