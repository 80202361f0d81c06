/**
 * One versioned schema change. `up` and `down` are SQL scripts in which `{{schema}}` stands for
 * the (checked, unquoted) schema name; each runs inside the migration's transaction, so a failing
 * statement leaves the database as it was.
 */
export interface Migration {
  /** 1, 2, 3, …: applied in this order, rolled back in the reverse. */
  version: number;
  /** A short kebab-case name, shown by `agentry-postgres status`. */
  name: string;
  up: string;
  down: string;
}

/** A migration's script for one schema. */
export function renderMigrationSql(sql: string, schema: string): string {
  return sql.replaceAll('{{schema}}', schema);
}
