/** The rows of one query, as `pg` (and every driver modelled on it) returns them. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
}

/** One connection taken from a {@link PostgresPool}; `release()` gives it back. */
export interface PostgresPoolClient {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  release(error?: Error | boolean): void;
  /** `pg`'s client events: a checked-out client whose connection drops emits `error`. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
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
  // pg's pool stops listening to a client's `error` while it is checked out: a connection that
  // drops between two statements would otherwise be an uncaught exception that ends the process.
  // The statement in flight (or the next one) fails instead, and the client is discarded.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on?.('error', onError);
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
    client.removeListener?.('error', onError);
    client.release(broken);
  }
}
