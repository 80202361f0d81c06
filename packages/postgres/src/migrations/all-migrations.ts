import { executionHistory } from './0001-execution-history';
import { coordination } from './0002-coordination';
// --- tapes (issue 14): migration 3 ---
import { tapes } from './0003-tapes';
// --- end tapes ---
import type { Migration } from './migration';

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  executionHistory,
  coordination,
  // --- tapes (issue 14) ---
  tapes,
  // --- end tapes ---
];
