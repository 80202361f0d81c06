export { MIGRATIONS } from './all-migrations';
export type {
  MigrationOptions,
  MigrationRunResult,
  MigrationState,
  MigrationStatusResult,
  RollbackOptions,
} from './migrate';
export { migrate, migrationStatus, rollback } from './migrate';
export type { Migration } from './migration';
