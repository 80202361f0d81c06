import {
  AgentryError,
  type Coordinator,
  decodeHistoryCursor,
  type ExecutionPage,
  type ExecutionResult,
  type ExecutionStore,
  encodeHistoryCursor,
  type ListExecutionsOptions,
  MAX_PAGE_SIZE,
} from '@agentry/core';
import { type RunFinisher, runFinisherOf } from '../coordinator/run-finish';
import { checkSchemaName, DEFAULT_SCHEMA } from '../identifiers';
import { MIGRATIONS } from '../migrations/all-migrations';
import type { PostgresPool } from '../pool';
import { type CleanupOptions, type CleanupResult, cleanupHistory, deleteTenantRows } from './retention';
import { connectionRole, privilegedRoleProblem, schemaVersion } from './role-check';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The pool the store queries through: a `pg.Pool`, Neon's serverless `Pool`, or the embedded
   * pool from `@agentry/postgres/pglite`. Connect it as the application role (no superuser, no
   * BYPASSRLS) so row-level security holds.
   */
  pool: PostgresPool;
  /** The schema `migrate()` created. @default 'agentry' */
  schema?: string;
  /**
   * Serve tenants even when the pool's role is a superuser or has BYPASSRLS, for which
   * row-level security does not apply. Local development only. @default false
   */
  allowPrivilegedRole?: boolean;
  /**
   * The coordinator of the same database and schema (`createPostgresCoordinator`), given to the
   * same executor. Linked, the save of a run the coordinator holds a lease for also writes the
   * run's buffered events, its final event and the release of its lease (with the budget
   * settlement), in one statement: a mock run costs two round trips instead of four or more.
   * @default undefined (not linked: each save is only the record)
   */
  coordinator?: Coordinator;
}

/** An {@link ExecutionStore} on PostgreSQL, with retention and tenant deletion. */
export interface PostgresStore extends ExecutionStore {
  /**
   * Checks the connection once (the role may not bypass row-level security; the schema is
   * migrated to this version). Every method waits for it; call it at startup to fail fast.
   * A failure to connect is retried on the next call; a refused role or schema is not.
   */
  ready(): Promise<void>;
  /** Applies retention: drops each tenant's records past a count and older than an age. */
  cleanup(options: CleanupOptions): Promise<CleanupResult>;
  /** Deletes every row of one tenant (a workspace that leaves). */
  deleteTenantData(tenantId: string): Promise<{ deleted: number }>;
}

const DEFAULT_PAGE = 20;
// A position above every real one: "from the newest".
const NEWEST = Number.MAX_SAFE_INTEGER;

