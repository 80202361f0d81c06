// Bundles the demo with esbuild: the server for Node and the host page for the browser.
// The workspace packages are bundled from their TypeScript sources (the `@agentry/source`
// export condition), so nothing has to be built first.
import { readFile, rm } from 'node:fs/promises';
import { build, stop } from 'esbuild';

// `node build.mjs --start` builds, then runs the server in this same process, so Ctrl-C
// reaches one process that stops cleanly (no shell in between to die of the signal).
const start = process.argv.includes('--start');

const root = new URL('.', import.meta.url);
const { dependencies } = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
const started = performance.now();

await rm(new URL('dist', root), { recursive: true, force: true });

const shared = {
  absWorkingDir: root.pathname,
  bundle: true,
  format: 'esm',
  conditions: ['@agentry/source'],
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = Promise.all([
  build({
    ...shared,
    entryPoints: { server: 'src/server/main.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // The demo's own dependencies stay external (loaded from node_modules at run time);
    // @agentry/* and anything they use internally are bundled from source.
    external: Object.keys(dependencies).filter((name) => !name.startsWith('@agentry/')),
  }),
  build({
    ...shared,
    entryPoints: { app: 'src/page/main.tsx' },
    outdir: 'dist/public',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
]);

try {
  await builds;
} catch {
  // esbuild has already printed what failed and where.
  console.error('The demo build failed (see above).');
  process.exit(1);
}

// The esbuild service process is not needed any more (and would outlive the build under --start).
await stop();
console.log(`Built the demo in ${Math.round(performance.now() - started)} ms.`);

if (start) await import(new URL('dist/server.js', root).href);
