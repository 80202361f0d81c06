import { PGlite } from '@electric-sql/pglite';
import { checkSchemaName, DEFAULT_SCHEMA, quoteIdentifier } from '../identifiers';
import { migrate } from '../migrations/migrate';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from '../pool';

/** Options of {@link createEmbeddedPool}. */
export interface EmbeddedPoolOptions {
  /**
   * The folder PGlite keeps its data in (created when missing); in memory when absent.
   * @example '.data/agentry'
   */
  dataDir?: string;
  /** A PGlite instance of your own, instead of `dataDir`. Closed by `close()` only when the pool created it. */
  database?: PGlite;
  /** The schema for Agentry's tables. @default 'agentry' */
  schema?: string;
  /**
   * The non-privileged role every query of the pool runs as, created when missing, so
   * row-level security applies as it does on a server (PGlite's own user is a superuser).
   * @default 'agentry_app'
   */
  appRole?: string;
}

/** A {@link PostgresPool} over an in-process PGlite database, migrated and ready. */
export interface EmbeddedPool extends PostgresPool {
  /** The PGlite instance (its own superuser; the pool's queries run as the app role). */
  readonly database: PGlite;
  /** Closes the database when the pool opened it. */
  close(): Promise<void>;
}

// PGlite is one connection: the pool queues callers so a transaction taken with connect() never
// has another caller's statement inside it.
function createQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <TResult>(work: () => Promise<TResult>): Promise<TResult> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function run(database: PGlite, text: string, values?: unknown[]): Promise<PostgresQueryResult> {
  // Without parameters, a script of several statements (migrations) runs as pg runs it.
  if (values === undefined || values.length === 0) {
    const results = await database.exec(text);
    return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
  }
  const result = await database.query(text, values);
  return { rows: result.rows as Record<string, unknown>[] };
}

/**
 * An embedded PostgreSQL for development, tests and single-process apps: PGlite (WASM, in
 * process) with Agentry's schema migrated and a non-privileged role created, so the same SQL and
 * the same row-level security run as on a server. Pass it to `createPostgresStore({ pool })`.
 *
 * @example
 * const pool = await createEmbeddedPool({ dataDir: '.data/agentry' });
 * const store = createPostgresStore({ pool });
 */
export async function createEmbeddedPool(options: EmbeddedPoolOptions = {}): Promise<EmbeddedPool> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createEmbeddedPool');
  const appRole = options.appRole ?? 'agentry_app';
  const role = quoteIdentifier(appRole);
  const owned = options.database === undefined;
  if (options.database === undefined && options.dataDir !== undefined && !options.dataDir.includes('://')) {
    // A folder on disk (not memory:// or idb://): create it, parents included.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(options.dataDir, { recursive: true });
  }
  const database = options.database ?? new PGlite(options.dataDir);
  await database.waitReady;
  const queue = createQueue();

  const ownerPool: PostgresPool = {
    query: (text, values) => queue(() => run(database, text, values)),
    connect: () => connectAs(undefined),
  };

  function connectAs(asRole: string | undefined): Promise<PostgresPoolClient> {
    return new Promise((resolveClient, rejectClient) => {
      queue(
        () =>
          new Promise<void>((released) => {
            const start = asRole === undefined ? Promise.resolve() : database.exec(`set role ${asRole}`);
            start.then(
              () =>
                resolveClient({
                  query: (text, values) => run(database, text, values),
                  release: () => {
                    const end = asRole === undefined ? Promise.resolve() : database.exec('reset role');
                    end.then(
                      () => released(),
                      () => released(),
                    );
                  },
                }),
              (error: unknown) => {
                rejectClient(error);
                released();
              },
            );
          }),
      );
    });
  }

  try {
    await ownerPool.query(
      `do $$ begin
         if not exists (select 1 from pg_roles where rolname = '${appRole.replaceAll("'", "''")}') then
           create role ${role} nologin nosuperuser nobypassrls;
         end if;
       end $$`,
    );
    await migrate({ pool: ownerPool, schema, appRole });
  } catch (error) {
    if (owned) await database.close();
    throw error;
  }

  return {
    database,
    query: (text, values) =>
      queue(() =>
        database.transaction(async (transaction) => {
          await transaction.exec(`set local role ${role}`);
          if (values === undefined || values.length === 0) {
            const results = await transaction.exec(text);
            return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
          }
          const result = await transaction.query(text, values);
          return { rows: result.rows as Record<string, unknown>[] };
        }),
      ),
    connect: () => connectAs(role),
    async close() {
      if (owned) await queue(() => database.close());
    },
  };
}
