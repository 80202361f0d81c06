// `@agentry/postgres`: Agentry's state on PostgreSQL. Imports no driver: pass any pg-compatible
// Pool (`pg`, Neon's serverless driver). The embedded PGlite engine is `@agentry/postgres/pglite`;
// the migration CLI is the `agentry-postgres` bin.

export type { PostgresCoordinatorOptions } from './coordinator/postgres-coordinator';
export { createPostgresCoordinator } from './coordinator/postgres-coordinator';
export type {
  PostgresListen,
  PostgresListenClient,
  PostgresListener,
  PostgresListenerOptions,
} from './coordinator/postgres-listener';
export { createPostgresListener } from './coordinator/postgres-listener';
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
// --- tapes (issue 14) ---
export type { PostgresTapeStoreOptions } from './tapes/postgres-tape-store';
export { createPostgresTapeStore } from './tapes/postgres-tape-store';
// --- end tapes ---
// ---- test cases (issue 16 item 8) ----
export type { PostgresTestCaseStore, PostgresTestCaseStoreOptions } from './test-cases/postgres-test-case-store';
export { createPostgresTestCaseStore } from './test-cases/postgres-test-case-store';
// ---- end test cases ----
