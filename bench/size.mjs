// Measures what <TestPanel> adds to a browser bundle, the way the comparisons
// were measured: esbuild (minify, browser, ESM), react and react-dom external, gzip -9.
// Run: node bench/size.mjs   (also checked by packages/react/src/size-budget.test.ts)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// Issue 16's target: 25 kB. The initial chunk measures about 23 kB: the input checks (JSON
// error locator and JSON Schema validator), the error copy, the JSON tree, the cURL/code
// snippets, the JSON view's colours and the form are lazy chunks, listed below the total.
// Lazy means unreachable by any static import from a public entry: esbuild keeps in the
// initial chunk every file a static import reaches, even one whose exports are unused.
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
    stdin: { contents, resolveDir: reactDir, loader: 'ts', sourcefile: 'entry.ts' },
    // Lazy chunks (React.lazy / import()) are split off, as a host's bundler does: the budget is
    // the initial chunk; the others are listed in `lazyChunks`.
    splitting: true,
    outdir: path.join(root, 'node_modules/.cache/agentry-size'),
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
  const outputs = result.metafile.outputs;
  // Lazy chunks are entry points too (each dynamic import() is one): the host's entry is stdin.
  const entryPath =
    Object.keys(outputs).find((file) => outputs[file].entryPoint === '<stdin>' || path.basename(file) === 'stdin.js') ??
    Object.keys(outputs).find((file) => outputs[file].entryPoint !== undefined);
  // The initial chunks: the entry and every chunk it imports statically (shared code lands there).
  const initial = new Set();
  const visit = (file) => {
    if (initial.has(file) || !outputs[file]) return;
    initial.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entryPath);
  const contentsOf = (file) =>
    result.outputFiles.find((output) => output.path === path.resolve(root, file))?.contents ?? new Uint8Array();
  // One buffer for the initial chunks, so gzip sees them as a host's single download would.
  const code = Buffer.concat([...initial].map((file) => Buffer.from(contentsOf(file))));
  const lazyChunks = Object.keys(outputs)
    .filter((file) => !initial.has(file))
    .map((file) => ({
      file: path.basename(file),
      inputs: Object.keys(outputs[file].inputs),
      gzipBytes: gzipSync(contentsOf(file), { level: 9 }).byteLength,
    }));
  // Only modules that put bytes into the output (the metafile also lists what was parsed, then shaken out).
  const contributions = [...initial]
    .flatMap((file) => Object.entries(outputs[file].inputs))
    .filter(([, info]) => info.bytesInOutput > 0);
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
    lazyChunks,
    byArea,
  };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const report = await measureTestPanelBundle();
  console.log(
    `TestPanel + createClient (react, react-dom external): ${kB(report.minifiedBytes)} min, ${kB(report.gzipBytes)} min+gzip -9 (budget ${kB(BUDGET_BYTES)})`,
  );
  for (const chunk of report.lazyChunks) {
    const names = chunk.inputs.map((input) => path.basename(input)).join(', ');
    console.log(`  lazy chunk ${chunk.file}: ${kB(chunk.gzipBytes)} min+gzip (${names})`);
  }
  console.log('\nMinified bytes by source (initial chunk):');
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
