/** The rows of one query, as `pg` (and every driver modelled on it) returns them. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
}

/** One connection taken from a {@link PostgresPool}; `release()` gives it back. */
export interface PostgresPoolClient {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  release(error?: Error | boolean): void;
}

/**
 * What the store needs of a connection pool: the shape of `pg`'s `Pool`. A `pg.Pool`, Neon's
 * serverless `Pool` (`@neondatabase/serverless`) and the embedded pool of
 * `@agentry/postgres/pglite` all fit. Single statements go through `query` (one round trip
 * each); transactions take a client with `connect`.
 */
export interface PostgresPool {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  connect(): Promise<PostgresPoolClient>;
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
 * it throws. The connection is released either way (and discarded when the rollback itself fails).
 */
export async function inTransaction<TResult>(
  pool: PostgresPool,
  work: (client: PostgresPoolClient) => Promise<TResult>,
): Promise<TResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
