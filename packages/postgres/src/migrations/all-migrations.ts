import { executionHistory } from './0001-execution-history';
import { coordination } from './0002-coordination';
// ---- test cases (issue 16 item 8): migration 4 ----
import { testCases } from './0004-test-cases';
import type { Migration } from './migration';
// ---- end test cases ----

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  executionHistory,
  coordination,
  // ---- test cases ----
  testCases,
  // ---- end test cases ----
];
