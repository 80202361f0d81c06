// Measures what <TestPanel> adds to a browser bundle, the way the comparisons
// were measured: esbuild (minify, browser, ESM), react and react-dom external, gzip -9.
// Run: node bench/size.mjs   (also checked by packages/react/src/size-budget.test.ts)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const BUDGET_BYTES = 25_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reactDir = path.join(root, 'packages/react');

/** Bundles an entry that imports TestPanel and the core client; answers sizes and bundled inputs. */
export async function measureTestPanelBundle() {
  const hasClient = existsSync(path.join(root, 'packages/core/src/client/index.ts'));
  const contents = [
    "export { TestPanel } from '@agentry/react';",
    hasClient ? "export { createClient } from '@agentry/core/client';" : '',
  ].join('\n');
  const result = await build({
    stdin: { contents, resolveDir: reactDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@agentry/source'],
    external: ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client'],
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  // Only modules that put bytes into the output (the metafile also lists what was parsed, then shaken out).
  const contributions = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {}).filter(
    ([, info]) => info.bytesInOutput > 0,
  );
  const inputs = contributions.map(([file]) => file);
  const byArea = {};
  for (const [file, info] of contributions) {
    const area = file.includes('node_modules')
      ? (/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'node_modules')
      : file
          .replace(/^(\.\.\/)+/, '')
          .split('/')
          .slice(0, 4)
          .join('/');
    byArea[area] = (byArea[area] ?? 0) + info.bytesInOutput;
  }
  return {
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    includesClient: hasClient,
    inputs,
    byArea,
  };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const report = await measureTestPanelBundle();
  console.log(
    `TestPanel + createClient (react, react-dom external): ${kB(report.minifiedBytes)} min, ${kB(report.gzipBytes)} min+gzip -9 (budget ${kB(BUDGET_BYTES)})`,
  );
  console.log('\nMinified bytes by source:');
  for (const [area, bytes] of Object.entries(report.byArea).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${area.padEnd(48)} ${kB(bytes)}`);
  }
  console.log('\nFor scale (measured the same way, per issue 5):');
  const peers = [
    ['@ai-sdk/react 4 useChat', '~56 kB'],
    ['assistant-ui primitives', '~112 kB'],
    ["import { z } from 'zod'", '~91 kB'],
    ["import * as z from 'zod' (tree-shaken)", '~26 kB'],
    ['… with z.fromJSONSchema', '~40 kB'],
    ['zod/mini schema', '~5 kB'],
  ];
  for (const [name, size] of peers) console.log(`  ${name.padEnd(48)} ${size}`);
  if (report.gzipBytes > BUDGET_BYTES) process.exitCode = 1;
}
