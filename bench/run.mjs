// Runs a benchmark file against the workspace sources: bundles it with esbuild (resolving
// @agentry/* through the `@agentry/source` condition, other packages left external) and runs
// the bundle with `node --expose-gc`. Usage: node bench/run.mjs bench/core.bench.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv[2];
if (!entry) {
  console.error('Usage: node bench/run.mjs <bench file>');
  process.exit(2);
}
const outdir = path.join(root, 'node_modules', '.cache', 'agentry-bench');
mkdirSync(outdir, { recursive: true });
const outfile = path.join(outdir, `${path.basename(entry).replace(/\.[mc]?[jt]s$/, '')}.mjs`);
await build({
  entryPoints: [path.resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@agentry/source'],
  // Only the workspace's own packages are bundled; dependencies load from node_modules.
  plugins: [
    {
      name: 'externals',
      setup(context) {
        context.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@agentry/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(3)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
