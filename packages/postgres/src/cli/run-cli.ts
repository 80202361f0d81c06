import type { MigrationRunResult, MigrationStatusResult } from '../migrations';
import { migrate, migrationStatus, rollback } from '../migrations';
import type { PostgresPool } from '../pool';
import { CliUsageError, parseCli, USAGE } from './parse-cli';
import { displayUrl, scrubUrlSecrets } from './redact-url';

/** What the CLI needs from its surroundings; tests pass their own. */
export interface CliEnvironment {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  /** Opens a pool for the URL; `end()` closes it. */
  openPool(url: string): Promise<PostgresPool & { end(): Promise<void> }>;
}

function describeRun(verb: string, result: MigrationRunResult): string {
  if (result.ran.length === 0) return `Nothing to ${verb}: schema "${result.schema}" is at version ${result.current}.`;
  const lines = result.ran.map((state) => `  ${verb === 'migrate' ? '↑' : '↓'} ${state.version} ${state.name}`);
  return `${verb === 'migrate' ? 'Applied' : 'Rolled back'} in schema "${result.schema}":\n${lines.join('\n')}\nNow at version ${result.current}.`;
}

function describeStatus(status: MigrationStatusResult): string {
  const lines = [
    `Schema "${status.schema}": version ${status.current} of ${status.latest}.`,
    ...status.applied.map((state) => `  applied  ${state.version} ${state.name} (${state.appliedAt})`),
    ...status.pending.map((state) => `  pending  ${state.version} ${state.name}`),
  ];
  return lines.join('\n');
}

/** Runs one command line; resolves with the exit code. Never prints the URL's password. */
export async function runCli(environment: CliEnvironment): Promise<number> {
  let url: string | undefined;
  try {
    const request = parseCli(environment.argv, environment.env);
    if (request.type === 'help') {
      environment.out(USAGE);
      return 0;
    }
    url = request.url;
    const pool = await environment.openPool(request.url);
    try {
      const options = { pool, ...(request.schema === undefined ? {} : { schema: request.schema }) };
      let result: MigrationRunResult | MigrationStatusResult;
      let text: string;
      if (request.command === 'status') {
        result = await migrationStatus(options);
        text = describeStatus(result);
      } else if (request.command === 'migrate') {
        result = await migrate(request.appRole === undefined ? options : { ...options, appRole: request.appRole });
        text = describeRun('migrate', result);
      } else {
        result = await rollback(request.to === undefined ? options : { ...options, to: request.to });
        text = describeRun('roll back', result);
      }
      environment.out(request.json ? JSON.stringify(result, null, 2) : text);
      return 0;
    } finally {
      await pool.end().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      environment.err(scrubUrlSecrets(error.message, url));
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const where = url === undefined ? '' : ` (database: ${displayUrl(url)})`;
    environment.err(scrubUrlSecrets(`agentry-postgres: ${message}${where}`, url));
    return 1;
  }
}
