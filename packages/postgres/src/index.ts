// `@agentry/postgres`: Agentry's state on PostgreSQL. Imports no driver: pass any pg-compatible
// Pool (`pg`, Neon's serverless driver). The embedded PGlite engine is `@agentry/postgres/pglite`;
// the migration CLI is the `agentry-postgres` bin.

export type { PostgresCoordinatorOptions, PostgresListen } from './coordinator/postgres-coordinator';
export { createPostgresCoordinator } from './coordinator/postgres-coordinator';
export type {
  Migration,
  MigrationOptions,
  MigrationRunResult,
  MigrationState,
  MigrationStatusResult,
  RollbackOptions,
} from './migrations';
export { MIGRATIONS, migrate, migrationStatus, rollback } from './migrations';
export type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from './pool';
export type { PostgresStore, PostgresStoreOptions } from './store/postgres-store';
export { createPostgresStore } from './store/postgres-store';
export type { CleanupOptions, CleanupResult, RetentionLimits } from './store/retention';
// ---- test cases (issue 16 item 8) ----
export type { PostgresTestCaseStore, PostgresTestCaseStoreOptions } from './test-cases/postgres-test-case-store';
export { createPostgresTestCaseStore } from './test-cases/postgres-test-case-store';
// ---- end test cases ----