function pageSize(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

// PostgreSQL text cannot hold NUL: no record can be stored under such an id, so none is found.
const storable = (value: string) => value !== '' && !value.includes('\u0000');

function checkRecord(record: ExecutionResult): void {
  for (const field of ['id', 'tenantId', 'agentId', 'status'] as const) {
    const value = record?.[field];
    if (typeof value !== 'string' || !storable(value)) {
      throw new AgentryError(
        'validation_failed',
        `The PostgreSQL store cannot save a record whose ${field} is ${typeof value === 'string' ? 'empty or holds NUL' : 'not a string'}.`,
        { issues: [{ path: [field], message: 'Expected a non-empty string without NUL.' }] },
      );
    }
  }
}

function storeFailure(operation: string, error: unknown): AgentryError {
  if (error instanceof AgentryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentryError('internal', `The PostgreSQL store failed to ${operation}: ${message}`, {
    cause: error,
    retryable: true,
  });
}

/**
 * An {@link ExecutionStore} on PostgreSQL (or PGlite). Each save, read and history page is one
 * statement — one round trip — that sets the tenant for row-level security inside its own
 * transaction. Run `migrate()` (or `agentry-postgres migrate`) first.
 *
 * @example
 * import pg from 'pg';
 * const store = createPostgresStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await store.ready();
 * const executor = createExecutor({ agents, store });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError(
      'createPostgresStore: pool must be a pg-compatible Pool (query and connect), such as new pg.Pool({ connectionString }).',
    );
  }
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createPostgresStore');
  const finisher = linkCoordinator(options.coordinator, schema);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  let checked: Promise<void> | undefined;

  async function check(): Promise<void> {
    const role = await connectionRole(pool);
    const refusal = options.allowPrivilegedRole === true ? undefined : privilegedRoleProblem(role);
    if (refusal !== undefined) throw new AgentryError('internal', refusal, { retryable: false });
    let version: number;
    try {
      version = await schemaVersion(pool, schema, role.role);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // No usage of the schema, or no right to read its ledger: a setup problem, not an outage.
      if (code === undefined || code === '42501') {
        throw new AgentryError('internal', (error as Error).message, { retryable: false, cause: error });
      }
      throw error;
    }
    if (version !== latest) {
      throw new AgentryError(
        'internal',
        version < latest
          ? `The PostgreSQL schema "${schema}" is at migration ${version}, this version of @agentry/postgres needs ${latest}. Run migrate() or: npx agentry-postgres migrate --url <owner url> --schema ${schema} --app-role ${role.role}`
          : `The PostgreSQL schema "${schema}" is at migration ${version}, newer than this version of @agentry/postgres knows (${latest}). Upgrade @agentry/postgres.`,
        { retryable: false },
      );
    }
  }

  function ready(): Promise<void> {
    if (checked === undefined) {
      checked = check().catch((error: unknown) => {
        // A refused role or schema stays refused; a connection that failed is tried again.
        if (!(error instanceof AgentryError)) checked = undefined;
        throw storeFailure('connect', error);
      });
    }
    return checked;
  }

  return {
    ready,

    async save(record) {
      checkRecord(record);
      await ready();
      try {
        // A run of the linked coordinator ends in one statement; anything else is a plain save.
        if (finisher !== undefined && (await finisher.finish(pool, record))) return;
        await pool.query(`select ${schema}.save_execution($1, $2, $3, $4, $5, $6, $7::json)`, [
          record.tenantId,
          record.id,
          record.agentId,
          record.status,
          record.startedAt,
          record.finishedAt,
          JSON.stringify(record),
        ]);
      } catch (error) {
        throw storeFailure('save an execution', error);
      }
    },

    async get(tenantId, executionId) {
      await ready();
      if (!storable(tenantId) || typeof executionId !== 'string' || !storable(executionId)) return undefined;
      try {
        const { rows } = await pool.query(`select ${schema}.get_execution($1, $2) as record`, [tenantId, executionId]);
        const stored = rows[0]?.record;
        return stored === null || stored === undefined ? undefined : (parseRecord(stored) as ExecutionResult);
      } catch (error) {
        throw storeFailure('read an execution', error);
      }
    },

    async list(tenantId, listOptions: ListExecutionsOptions = {}): Promise<ExecutionPage> {
      const before =
        listOptions.cursor === undefined ? NEWEST : decodeHistoryCursor(tenantId, listOptions.cursor, NEWEST);
      await ready();
      const agentId = listOptions.agentId;
      if (!storable(tenantId) || (agentId !== undefined && !storable(agentId))) return { items: [] };
      const limit = pageSize(listOptions.limit);
      let rows: Record<string, unknown>[];
      try {
        // One more than the page: whether another page follows, without a count.
        ({ rows } = await pool.query(
          `select page_position, page_record from ${schema}.list_executions($1, $2, $3, $4)`,
          [tenantId, agentId ?? null, before, limit + 1],
        ));
      } catch (error) {
        throw storeFailure('list the history', error);
      }
      const items = rows.slice(0, limit).map((row) => parseRecord(row.page_record) as ExecutionResult);
      const last = rows[limit - 1];
      return rows.length > limit && last !== undefined
        ? { items, nextCursor: encodeHistoryCursor(tenantId, Number(last.page_position)) }
        : { items };
    },

    async cleanup(cleanupOptions) {
      await ready();
      try {
        return await cleanupHistory(pool, schema, cleanupOptions);
      } catch (error) {
        throw storeFailure('apply retention', error);
      }
    },

    async deleteTenantData(tenantId) {
      if (typeof tenantId !== 'string' || !storable(tenantId)) {
        throw new AgentryError('validation_failed', 'deleteTenantData needs a tenant id (a non-empty string).', {
          issues: [{ path: ['tenantId'], message: 'Expected a non-empty string without NUL.' }],
        });
      }
      await ready();
      try {
        return await deleteTenantRows(pool, schema, tenantId);
      } catch (error) {
        throw storeFailure('delete tenant data', error);
      }
    },
  };
}

// Drivers parse `json` columns already; a driver configured to return text still works.
function parseRecord(stored: unknown): unknown {
  return typeof stored === 'string' ? JSON.parse(stored) : stored;
}

function linkCoordinator(coordinator: Coordinator | undefined, schema: string): RunFinisher | undefined {
  if (coordinator === undefined) return undefined;
  const finisher = runFinisherOf(coordinator);
  if (finisher === undefined) {
    throw new TypeError(
      'createPostgresStore: coordinator must come from createPostgresCoordinator (of @agentry/postgres), or be left out.',
    );
  }
  if (finisher.schema !== schema) {
    throw new TypeError(
      `createPostgresStore: the coordinator uses the schema "${finisher.schema}" and the store "${schema}". Give both the same schema.`,
    );
  }
  finisher.link();
  return finisher;
}
