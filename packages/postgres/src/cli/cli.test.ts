import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../migrations/all-migrations';
import type { PostgresPool } from '../pool';
import { createPgliteBackend, type TestBackend } from '../postgres.test-support';
import { CliUsageError, parseCli } from './parse-cli';
import { displayUrl, scrubUrlSecrets } from './redact-url';
import { runCli } from './run-cli';

const URL_WITH_PASSWORD = 'postgres://owner:s3cr%40t-Pa55@db.example.com:5432/app?sslmode=require';

describe('parseCli', () => {
  it('reads each command and its options', () => {
    expect(parseCli(['migrate', '--url', URL_WITH_PASSWORD, '--app-role', 'agentry_app'], {})).toEqual({
      type: 'run',
      command: 'migrate',
      url: URL_WITH_PASSWORD,
      appRole: 'agentry_app',
      json: false,
    });
    expect(parseCli(['rollback', '--to', '0', '--schema', 's1', '--json'], { DATABASE_URL: 'postgres://h/d' })).toEqual(
      { type: 'run', command: 'rollback', url: 'postgres://h/d', schema: 's1', to: 0, json: true },
    );
    expect(parseCli(['--help'], {})).toEqual({ type: 'help' });
  });

  it('refuses a bad command line, saying what to type', () => {
    const refused: [string[], RegExp][] = [
      [[], /Name a command: migrate, rollback or status/],
      [['migrat', '--url', 'postgres://h/d'], /Unknown command "migrat"/],
      [['migrate'], /Pass the database with --url/],
      [['migrate', '--url', 'mysql://h/d'], /must start with postgres:\/\//],
      [['rollback', '--url', 'postgres://h/d', '--to', 'one'], /--to must be a version number/],
      [['migrate', '--url', 'postgres://h/d', '--to', '1'], /--to applies to rollback only/],
      [['status', '--url', 'postgres://h/d', '--app-role', 'x'], /--app-role applies to migrate only/],
      [['status', '--url', 'postgres://h/d', '--verbose'], /Unknown option '--verbose'/],
      [['status', 'extra', '--url', 'postgres://h/d'], /Unexpected argument "extra"/],
    ];
    for (const [argv, message] of refused) {
      expect(() => parseCli(argv, {}), argv.join(' ')).toThrow(CliUsageError);
      expect(() => parseCli(argv, {}), argv.join(' ')).toThrow(message);
    }
  });
});

describe('the URL password never reaches the output', () => {
  it('shows the URL with *** for the password', () => {
    expect(displayUrl(URL_WITH_PASSWORD)).toBe('postgres://owner:***@db.example.com:5432/app?sslmode=require');
    expect(displayUrl('postgres://h/d?password=abc')).toBe('postgres://h/d?password=***');
    expect(displayUrl('not a url')).toBe('(a URL that does not parse)');
    // A one-letter password is scrubbed where it stands alone, not inside words.
    expect(scrubUrlSecrets('agentry: password y was refused', 'postgres://x:y@h/d')).toBe(
      'agentry: password *** was refused',
    );
  });

  it('scrubs any password, raw or decoded, from any message (property)', () => {
    const password = fc
      .string({ minLength: 1, maxLength: 30, unit: 'grapheme' })
      .filter((value) => value.trim() !== '');
    fc.assert(
      fc.property(password, fc.string(), fc.string(), (secret, before, after) => {
        const url = `postgresql://app:${encodeURIComponent(secret)}@127.0.0.1:5432/db`;
        const message = `${before}${secret}${after} ${url} ${encodeURIComponent(secret)}`;
        const scrubbed = scrubUrlSecrets(message, url);
        // In the URL, always; anywhere else, every password of 4 characters or more.
        expect(scrubbed.includes(`:${encodeURIComponent(secret)}@`)).toBe(false);
        if (secret.length >= 4) {
          expect(scrubbed.includes(encodeURIComponent(secret))).toBe(false);
          expect(scrubbed.includes(secret)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prints a connection failure with the host but not the password, exit code 1', async () => {
    const lines: string[] = [];
    const code = await runCli({
      argv: ['status', '--url', URL_WITH_PASSWORD],
      env: {},
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
      openPool: async (url) => ({
        query: () => Promise.reject(new Error(`could not connect to ${url} (password "s3cr@t-Pa55" rejected)`)),
        connect: () => Promise.reject(new Error('unused')),
        end: async () => undefined,
      }),
    });
    expect(code).toBe(1);
    const output = lines.join('\n');
    expect(output).toMatch(/agentry-postgres: could not connect/);
    expect(output).toMatch(/database: postgres:\/\/owner:\*\*\*@db\.example\.com:5432\/app/);
    expect(output).not.toMatch(/s3cr/);
  });

  it('prints usage errors with exit code 2', async () => {
    const errors: string[] = [];
    const code = await runCli({
      argv: ['nope'],
      env: {},
      out: () => undefined,
      err: (line) => errors.push(line),
      openPool: () => Promise.reject(new Error('not reached')),
    });
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/Unknown command "nope".*Usage: agentry-postgres/s);
  });
});

describe('runCli against PGlite', () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await createPgliteBackend();
  });
  afterAll(() => backend?.close());

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runCli({
      argv: [...argv, '--url', 'postgres://owner:pw@embedded/db'],
      env: {},
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      openPool: async () => ({ ...(backend.ownerPool as PostgresPool), end: async () => undefined }),
    });
    return { code, text: out.join('\n') };
  };

  it('reports status, migrates, rolls back and migrates again', async () => {
    // Derived from MIGRATIONS, so a new migration does not rewrite this test.
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    // Rollback goes one version down by default.
    const previous = latest - 1;
    const last = MIGRATIONS.at(-1)?.name;
    expect(await run('status', '--schema', 'cli_schema')).toEqual({
      code: 0,
      text: `Schema "cli_schema": version 0 of ${latest}.\n${MIGRATIONS.map((m) => `  pending  ${m.version} ${m.name}`).join('\n')}`,
    });
    expect(await run('migrate', '--schema', 'cli_schema', '--app-role', 'agentry_test_app')).toEqual({
      code: 0,
      text: `Applied in schema "cli_schema":\n${MIGRATIONS.map((m) => `  ↑ ${m.version} ${m.name}`).join('\n')}\nNow at version ${latest}.`,
    });
    expect((await run('status', '--schema', 'cli_schema')).text).toMatch(
      new RegExp(`version ${latest} of ${latest}\\.\\n {2}applied {2}1 execution-history \\(20`),
    );
    expect(await run('rollback', '--schema', 'cli_schema')).toEqual({
      code: 0,
      text: `Rolled back in schema "cli_schema":\n  ↓ ${latest} ${last}\nNow at version ${previous}.`,
    });
    const json = await run('migrate', '--schema', 'cli_schema', '--json');
    expect(JSON.parse(json.text)).toMatchObject({ schema: 'cli_schema', current: latest, ran: [{ version: latest }] });
  });
});
