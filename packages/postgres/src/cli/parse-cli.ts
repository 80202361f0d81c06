import { parseArgs } from 'node:util';

export const USAGE = `Usage: agentry-postgres <command> --url <postgres url> [options]

Commands:
  migrate    apply the pending migrations (in one transaction, under an advisory lock)
  rollback   undo the newest migration (or every one above --to)
  status     list the applied and the pending migrations

Options:
  --url <url>         the database, as its owner (default: $DATABASE_URL)
  --schema <name>     the schema of Agentry's tables (default: agentry)
  --app-role <role>   migrate: grant the application role what the store needs
  --to <version>      rollback: roll back every migration above this version
  --json              print the result as JSON
  -h, --help          show this help`;

export type CliCommand = 'migrate' | 'rollback' | 'status';

/** A command line, read and checked. */
export type CliRequest =
  | { type: 'help' }
  | { type: 'run'; command: CliCommand; url: string; schema?: string; appRole?: string; to?: number; json: boolean };

/** A command line the CLI cannot run: the message says what is wrong and what to type. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const COMMANDS: readonly CliCommand[] = ['migrate', 'rollback', 'status'];

export function parseCli(argv: readonly string[], environment: Record<string, string | undefined>): CliRequest {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { type: 'help' };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new CliUsageError(`Name a command: migrate, rollback or status.\n\n${USAGE}`);
  if (!COMMANDS.includes(command as CliCommand)) {
    throw new CliUsageError(`Unknown command "${command}": use migrate, rollback or status.\n\n${USAGE}`);
  }
  if (extra.length > 0) throw new CliUsageError(`Unexpected argument "${extra[0]}".\n\n${USAGE}`);
  const url = values.url ?? environment.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new CliUsageError(`Pass the database with --url postgres://owner@host:5432/db (or set DATABASE_URL).`);
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new CliUsageError('--url must start with postgres:// or postgresql://.');
  }
  let to: number | undefined;
  if (values.to !== undefined) {
    if (command !== 'rollback') throw new CliUsageError('--to applies to rollback only.');
    to = Number(values.to);
    if (!/^\d+$/.test(values.to) || !Number.isSafeInteger(to)) {
      throw new CliUsageError(`--to must be a version number (0, 1, 2, …), got "${values.to}".`);
    }
  }
  if (values['app-role'] !== undefined && command !== 'migrate') {
    throw new CliUsageError('--app-role applies to migrate only.');
  }
  const request: CliRequest = { type: 'run', command: command as CliCommand, url, json: values.json === true };
  if (values.schema !== undefined) request.schema = values.schema;
  if (values['app-role'] !== undefined) request.appRole = values['app-role'];
  if (to !== undefined) request.to = to;
  return request;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      schema: { type: 'string' },
      'app-role': { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
