import { executionHistory } from './0001-execution-history';
import type { Migration } from './migration';

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [executionHistory];
