// The vitest config Stryker runs (`pnpm run mutation`, see docs/testing.md): only the `unit`
// project of vitest.config.ts, taken from it so the two cannot drift apart. The browser
// projects (stories, end-to-end) are left out: each mutant would start Chromium.
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';
import root from './vitest.config.ts';

const unit = root.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === 'object' && 'test' in project && project.test?.name === 'unit',
);
if (unit === undefined) throw new Error('vitest.mutation.config.ts: vitest.config.ts has no "unit" project.');

export default defineConfig({ test: { projects: [unit] } });
