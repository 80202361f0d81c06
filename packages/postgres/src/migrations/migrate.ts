import { checkSchemaName, DEFAULT_SCHEMA, quoteIdentifier } from '../identifiers';
import { inTransaction, type PostgresPool, type PostgresPoolClient } from '../pool';
import { MIGRATIONS } from './all-migrations';
import { type Migration, renderMigrationSql } from './migration';

/** Options of {@link migrate}, {@link rollback} and {@link migrationStatus}. */
export interface MigrationOptions {
  /** A pool connected as a role that may create tables and policies in the schema (its owner). */
  pool: PostgresPool;
  /** The schema that holds Agentry's tables; created when missing. @default 'agentry' */
  schema?: string;
  /**
   * The role the application connects as (no superuser, no BYPASSRLS). When set, it is granted
   * what the store needs — usage of the schema, rows of its tables (read-only on the ledger),
   * its functions — every time `migrate` runs. @example 'agentry_app'
   */
  appRole?: string;
}

/** Options of {@link rollback}. */
export interface RollbackOptions extends MigrationOptions {
  /** Roll back every migration above this version. @default the version applied before the current one (one step) */
  to?: number;
}

/** One migration as the ledger knows it. */
export interface MigrationState {
  version: number;
  name: string;
  /** ISO 8601; absent while pending. */
  appliedAt?: string;
}

/** What {@link migrationStatus} reports. */
export interface MigrationStatusResult {
  schema: string;
  /** The highest applied version; 0 before the first migration. */
  current: number;
  /** The version this package expects (its newest migration). */
  latest: number;
  applied: MigrationState[];
  pending: MigrationState[];
}

/** What {@link migrate} and {@link rollback} did. */
export interface MigrationRunResult {
  schema: string;
  /** The migrations run (`up` for migrate, `down` for rollback), in the order they ran. */
  ran: MigrationState[];
  /** The version after the run. */
  current: number;
}

// One lock per schema, held until the transaction ends: two instances starting at once queue up
// instead of racing, and the second finds the work done.
const lockKey = (schema: string) => `agentry.migrations:${schema}`;

function ledgerSql(schema: string): string {
  return `
create schema if not exists ${schema};
create table if not exists ${schema}.migrations (
  version integer primary key,
  name text not null,
  applied_at timestamptz not null default now()
);
alter table ${schema}.migrations enable row level security;
alter table ${schema}.migrations force row level security;
do $$ begin
  if not exists (select 1 from pg_policies where schemaname = '${schema}' and tablename = 'migrations') then
    -- Not tenant data: the version ledger is readable by every role granted it (the app role
    -- only ever reads it), written only by the migrating owner.
    create policy ledger on ${schema}.migrations using (true) with check (true);
  end if;
end $$;`;
}

interface LedgerRow {
  version: number;
  name: string;
  applied_at: Date | string;
}

function toState(row: LedgerRow): MigrationState {
  const appliedAt = row.applied_at instanceof Date ? row.applied_at : new Date(row.applied_at);
  return { version: Number(row.version), name: row.name, appliedAt: appliedAt.toISOString() };
}

async function lockedLedger(client: PostgresPoolClient, schema: string): Promise<MigrationState[]> {
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [lockKey(schema)]);
  await client.query(ledgerSql(schema));
  const { rows } = await client.query(`select version, name, applied_at from ${schema}.migrations order by version`);
  return (rows as unknown as LedgerRow[]).map(toState);
}

function checkLedger(applied: MigrationState[], migrations: readonly Migration[], schema: string): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const unknown = applied.filter((state) => !migrations.some((migration) => migration.version === state.version));
  if (unknown.length > 0) {
    throw new Error(
      `Schema "${schema}" has migration ${unknown.map((state) => `${state.version} (${state.name})`).join(', ')}, which this version of @agentry/postgres does not know (it knows up to ${latest}). Upgrade @agentry/postgres, or roll back with the newer version first.`,
    );
  }
}

async function grantAppRole(client: PostgresPoolClient, schema: string, appRole: string): Promise<void> {
  const role = quoteIdentifier(appRole);
  const { rows } = await client.query('select rolsuper, rolbypassrls from pg_roles where rolname = $1', [appRole]);
  if (rows.length === 0) {
    throw new Error(
      `The app role ${role} does not exist. Create it first (create role ${role} login password '…' nosuperuser nobypassrls), then migrate again.`,
    );
  }
  await client.query(`
grant usage on schema ${schema} to ${role};
grant select, insert, update, delete on all tables in schema ${schema} to ${role};
revoke insert, update, delete on ${schema}.migrations from ${role};
grant execute on all functions in schema ${schema} to ${role};`);
}

