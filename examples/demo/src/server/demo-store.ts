// Where the demo keeps its execution history:
// - DATABASE_URL set: that PostgreSQL database, migrated on start (the role must not be a
//   superuser or have BYPASSRLS; AGENTRY_ALLOW_PRIVILEGED_ROLE=true accepts one, locally);
// - otherwise: an embedded PGlite under examples/demo/.data/ (git-ignored), so history survives
//   a restart;
// - AGENTRY_STORE=memory: in memory, as before (lost on restart).
import { createMemoryTestCaseStore, type ExecutionStore, type TestCaseStore } from '@agentry/core';
import { createPostgresStore, createPostgresTestCaseStore, migrate, type PostgresPool } from '@agentry/postgres';

export interface DemoStore {
  /** `undefined`: the executor's default in-memory store. */
  store: ExecutionStore | undefined;
  /** Saved test cases: in the same database as the history. */
  testCases: TestCaseStore;
  /** One line for the console: where history lives. */
  summary: string;
  close(): Promise<void>;
}

export async function createDemoStore(environment: Record<string, string | undefined>): Promise<DemoStore> {
  if (environment.AGENTRY_STORE === 'memory') {
    return {
      store: undefined,
      testCases: createMemoryTestCaseStore(),
      summary: 'History and test cases: in memory (AGENTRY_STORE=memory).',
      close: async () => undefined,
    };
  }
  const url = environment.DATABASE_URL;
  if (url !== undefined && url !== '') {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('error', () => undefined);
    await migrate({ pool: pool as unknown as PostgresPool });
    const store = createPostgresStore({
      pool: pool as unknown as PostgresPool,
      allowPrivilegedRole: environment.AGENTRY_ALLOW_PRIVILEGED_ROLE === 'true',
    });
    await store.ready();
    const testCases = createPostgresTestCaseStore({
      pool: pool as unknown as PostgresPool,
      allowPrivilegedRole: environment.AGENTRY_ALLOW_PRIVILEGED_ROLE === 'true',
    });
    await testCases.ready();
    const { host, pathname } = new URL(url);
    return {
      store,
      testCases,
      summary: `History and test cases: PostgreSQL at ${host}${pathname}.`,
      close: () => pool.end(),
    };
  }
  const { createEmbeddedPool } = await import('@agentry/postgres/pglite');
  const dataDir = new URL('../.data/agentry', import.meta.url).pathname;
  const pool = await createEmbeddedPool({ dataDir });
  const store = createPostgresStore({ pool });
  await store.ready();
  const testCases = createPostgresTestCaseStore({ pool });
  await testCases.ready();
  return {
    store,
    testCases,
    summary: `History and test cases: embedded PGlite in ${dataDir}.`,
    close: () => pool.close(),
  };
}
