// The TestPanel in real Chromium (issue 16, "Performance"): a keystroke in the JSON view with
// 1 MB of input (main-thread work per key, CDP Performance.getMetrics TaskDuration), the form for
// a 200-field schema (mount to painted form), and a 1 MB output's first paint (mount to the first
// frame after it). The page (bench/panel-browser/page.tsx) is built from source with esbuild in
// production mode and served on 127.0.0.1; nothing else is reachable.
// Run: pnpm run bench:panel   (figures go into docs/performance.md, "TestPanel in Chromium")
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'node_modules/.cache/panel-browser-bench');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const KEYS = Number(process.env.BENCH_KEYS ?? 20);
/** BENCH_ONLY=keys|form|output runs that scenario alone. */
const ONLY = process.env.BENCH_ONLY;
const runs = (scenario) => ONLY === undefined || ONLY === scenario;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const max = (values) => Math.max(...values);
const ms = (value) => `${value.toFixed(1)} ms`;

async function buildPage() {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'bench/panel-browser/page.tsx')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: !process.env.BENCH_PROFILE,
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    conditions: ['@agentry/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  writeFileSync(
    path.join(outdir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="page.css"></head><body><script type="module" src="page.js"></script></body></html>',
  );
}

function serve() {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = http.createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.join(outdir, path.normalize(name));
    if (!file.startsWith(outdir)) return response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/** BENCH_PROFILE=keys|form|output: an unminified page and that scenario's CPU profile, by self time. */
async function startProfile(cdp, scenario) {
  if (process.env.BENCH_PROFILE !== scenario) return;
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
}
async function printProfile(cdp, scenario) {
  if (process.env.BENCH_PROFILE !== scenario) return;
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const interval = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const sample of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(sample).callFrame;
    const key = `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + interval);
  }
  for (const [key, value] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`  ${ms(value).padStart(10)}  ${key}`);
}

const executablePath = findChromium();
if (!executablePath) {
  console.error('No Chromium found (set CHROMIUM_PATH, or apt-get install -y chromium).');
  process.exit(1);
}
await buildPage();
const server = await serve();
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.route(/.*/, (route) =>
    route.request().url().startsWith(origin) ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => document.title === 'ready');

  // 1. A keystroke in the JSON view with 1 MB of input; then the same in a bare textarea, for contrast.
  const typeKeys = async (count) => {
    const textarea = page.locator('textarea');
    // The middle of the document: the windowed view scrolls there (its textarea then holds the rows around it).
    await page.evaluate(() => {
      const box = document.querySelector('.agentry-jv[data-windowed]');
      if (box) box.scrollTop = box.scrollHeight / 2;
    });
    await page.waitForTimeout(300);
    await textarea.focus();
    await page.evaluate(() => {
      const element = document.querySelector('textarea');
      const middle = element.value.indexOf('"text"', Math.floor(element.value.length / 2));
      element.setSelectionRange(middle, middle);
      window.keyLatencies = [];
      window.onKeyLatency ??= () => {
        const start = performance.now();
        requestAnimationFrame(() => setTimeout(() => window.keyLatencies.push(performance.now() - start)));
      };
      document.addEventListener('keydown', window.onKeyLatency, true);
    });
    await page.waitForTimeout(1000);
    const work = [];
    for (let key = 0; key < count; key += 1) {
      const before = await taskMs(cdp);
      await page.keyboard.press('x');
      // Under the 300 ms pause after which large input is checked: this is the keystroke alone.
      await page.waitForTimeout(120);
      work.push((await taskMs(cdp)) - before);
    }
    const held = await page.evaluate(() => document.querySelector('textarea').value.length);
    return { work, latencies: await page.evaluate(() => window.keyLatencies), held };
  };
  let keys;
  if (runs('keys')) {
    const { chars } = await page.evaluate(() => window.bench.mountLargeInput(1_000_000));
    await startProfile(cdp, 'keys');
    const panelKeys = await typeKeys(KEYS);
    await printProfile(cdp, 'keys');
    const beforeCheck = await taskMs(cdp);
    await page.waitForTimeout(1200);
    const check = (await taskMs(cdp)) - beforeCheck;
    const size = await page.locator('.agentry-input-editor__size').textContent();
    await page.evaluate(() => window.bench.mountPlain(1_000_000));
    const plainKeys = await typeKeys(KEYS);
    keys = { chars, panelKeys, check, size, plainKeys };
  }

  // 2. The form for a 200-field schema.
  const forms = [];
  await startProfile(cdp, 'form');
  for (let round = 0; round < (runs('form') ? ROUNDS : 0); round += 1) {
    const { ms: painted, controls } = await page.evaluate(() => window.bench.mountForm(200));
    forms.push({ painted, controls });
  }

  await printProfile(cdp, 'form');

  // 3. A 1 MB output's first paint, as JSON (Pretty) and as text.
  const outputs = { json: [], text: [] };
  await startProfile(cdp, 'output');
  for (const kind of runs('output') ? ['json', 'text'] : []) {
    for (let round = 0; round < ROUNDS; round += 1) {
      outputs[kind].push(await page.evaluate((which) => window.bench.mountOutput(which, 1_000_000), kind));
    }
  }

  await printProfile(cdp, 'output');
  const version = browser.version();
  console.log(
    `TestPanel in Chromium ${version} (headless), ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}, ${new Date().toISOString().slice(0, 10)}`,
  );
  if (keys) {
    const { chars, panelKeys, check, size, plainKeys } = keys;
    console.log(
      `\n1 MB in the JSON view (${chars.toLocaleString('en-US')} characters; size counter: "${size}"; the textarea holds ${panelKeys.held.toLocaleString('en-US')})`,
    );
    console.log(
      `  keystroke, main-thread work (TaskDuration)  median ${ms(median(panelKeys.work))}, max ${ms(max(panelKeys.work))} over ${KEYS} keys   target < 50 ms`,
    );
    console.log(
      `  keystroke to next frame (in-page)            median ${ms(median(panelKeys.latencies))}, max ${ms(max(panelKeys.latencies))}`,
    );
    console.log(
      `  the same in a bare <textarea> (the browser's own cost)  median ${ms(median(plainKeys.work))} of work, ${ms(median(plainKeys.latencies))} to next frame`,
    );
    console.log(`  the check after a pause in typing (parse + schema, once)  ${ms(check)} of main-thread work`);
  }
  if (forms.length > 0) {
    console.log(`\nForm for a 200-field schema (${forms[0].controls} controls), mount to painted form`);
    console.log(
      `  median ${ms(median(forms.map((form) => form.painted)))}, max ${ms(max(forms.map((form) => form.painted)))} over ${ROUNDS}   target < 100 ms`,
    );
  }
  for (const kind of runs('output') ? ['json', 'text'] : []) {
    const runs = outputs[kind];
    console.log(`\n1 MB output as ${kind} (${runs[0].chars.toLocaleString('en-US')} characters), mount to first paint`);
    console.log(
      `  median ${ms(median(runs.map((run) => run.ms)))}, max ${ms(max(runs.map((run) => run.ms)))} over ${ROUNDS}   target < 100 ms`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
