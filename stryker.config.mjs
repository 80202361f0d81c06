// Mutation testing on demand: `npx -y pnpm@10 run mutation` (see docs/testing.md). Not part of
// `pnpm test`: a full run takes a long time on 2 cores. Scoped to the security-critical code.
// Options: https://stryker-mutator.io/docs/stryker-js/configuration/ (schema: node_modules/@stryker-mutator/core/schema).
const config = {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  // Named from here: Stryker's default "@stryker-mutator/*" is looked up next to its own package,
  // where pnpm does not put the runner.
  plugins: [import.meta.resolve('@stryker-mutator/vitest-runner')],
  // Only the `unit` project (Node); `related` runs just the tests that import a mutated file.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [
    'packages/core/src/tenant/**/*.ts',
    'packages/core/src/logging/**/*.ts',
    'packages/core/src/server/**/*.ts',
    'packages/core/src/executor/**/*.ts',
    'packages/core/src/providers/*/*-errors.ts',
    '!**/*.test.ts',
    '!**/*.test-d.ts',
    '!**/*.test-support.ts',
    // Re-export lists: nothing to mutate.
    '!**/index.ts',
  ],
  ignorePatterns: [
    'dist',
    'storybook-static',
    'examples/nextjs/.next',
    'docs/images',
    'reports',
    '.vitest',
    'test-results',
  ],
  // One test process: the machine has 2 cores and other work on it. Raise with --concurrency.
  concurrency: 1,
  timeoutMS: 10_000,
  coverageAnalysis: 'perTest',
  // Reruns test only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The target for these folders is 85 % (issue 10); below it the report shows red, but the run
  // does not fail: it is a review tool, read its survivors.
  thresholds: { high: 90, low: 85, break: null },
  // `// @ts-nocheck` goes only into the mutated sources: test fixtures that a test compares with
  // the docs byte for byte (packages/core/test/third-party-adapter.ts) must stay as they are.
  disableTypeChecks: 'packages/core/src/**/*.{js,ts,jsx,tsx}',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
