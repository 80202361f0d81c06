/** The schema Agentry's tables live in unless the host picks another. */
export const DEFAULT_SCHEMA = 'agentry';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a schema name before it is spliced into SQL (identifiers cannot be bound as
 * parameters): lower-case letters, digits and `_`, at most 63 characters.
 */
export function checkSchemaName(schema: unknown, where: string): string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `${where}: schema must be a PostgreSQL name of lower-case letters, digits and _ (at most 63, not starting with a digit), got ${JSON.stringify(schema)}.`,
    );
  }
  return schema;
}

/** `name` as a quoted SQL identifier (`"app ""role"""`), for role names from the host. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000'))
    throw new TypeError('An SQL identifier cannot be empty or hold NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}
