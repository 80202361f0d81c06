import { AgentryError } from '@agentry/core';
import {
  parseTapeFile,
  SAVED_MOCK_FORMAT,
  type SavedMockFile,
  TAPE_FORMAT,
  TAPE_FORMAT_VERSION,
  type TapeAddress,
  type TapeEntry,
  type TapeStore,
} from '@agentry/core/tapes';
import { checkSchemaName, DEFAULT_SCHEMA } from '../identifiers';
import { inTransaction, type PostgresPool, type PostgresPoolClient } from '../pool';

/** Options of {@link createPostgresTapeStore}. */
export interface PostgresTapeStoreOptions {
  /** The application's pool (the role row-level security applies to). */
  pool: PostgresPool;
  /** The schema `migrate()` created (migration 3 holds the table). @default 'agentry' */
  schema?: string;
}

function checkAddress(address: TapeAddress): TapeAddress {
  if (typeof address?.tenantId !== 'string' || address.tenantId === '') {
    throw new TypeError('A tape address needs a tenantId (a non-empty string).');
  }
  if (typeof address.agentId !== 'string' || address.agentId === '') {
    throw new TypeError('A tape address needs an agentId (a non-empty string).');
  }
  return address;
}

function failure(operation: string, where: string, error: unknown): unknown {
  if (error instanceof AgentryError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentryError('internal', `The PostgreSQL tape store failed to ${operation} ${where}: ${message}`, {
    cause: error,
    retryable: true,
  });
}

async function asTenant(client: PostgresPoolClient, tenantId: string): Promise<void> {
  await client.query(`select set_config('agentry.tenant_id', $1, true)`, [tenantId]);
}

/**
 * A {@link TapeStore} on PostgreSQL (or PGlite): one row per recorded call in `tape_entries`,
 * keyed by tenant, agent, key and attempt, under row-level security, so a tape recorded for one
 * tenant is never served to another. Every statement runs in a transaction that sets
 * `agentry.tenant_id` to the address's tenant. Run `migrate()` first (migration 3).
 *
 * @example
 * const tapes = createPostgresTapeStore({ pool });
 * const openai = tapeProvider({ store: tapes }, { live: openaiProvider({ apiKey }) });
 */
export function createPostgresTapeStore(options: PostgresTapeStoreOptions): TapeStore {
  const { pool } = options;
  if (typeof pool?.query !== 'function' || typeof pool.connect !== 'function') {
    throw new TypeError('createPostgresTapeStore: pool must be a pg-compatible Pool (query and connect).');
  }
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'createPostgresTapeStore');
  const table = `${schema}.tape_entries`;
  const describe = (address: TapeAddress) =>
    `postgres:${table} (tenant ${JSON.stringify(address.tenantId)}, agent ${JSON.stringify(address.agentId)})`;

  return {
    describe,

    async saveMock(address, mock) {
      checkAddress(address);
      const where = `postgres:${schema}.tape_mocks (tenant ${JSON.stringify(address.tenantId)}, agent ${JSON.stringify(address.agentId)})`;
      try {
        await inTransaction(pool, async (client) => {
          await asTenant(client, address.tenantId);
          await client.query(
            `insert into ${schema}.tape_mocks (tenant_id, agent_id, execution_id, saved_at, mock) values ($1, $2, $3, $4, $5)
             on conflict (tenant_id, agent_id) do update set execution_id = excluded.execution_id, saved_at = excluded.saved_at, mock = excluded.mock`,
            [address.tenantId, address.agentId, mock.executionId, mock.savedAt, JSON.stringify(mock)],
          );
        });
      } catch (error) {
        throw failure('save the mock of', where, error);
      }
      return where;
    },

    async readMock(address) {
      checkAddress(address);
      const rows = await inTransaction(pool, async (client) => {
        await asTenant(client, address.tenantId);
        return (
          await client.query(`select mock from ${schema}.tape_mocks where tenant_id = $1 and agent_id = $2`, [
            address.tenantId,
            address.agentId,
          ])
        ).rows as { mock: unknown }[];
      });
      const mock = rows[0]?.mock;
      if (mock === undefined) return undefined;
      const value = (typeof mock === 'string' ? JSON.parse(mock) : mock) as SavedMockFile;
      if (value?.format !== SAVED_MOCK_FORMAT) {
        throw new AgentryError(
          'internal',
          `The mock saved in ${schema}.tape_mocks for agent "${address.agentId}" is not an Agentry mock.`,
        );
      }
      return value;
    },

    async read(address) {
      checkAddress(address);
      const where = describe(address);
      let rows: { entry: unknown; format_version: number }[];
      try {
        rows = await inTransaction(pool, async (client) => {
          await asTenant(client, address.tenantId);
          const result = await client.query(
            `select entry, format_version from ${table} where tenant_id = $1 and agent_id = $2 order by key, attempt`,
            [address.tenantId, address.agentId],
          );
          return result.rows as { entry: unknown; format_version: number }[];
        });
      } catch (error) {
        throw failure('read', where, error);
      }
      if (rows.length === 0) return [];
      // Checked like a tape file (zod, the version refused with the upgrade hint when newer).
      const version = Math.max(...rows.map((row) => row.format_version));
      const document = {
        format: TAPE_FORMAT,
        version,
        tenantId: address.tenantId,
        agentId: address.agentId,
        entries: rows.map((row) => (typeof row.entry === 'string' ? JSON.parse(row.entry) : row.entry)),
      };
      return parseTapeFile(JSON.stringify(document), where).entries;
    },

    async write(address, entries) {
      checkAddress(address);
      const where = describe(address);
      // Checked before anything is written: a bad entry never reaches the table.
      const checked = parseTapeFile(
        JSON.stringify({ format: TAPE_FORMAT, version: TAPE_FORMAT_VERSION, ...address, entries }),
        `${where} (entries to write)`,
      ).entries;
      try {
        await inTransaction(pool, async (client) => {
          await asTenant(client, address.tenantId);
          for (const entry of checked) await writeEntry(client, address, entry);
        });
      } catch (error) {
        throw failure('write', where, error);
      }
    },
  };

  /** As `mergeTapeEntries`: replaces the entry with this key and attempt, and drops the key's later attempts. */
  async function writeEntry(client: PostgresPoolClient, address: TapeAddress, entry: TapeEntry): Promise<void> {
    const values = [address.tenantId, address.agentId, entry.key, entry.attempt];
    await client.query(
      `delete from ${table} where tenant_id = $1 and agent_id = $2 and key = $3 and attempt > $4`,
      values,
    );
    await client.query(
      `insert into ${table} (tenant_id, agent_id, key, attempt, format_version, recorded_at, entry)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (tenant_id, agent_id, key, attempt)
       do update set format_version = excluded.format_version, recorded_at = excluded.recorded_at, entry = excluded.entry`,
      [...values, TAPE_FORMAT_VERSION, entry.recordedAt, JSON.stringify(entry)],
    );
  }
}
