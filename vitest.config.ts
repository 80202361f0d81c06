import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { configDefaults, defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, requireChromium } from './scripts/find-chromium.ts';

const dirname = path.dirname(fileURLToPath(import.meta.url));
const conditions = ['@agentry/source', 'module', 'browser', 'development|production'];

// Browser projects (stories, end-to-end) need Chromium: skipped loudly without it, required under CI.
const chromium = requireChromium();

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'unit',
      environment: 'node',
      // Type tests (*.test-d.ts) are checked by `pnpm typecheck` (tsc), which the test command runs first.
      include: ['packages/core/src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: [...configDefaults.exclude, 'test/outside-in/**'],
    },
    resolve: { conditions: ['@agentry/source', 'module', 'node', 'development|production'] },
    ssr: { resolve: { conditions: ['@agentry/source', 'module', 'node', 'development|production'] } },
  },
  {
    extends: true,
    test: {
      name: 'react',
      environment: 'jsdom',
      include: ['packages/react/src/**/*.test.{ts,tsx}'],
      setupFiles: ['packages/react/test/setup.ts'],
    },
    resolve: { conditions },
    ssr: { resolve: { conditions: ['@agentry/source', 'module', 'node', 'development|production'] } },
  },
];

// @agentry/postgres: the store suite against PGlite (always) and the real server (skipped
// loudly when it is not reachable; a failure under CI=true). PGlite boots a WASM PostgreSQL per
// file, so the hooks get time.
projects.push({
  extends: true,
  test: {
    name: 'postgres',
    environment: 'node',
    include: ['packages/postgres/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
  resolve: { conditions: ['@agentry/source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['@agentry/source', 'module', 'node', 'development|production'] } },
});

// The packed packages installed with npm on Node 20 in a scratch app (test/outside-in): it decides
// itself whether it can run (Node 20, the npm registry, Chromium), loudly.
projects.push({
  extends: true,
  test: {
    name: 'outside-in',
    environment: 'node',
    include: ['test/outside-in/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});

if (chromium) {
  process.env.CHROMIUM_PATH = chromium;
  if (existsSync(path.join(dirname, '.storybook/main.ts'))) {
    const { storybookTest } = await import('@storybook/addon-vitest/vitest-plugin');
    const { playwright } = await import('@vitest/browser-playwright');
    projects.push({
      extends: true,
      plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
      test: {
        name: 'storybook',
        setupFiles: ['.storybook/vitest.setup.ts', '.storybook/visual.setup.ts'],
        browser: {
          enabled: true,
          headless: true,
          // Visual snapshots (.storybook/visual.setup.ts): committed baselines, diffs git-ignored.
          expect: {
            toMatchScreenshot: {
              resolveScreenshotPath: ({ arg, ext }) =>
                path.join(dirname, 'packages/react/test/visual/baselines', `${arg}${ext}`),
              resolveDiffPath: ({ arg, ext }) => path.join(dirname, '.vitest/visual-diff', `${arg}${ext}`),
            },
          },
          provider: playwright({ launchOptions: { executablePath: chromium, args: CHROMIUM_ARGS } }),
          instances: [{ browser: 'chromium' }],
        },
      },
    });
  }
  projects.push({
    extends: true,
    test: {
      name: 'e2e',
      environment: 'node',
      include: ['e2e/**/*.e2e.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  });
}

export default defineConfig({
  test: {
    projects,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
