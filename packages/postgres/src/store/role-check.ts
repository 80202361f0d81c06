import type { PostgresPool } from '../pool';

/** Who the pool's connections are. */
export interface ConnectionRole {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
}

/** The role of the pool's connections, from `pg_roles`. */
export async function connectionRole(pool: PostgresPool): Promise<ConnectionRole> {
  const { rows } = await pool.query(
    'select current_user as role, rolsuper as superuser, rolbypassrls as bypass_rls from pg_roles where rolname = current_user',
  );
  const row = rows[0];
  if (row === undefined) throw new Error('PostgreSQL did not report the current role (pg_roles has no row for it).');
  return { role: String(row.role), superuser: row.superuser === true, bypassRls: row.bypass_rls === true };
}

/**
 * The schema's highest applied migration (0 when it has none), or a message saying why the role
 * cannot read it.
 */
export async function schemaVersion(pool: PostgresPool, schema: string, role: string): Promise<number> {
  // One round trip; the privilege is only asked of a schema that exists (it throws otherwise).
  const { rows } = await pool.query(
    `select n.oid is not null as present,
            case when n.oid is null then false else has_schema_privilege(current_user, n.oid, 'usage') end as usable,
            to_regclass($2) is not null as ledger
       from (select 1) one left join pg_namespace n on n.nspname = $1`,
    [schema, `${schema}.migrations`],
  );
  const state = rows[0];
  if (state?.present === true && state.usable !== true) {
    throw new Error(
      `The role "${role}" may not use schema "${schema}". Grant it: npx agentry-postgres migrate --url <owner url> --schema ${schema} --app-role ${role}`,
    );
  }
  if (state?.ledger !== true) return 0;
  const ledger = await pool.query(`select coalesce(max(version), 0) as version from ${schema}.migrations`);
  return Number(ledger.rows[0]?.version ?? 0);
}

/**
 * Why this connection must not serve tenants, or `undefined` when it may. A superuser or a role
 * with BYPASSRLS skips row-level security, so one missing `where tenant_id` would read every
 * tenant's rows: the store refuses it unless the host opts out.
 */
export function privilegedRoleProblem(check: ConnectionRole): string | undefined {
  if (!check.superuser && !check.bypassRls) return undefined;
  const what = check.superuser ? 'a superuser' : 'a role with BYPASSRLS';
  return `The PostgreSQL store is connected as "${check.role}", ${what}: row-level security does not apply to it, so tenant isolation would rest on the SQL alone. Connect as an application role instead (create role agentry_app login password '…' nosuperuser nobypassrls; then run agentry-postgres migrate --app-role agentry_app as the owner), or pass allowPrivilegedRole: true to accept the risk (local development only).`;
}
