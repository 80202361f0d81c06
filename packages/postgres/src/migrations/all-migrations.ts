import { executionHistory } from './0001-execution-history';
import { coordination } from './0002-coordination';
import { tapes } from './0003-tapes';
import { testCases } from './0004-test-cases';
import { coordinationFunctions } from './0005-coordination-functions';
import { finishExecution } from './0006-finish-execution';
import { batchedRuns } from './0007-batched-runs';
import { jsonAsText } from './0008-json-as-text';
import { eventBatches } from './0009-event-batches';
import type { Migration } from './migration';

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  executionHistory,
  coordination,
  tapes,
  testCases,
  coordinationFunctions,
  finishExecution,
  batchedRuns,
  jsonAsText,
  eventBatches,
];
