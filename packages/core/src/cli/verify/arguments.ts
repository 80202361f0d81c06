import { parseArgs } from 'node:util';

/** Where a credential comes from, and how it is sent. Never the value itself. */
export interface CredentialSource {
  /** `bearer`: `Authorization: Bearer <value>`; `cookie`: `Cookie: <value>`; `header`: the value is a whole `Name: value` line. */
  kind: 'bearer' | 'cookie' | 'header';
  from: 'env' | 'file';
  /** The variable's name or the file's path. */
  name: string;
  /** The flag it came from, for messages. */
  flag: '--auth' | '--auth-b';
}

/** The bounded load phase: this many requests at once, for this long. */
export interface LoadOptions {
  concurrency: number;
  durationMs: number;
}

/** Everything `agentry verify` was asked to do, checked. */
export interface VerifyOptions {
  url: URL;
  auth?: CredentialSource;
  authB?: CredentialSource;
  live: boolean;
  maxTokens: number;
  samples: number;
  load?: LoadOptions;
  logs?: string;
  json: boolean;
  report?: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** Bad command-line input: the message names the flag and says what to do. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const VERIFY_HELP = `agentry verify: run the deployment checklist against a deployed Agentry endpoint.

Usage
  npx agentry verify --url <endpoint> [--auth <credential>] [--auth-b <credential>] [options]

Target and credentials
  --url <url>            Where the Agentry handler is mounted, e.g. https://staging.example.com/api/agentry
  --auth <credential>    Tenant A's credential. Read from an environment variable or a file, never
                         given on the command line:  env:NAME  or  file:PATH
                         Prefix how to send it: bearer: (default, "Authorization: Bearer …"),
                         cookie: ("Cookie: …"), header: (the value is a whole "Name: value" line).
                         e.g. --auth env:STAGING_TOKEN_A   --auth cookie:file:./session-a.txt
  --auth-b <credential>  Tenant B's credential, for the cross-tenant probes (a different tenant).

Phases (all bounded; mock runs only unless --live)
  --samples <n>          Mock runs for the p50/p95 latency (default 20).
  --live                 Also run each agent that has live mode once, live (costs tokens).
  --max-tokens <n>       Token cap per live run: the stream is closed past it (default 64).
  --load <CxD>           Bounded load: C requests at once for D, e.g. 20x30s, 5x500ms, 50x2m.
                         Mock runs on the given URL only; stops by itself. Not run without it.
  --logs <file.jsonl>    The server's JSON log: checked for tenant_id, user_id, duration_ms and secrets.
  --timeout <ms>         Per request (default 15000).
  --max-body-bytes <n>   The handler's maxBodyBytes, for the oversize-body probe (default 1048576).

Output
  --json                 Print the result as JSON (for CI).
  --report <file.html>   Write a self-contained sign-off page (checklist, latency histogram, errors).
  -h, --help             This help.

Exit code: 0 when no item is ❌, 1 when one is, 2 when verify could not run (bad flags,
unreachable URL, not an Agentry endpoint, refused credentials, timeout).
`;

const FLAGS = {
  url: { type: 'string' },
  auth: { type: 'string' },
  'auth-b': { type: 'string' },
  live: { type: 'boolean' },
  'max-tokens': { type: 'string' },
  samples: { type: 'string' },
  load: { type: 'string' },
  logs: { type: 'string' },
  json: { type: 'boolean' },
  report: { type: 'string' },
  timeout: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const MAX_CONCURRENCY = 500;
const MAX_LOAD_MS = 10 * 60_000;

/** Parses `verify`'s arguments; `'help'` when help was asked for. Throws {@link UsageError}. */
export function parseVerifyArguments(argv: readonly string[]): VerifyOptions | 'help' {
  // Help wins over everything else on the line, even a flag it does not know.
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let values: { [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (values.help) return 'help';
  if (values.url === undefined) {
    throw new UsageError(
      'Missing --url: pass where the Agentry handler is mounted, e.g. --url https://staging.example.com/api/agentry',
    );
  }
  const options: VerifyOptions = {
    url: parseUrl(values.url),
    live: values.live === true,
    maxTokens: integer('--max-tokens', values['max-tokens'], 64, 1, 100_000),
    samples: integer('--samples', values.samples, 20, 1, 10_000),
    json: values.json === true,
    timeoutMs: integer('--timeout', values.timeout, 15_000, 100, 600_000),
    maxBodyBytes: integer('--max-body-bytes', values['max-body-bytes'], 1_048_576, 1, 512 * 1_048_576),
  };
  if (values.auth !== undefined) options.auth = parseCredentialSource('--auth', values.auth);
  if (values['auth-b'] !== undefined) options.authB = parseCredentialSource('--auth-b', values['auth-b']);
  if (values.load !== undefined) options.load = parseLoad(values.load);
  if (values.logs !== undefined) options.logs = nonEmpty('--logs', values.logs);
  if (values.report !== undefined) options.report = nonEmpty('--report', values.report);
  return options;
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1];
  const help = 'Run "agentry verify --help" for the flags.';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown flag ${flag ?? message}. ${help}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `Unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}: every value follows its flag (--url <url>). ${help}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return `${flag ?? 'A flag'} ${flag && FLAGS[flag.replace(/^-+/, '') as keyof typeof FLAGS]?.type === 'boolean' ? 'takes no value' : 'needs a value'}. ${help}`;
  }
  return `${message} ${help}`;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${flag} needs a value; got an empty one.`);
  return value;
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--url is not a URL: "${raw}". Pass the full address where the handler is mounted, e.g. https://staging.example.com/api/agentry`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--url must be http:// or https://; got ${url.protocol}//…`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError(
      '--url carries a user name or password: remove it and pass the credential with --auth env:NAME or --auth file:PATH.',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError('--url must not have a query string or fragment: pass the mount path only.');
  }
  return url;
}

/** `[bearer:|cookie:|header:](env:NAME|file:PATH)`; a literal value is refused without being repeated. */
export function parseCredentialSource(flag: '--auth' | '--auth-b', raw: string): CredentialSource {
  let rest = raw;
  let kind: CredentialSource['kind'] = 'bearer';
  const kindMatch = /^(bearer|cookie|header):/i.exec(rest);
  if (kindMatch) {
    kind = kindMatch[1]?.toLowerCase() as CredentialSource['kind'];
    rest = rest.slice(kindMatch[0].length);
  }
  const sourceMatch = /^(env|file):(.+)$/i.exec(rest);
  if (!sourceMatch) {
    throw new UsageError(
      `${flag} takes env:NAME or file:PATH (optionally after bearer:, cookie: or header:), e.g. ${flag} env:STAGING_TOKEN_A. A credential typed on the command line would stay in your shell history and the process list, so it is refused (the value given is not repeated here).`,
    );
  }
  const from = sourceMatch[1]?.toLowerCase() as CredentialSource['from'];
  const name = sourceMatch[2] as string;
  if (from === 'env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`${flag} env:${name}: not an environment variable name (letters, digits and _).`);
  }
  return { kind, from, name, flag };
}

/** `20x30s`, `5x500ms`, `50x2m`: concurrency × duration, both bounded. */
export function parseLoad(raw: string): LoadOptions {
  const match = /^\s*(\d+)\s*x\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/i.exec(raw);
  if (!match) {
    throw new UsageError(
      `--load must be <concurrency>x<duration>, e.g. 20x30s (20 at once for 30 seconds), 5x500ms or 50x2m; got "${raw}".`,
    );
  }
  const concurrency = Number(match[1]);
  const unit = (match[3] as string).toLowerCase();
  const durationMs = Math.round(Number(match[2]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
  if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`--load concurrency must be from 1 to ${MAX_CONCURRENCY}; got ${concurrency} in "${raw}".`);
  }
  if (durationMs < 100 || durationMs > MAX_LOAD_MS) {
    throw new UsageError(`--load duration must be from 100ms to 10m; got "${raw}".`);
  }
  return { concurrency, durationMs };
}
