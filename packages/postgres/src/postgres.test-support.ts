// Test backends: the embedded engine (PGlite, always) and the real server (when reachable).
// On a machine without a server the real-server suites skip with a loud warning; under CI=true
// a missing server fails the run.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from './migrations/migrate';
import { createEmbeddedPool } from './pglite/embedded-pool';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from './pool';

/** The admin URL of the test server (a superuser: it creates the role, the database and schemas). */
export const SERVER_ADMIN_URL = process.env.AGENTRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_DATABASE = 'agentry_test';
export const TEST_APP_ROLE = 'agentry_test_app';
export const TEST_BYPASS_ROLE = 'agentry_test_bypass';

/** The URL of a database of the test server, as a user (the admin when absent). */
export function urlFor(database: string, user?: string, password?: string): string {
  const url = new URL(SERVER_ADMIN_URL);
  url.pathname = `/${database}`;
  if (user !== undefined) {
    url.username = user;
    url.password = password ?? user;
  }
  return url.toString();
}

/** One database the tests run against: an owner pool (migrations) and an app pool (the store's role). */
export interface TestBackend {
  name: string;
  /** Connected as the non-privileged app role. */
  appPool: PostgresPool;
  /** Connected as a superuser (owner of the schema). */
  ownerPool: PostgresPool;
  /** A fresh, migrated schema; dropped by close(). */
  freshSchema(prefix?: string): Promise<string>;
  close(): Promise<void>;
}

let schemaCounter = 0;
function uniqueSchema(prefix: string): string {
  schemaCounter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`.toLowerCase();
}

// ---------- PGlite ----------

function pgliteRun(database: PGlite) {
  return async (text: string, values?: unknown[]): Promise<PostgresQueryResult> => {
    if (values === undefined || values.length === 0) {
      const results = await database.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    }
    return { rows: (await database.query(text, values)).rows as Record<string, unknown>[] };
  };
}

/** PGlite's own superuser, for migrations and checks. Tests use it one call at a time. */
export function pgliteOwnerPool(database: PGlite): PostgresPool {
  const query = pgliteRun(database);
  return { query, connect: async () => ({ query, release: () => undefined }) };
}

export async function createPgliteBackend(): Promise<TestBackend> {
  const { PGlite } = await import('@electric-sql/pglite');
  const database = new PGlite();
  await database.waitReady;
  const appPool = await createEmbeddedPool({ database, schema: 'agentry', appRole: TEST_APP_ROLE });
  const ownerPool = pgliteOwnerPool(database);
  return {
    name: 'PGlite',
    appPool,
    ownerPool,
    async freshSchema(prefix = 't') {
      const schema = uniqueSchema(prefix);
      await migrate({ pool: ownerPool, schema, appRole: TEST_APP_ROLE });
      return schema;
    },
    close: () => database.close(),
  };
}

// ---------- the real server ----------

export interface ServerProbe {
  available: boolean;
  reason?: string;
}

/** Whether the test server answers; under CI=true a missing server throws. */
export async function probeServer(): Promise<ServerProbe> {
  const client = new pg.Client({ connectionString: SERVER_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { available: true };
  } catch (error) {
    const reason = `PostgreSQL is not reachable at ${new URL(SERVER_ADMIN_URL).host} (${(error as Error).message})`;
    if (process.env.CI === 'true') {
      throw new Error(`${reason}. CI needs it: .ci/run starts it (pg_ctlcluster … main start).`);
    }
    console.warn(
      `\n${'!'.repeat(78)}\n!! ${reason}.\n!! The real-server tests of @agentry/postgres are SKIPPED; the PGlite ones still run.\n!! Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n${'!'.repeat(78)}\n`,
    );
    return { available: false, reason };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A backend the contract and coordinator suites run against, skipped (with why) when it is absent. */
export interface TestBackendEntry {
  name: string;
  skip?: string;
  create(): Promise<TestBackend>;
}

/** PGlite always; the real server when it answers (under CI=true a missing server throws). */
export async function testBackends(): Promise<{ server: ServerProbe; backends: TestBackendEntry[] }> {
  const server = await probeServer();
  return {
    server,
    backends: [
      { name: 'PGlite', create: createPgliteBackend },
      {
        name: 'PostgreSQL server',
        create: createServerBackend,
        ...(server.available ? {} : { skip: server.reason ?? 'no server' }),
      },
    ],
  };
}

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // duplicate_object, duplicate_database, unique_violation (two workers creating at once).
  return code === '42710' || code === '42P04' || code === '23505' || code === 'XX000';
}

async function ignoreDuplicate(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isDuplicate(error)) throw error;
  }
}

/**
 * Creates what the server tests need, idempotently (several test files may run it at once):
 * the app role (login, no superuser, no BYPASSRLS), a BYPASSRLS role the store must refuse, and
 * the test database.
 */
export async function prepareServer(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_ADMIN_URL });
  await admin.connect();
  try {
    const roles = await admin.query('select rolname from pg_roles where rolname = any($1)', [
      [TEST_APP_ROLE, TEST_BYPASS_ROLE],
    ]);
    const existing = new Set(roles.rows.map((row) => row.rolname));
    if (!existing.has(TEST_APP_ROLE)) {
      await ignoreDuplicate(
        admin.query(
          `create role ${TEST_APP_ROLE} login password '${TEST_APP_ROLE}' nosuperuser nobypassrls nocreatedb nocreaterole`,
        ),
      );
    }
    if (!existing.has(TEST_BYPASS_ROLE)) {
      await ignoreDuplicate(
        admin.query(`create role ${TEST_BYPASS_ROLE} login password '${TEST_BYPASS_ROLE}' nosuperuser bypassrls`),
      );
    }
    const database = await admin.query('select 1 from pg_database where datname = $1', [TEST_DATABASE]);
    if (database.rowCount === 0) await ignoreDuplicate(admin.query(`create database ${TEST_DATABASE}`));
  } finally {
    await admin.end();
  }
}

function poolOf(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that loses its server (a restart mid-suite) must not crash the worker.
  pool.on('error', () => undefined);
  return pool;
}

export async function createServerBackend(): Promise<TestBackend & { bypassPool: pg.Pool; adminPool: pg.Pool }> {
  await prepareServer();
  const ownerPool = poolOf(urlFor(TEST_DATABASE));
  const appPool = poolOf(urlFor(TEST_DATABASE, TEST_APP_ROLE));
  const bypassPool = poolOf(urlFor(TEST_DATABASE, TEST_BYPASS_ROLE), 1);
  const schemas: string[] = [];
  return {
    name: 'PostgreSQL server',
    appPool: appPool as unknown as PostgresPool,
    ownerPool: ownerPool as unknown as PostgresPool,
    adminPool: ownerPool,
    bypassPool,
    async freshSchema(prefix = 't') {
      const schema = uniqueSchema(prefix);
      schemas.push(schema);
      await migrate({ pool: ownerPool as unknown as PostgresPool, schema, appRole: TEST_APP_ROLE });
      await ownerPool.query(`grant usage on schema ${schema} to ${TEST_BYPASS_ROLE}`);
      return schema;
    },
    async close() {
      for (const schema of schemas) await ownerPool.query(`drop schema if exists ${schema} cascade`);
      await Promise.all([ownerPool.end(), appPool.end(), bypassPool.end()]);
    },
  };
}

export type { PostgresPoolClient };