/** Applies `migrations` above the ledger's version, in one transaction. Internal: tests pass their own. */
export async function runMigrations(
  options: MigrationOptions,
  migrations: readonly Migration[],
): Promise<MigrationRunResult> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'migrate');
  return inTransaction(options.pool, async (client) => {
    const applied = await lockedLedger(client, schema);
    checkLedger(applied, migrations, schema);
    const current = applied.at(-1)?.version ?? 0;
    const ran: MigrationState[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        await client.query(renderMigrationSql(migration.up, schema));
      } catch (error) {
        throw new Error(
          `Migration ${migration.version} (${migration.name}) failed; nothing was applied: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const { rows } = await client.query(
        `insert into ${schema}.migrations (version, name) values ($1, $2) returning version, name, applied_at`,
        [migration.version, migration.name],
      );
      ran.push(toState(rows[0] as unknown as LedgerRow));
    }
    if (options.appRole !== undefined) await grantAppRole(client, schema, options.appRole);
    return { schema, ran, current: ran.at(-1)?.version ?? current };
  });
}

/**
 * Brings the schema to this package's newest version: creates the schema and its ledger when
 * missing, then applies each pending migration, all in one transaction under an advisory lock
 * (instances that start together wait for each other; the later ones find nothing to do).
 * Safe to run on every start.
 */
export function migrate(options: MigrationOptions): Promise<MigrationRunResult> {
  return runMigrations(options, MIGRATIONS);
}

/** Rolls back `migrations` above `to`. Internal: tests pass their own. */
export async function runRollback(
  options: RollbackOptions,
  migrations: readonly Migration[],
): Promise<MigrationRunResult> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'rollback');
  if (options.to !== undefined && (!Number.isInteger(options.to) || options.to < 0)) {
    throw new TypeError(`rollback: to must be a version number (an integer ≥ 0), got ${String(options.to)}.`);
  }
  return inTransaction(options.pool, async (client) => {
    const applied = await lockedLedger(client, schema);
    checkLedger(applied, migrations, schema);
    const current = applied.at(-1)?.version ?? 0;
    // One step: back to the version applied before the newest (versions need not be contiguous).
    const target = options.to ?? applied.at(-2)?.version ?? 0;
    const ran: MigrationState[] = [];
    for (const state of [...applied].reverse()) {
      if (state.version <= target) break;
      const migration = migrations.find((candidate) => candidate.version === state.version) as Migration;
      try {
        await client.query(renderMigrationSql(migration.down, schema));
      } catch (error) {
        throw new Error(
          `Rolling back migration ${migration.version} (${migration.name}) failed; nothing was rolled back: ${(error as Error).message}`,
          { cause: error },
        );
      }
      await client.query(`delete from ${schema}.migrations where version = $1`, [state.version]);
      ran.push(state);
    }
    return { schema, ran, current: ran.length > 0 ? (applied.at(-1 - ran.length)?.version ?? 0) : current };
  });
}

/**
 * Undoes migrations, newest first, each with its `down` script, in one transaction under the
 * same advisory lock as {@link migrate}. One step by default; `to: 0` removes every table
 * (the data with it).
 */
export function rollback(options: RollbackOptions): Promise<MigrationRunResult> {
  return runRollback(options, MIGRATIONS);
}

/** Which migrations are applied and which are pending. Reads only (creates nothing). */
export async function migrationStatus(options: MigrationOptions): Promise<MigrationStatusResult> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA, 'migrationStatus');
  const { rows: exists } = await options.pool.query('select to_regclass($1) is not null as present', [
    `${schema}.migrations`,
  ]);
  const applied =
    exists[0]?.present === true
      ? (
          (await options.pool.query(`select version, name, applied_at from ${schema}.migrations order by version`))
            .rows as unknown as LedgerRow[]
        ).map(toState)
      : [];
  const current = applied.at(-1)?.version ?? 0;
  return {
    schema,
    current,
    latest: MIGRATIONS.at(-1)?.version ?? 0,
    applied,
    pending: MIGRATIONS.filter((migration) => migration.version > current).map(({ version, name }) => ({
      version,
      name,
    })),
  };
}
