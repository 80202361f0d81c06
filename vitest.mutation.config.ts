// The vitest config Stryker runs (`pnpm run mutation`, see docs/testing.md): only the `unit`
// project of vitest.config.ts, taken from it so the two cannot drift apart. The browser
// projects (stories, end-to-end) are left out: each mutant would start Chromium.
//
// MUTATION_TESTS (comma-separated globs) narrows the test files, e.g. to a folder's own tests:
// static mutants then run those instead of the ~900 tests that import the executor. A score
// measured that way is a lower bound (more tests can only kill more).
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';
import root from './vitest.config.ts';

const unit = root.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === 'object' && 'test' in project && project.test?.name === 'unit',
);
if (unit === undefined) throw new Error('vitest.mutation.config.ts: vitest.config.ts has no "unit" project.');

const only = process.env.MUTATION_TESTS?.split(',')
  .map((glob) => glob.trim())
  .filter((glob) => glob !== '');
const project: TestProjectInlineConfiguration =
  only === undefined || only.length === 0 ? unit : { ...unit, test: { ...unit.test, include: only } };

export default defineConfig({ test: { projects: [project] } });
