import { AgentryError, type TestCase, type TestCaseStore } from '@agentry/core';
import { checkSchemaName, DEFAULT_SCHEMA } from '../identifiers';
import { MIGRATIONS } from '../migrations/all-migrations';
import { inTransaction, type PostgresPool } from '../pool';
import { connectionRole, privilegedRoleProblem, schemaVersion } from '../store/role-check';

/** Options of {@link createPostgresTestCaseStore}. */
export interface PostgresTestCaseStoreOptions {
  /** A pg-compatible pool connected as the application role (no superuser, no BYPASSRLS). */
  pool: PostgresPool;
  /** The schema `migrate()` created. @default 'agentry' */
  schema?: string;
  /** Serve tenants even when the pool's role bypasses row-level security. Local development only. @default false */
  allowPrivilegedRole?: boolean;
}

/** A {@link TestCaseStore} on PostgreSQL, with a startup check. */
export interface PostgresTestCaseStore extends TestCaseStore {
  /** Checks the role (may not bypass row-level security) and the schema's migration; every method waits for it. */
  ready(): Promise<void>;
}

// PostgreSQL text cannot hold NUL: no case can be stored under such an id, so none is found.
const storable = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !value.includes('\u0000');

function failure(operation: string, error: unknown): AgentryError {
  if (error instanceof AgentryError) return error;
  return new AgentryError(
    'internal',
    `The PostgreSQL test-case store failed to ${operation}: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
      retryable: true,
    },
  );
}

function checkIds(testCase: TestCase): void {
  for (const field of ['id', 'tenantId', 'agentId'] as const) {
    if (!storable(testCase?.[field])) {
      throw new AgentryError(
        'validation_failed',
        `The PostgreSQL store cannot save a test case whose ${field} is empty, not a string, or holds NUL.`,
        {
          issues: [{ path: [field], message: 'Expected a non-empty string without NUL.' }],
        },
      );
    }
  }
}

// Drivers parse `json` columns already; a driver configured to return text still works.
const parse = (stored: unknown): TestCase => (typeof stored === 'string' ? JSON.parse(stored) : stored) as TestCase;

/**
 * Saved test cases in PostgreSQL (or PGlite), table `test_cases` of migration 4, under
 * row-level security: each statement sets the tenant for its own transaction.
 *
 * @example
 * const testCases = createPostgresTestCaseStore({ pool });
 * const handler = createHandler({ executor, resolveTenant, testCases: { store: testCases } });
 */
export function createPostgresTestCaseStore(options: PostgresTestCaseStoreOptions): PostgresTestCaseStore {
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('createPostgresTestCaseStore: pool must be a pg-compatible Pool (query and connect).');
  }
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createPostgresTestCaseStore');
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  let checked: Promise<void> | undefined;

  async function check(): Promise<void> {
    const role = await connectionRole(pool);
    const refusal = options.allowPrivilegedRole === true ? undefined : privilegedRoleProblem(role);
    if (refusal !== undefined) throw new AgentryError('internal', refusal, { retryable: false });
    const version = await schemaVersion(pool, schema, role.role);
    if (version < testCasesVersion) {
      throw new AgentryError(
        'internal',
        `The PostgreSQL schema "${schema}" is at migration ${version}; saved test cases need ${latest}. Run migrate() or: npx agentry-postgres migrate --url <owner url> --schema ${schema} --app-role ${role.role}`,
        { retryable: false },
      );
    }
  }

  function ready(): Promise<void> {
    if (checked === undefined) {
      checked = check().catch((error: unknown) => {
        if (!(error instanceof AgentryError)) checked = undefined;
        throw failure('connect', error);
      });
    }
    return checked;
  }

  return {
    ready,

    async list(tenantId, agentId) {
      await ready();
      if (!storable(tenantId) || !storable(agentId)) return [];
      try {
        const { rows } = await pool.query(`select listed from ${schema}.list_test_cases($1, $2)`, [tenantId, agentId]);
        return rows.map((row) => parse(row.listed));
      } catch (error) {
        throw failure('list test cases', error);
      }
    },

    async get(tenantId, agentId, testCaseId) {
      await ready();
      if (!storable(tenantId) || !storable(agentId) || !storable(testCaseId)) return undefined;
      try {
        const { rows } = await pool.query(`select ${schema}.get_test_case($1, $2, $3) as found`, [
          tenantId,
          agentId,
          testCaseId,
        ]);
        const found = rows[0]?.found;
        return found === null || found === undefined ? undefined : parse(found);
      } catch (error) {
        throw failure('read a test case', error);
      }
    },

    async create(testCase, { maxPerAgent }) {
      checkIds(testCase);
      await ready();
      try {
        const { rows } = await pool.query(
          `select ${schema}.create_test_case($1, $2, $3, $4, $5::json, $6) as created`,
          [testCase.tenantId, testCase.agentId, testCase.id, testCase.createdAt, JSON.stringify(testCase), maxPerAgent],
        );
        return rows[0]?.created === true;
      } catch (error) {
        throw failure('save a test case', error);
      }
    },

    async update(testCase) {
      checkIds(testCase);
      await ready();
      try {
        return await inTransaction(pool, async (client) => {
          await client.query(`select set_config('agentry.tenant_id', $1, true)`, [testCase.tenantId]);
          // The whole case, read here: `->>` in SQL decodes every string of it to text, which
          // refuses a case holding a NUL or a lone surrogate.
          const { rows } = await client.query(
            `select test_case from ${schema}.test_cases where tenant_id = $1 and agent_id = $2 and id = $3 for update`,
            [testCase.tenantId, testCase.agentId, testCase.id],
          );
          const created = rows[0] === undefined ? undefined : parse(rows[0].test_case).createdAt;
          if (typeof created !== 'string') return undefined;
          const updated: TestCase = { ...testCase, createdAt: created };
          await client.query(
            `update ${schema}.test_cases set updated_at = $4, test_case = $5::json
              where tenant_id = $1 and agent_id = $2 and id = $3`,
            [testCase.tenantId, testCase.agentId, testCase.id, testCase.updatedAt, JSON.stringify(updated)],
          );
          return updated;
        });
      } catch (error) {
        throw failure('update a test case', error);
      }
    },

    async delete(tenantId, agentId, testCaseId) {
      await ready();
      if (!storable(tenantId) || !storable(agentId) || !storable(testCaseId)) return false;
      try {
        const { rows } = await pool.query(`select ${schema}.delete_test_case($1, $2, $3) as deleted`, [
          tenantId,
          agentId,
          testCaseId,
        ]);
        return rows[0]?.deleted === true;
      } catch (error) {
        throw failure('delete a test case', error);
      }
    },
  };
}

// The migration that created `test_cases`: a schema at or past it serves test cases.
const testCasesVersion = 4;
