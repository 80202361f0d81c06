import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCredentialSource, parseLoad, parseVerifyArguments, UsageError } from './arguments';

const URL_FLAG = ['--url', 'https://staging.example.com/api/agentry'];

function usageMessage(argv: string[]): string {
  try {
    parseVerifyArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseVerifyArguments', () => {
  test('defaults', () => {
    expect(parseVerifyArguments(URL_FLAG)).toEqual({
      url: new URL('https://staging.example.com/api/agentry'),
      live: false,
      maxTokens: 64,
      samples: 20,
      json: false,
      timeoutMs: 15_000,
      maxBodyBytes: 1_048_576,
    });
  });

  test('every flag', () => {
    const options = parseVerifyArguments([
      ...URL_FLAG,
      '--auth',
      'env:TOKEN_A',
      '--auth-b',
      'cookie:file:./b.txt',
      '--live',
      '--max-tokens',
      '32',
      '--samples',
      '5',
      '--load',
      '20x30s',
      '--logs',
      'server.jsonl',
      '--json',
      '--report',
      'sign-off.html',
      '--timeout',
      '2000',
      '--max-body-bytes',
      '2048',
    ]);
    expect(options).toMatchObject({
      auth: { kind: 'bearer', from: 'env', name: 'TOKEN_A', flag: '--auth' },
      authB: { kind: 'cookie', from: 'file', name: './b.txt', flag: '--auth-b' },
      live: true,
      maxTokens: 32,
      samples: 5,
      load: { concurrency: 20, durationMs: 30_000 },
      logs: 'server.jsonl',
      json: true,
      report: 'sign-off.html',
      timeoutMs: 2000,
      maxBodyBytes: 2048,
    });
  });

  test('--help wins', () => {
    expect(parseVerifyArguments(['--help'])).toBe('help');
    expect(parseVerifyArguments(['-h', '--bogus-free'])).toBe('help');
  });

  test('errors name the flag and what to do', () => {
    expect(usageMessage([...URL_FLAG, '--bogus'])).toBe(
      'Unknown flag --bogus. Run "agentry verify --help" for the flags.',
    );
    expect(usageMessage([...URL_FLAG, '-x'])).toBe('Unknown flag -x. Run "agentry verify --help" for the flags.');
    expect(usageMessage([])).toMatch(/^Missing --url: pass where the Agentry handler is mounted/);
    expect(usageMessage(['--url'])).toBe('--url needs a value. Run "agentry verify --help" for the flags.');
    expect(usageMessage([...URL_FLAG, 'extra'])).toMatch(/^Unexpected argument extra: every value follows its flag/);
    expect(usageMessage(['--url', 'staging.example.com'])).toMatch(/^--url is not a URL: "staging.example.com"/);
    expect(usageMessage(['--url', 'ftp://example.com'])).toBe('--url must be http:// or https://; got ftp://…');
    expect(usageMessage(['--url', 'https://user:pw@example.com/api'])).toMatch(
      /^--url carries a user name or password/,
    );
    expect(usageMessage([...URL_FLAG, '--samples', '0'])).toBe(
      '--samples must be a whole number from 1 to 10000; got "0".',
    );
    expect(usageMessage([...URL_FLAG, '--timeout', '1.5'])).toBe(
      '--timeout must be a whole number from 100 to 600000; got "1.5".',
    );
    expect(usageMessage([...URL_FLAG, '--logs', ' '])).toBe('--logs needs a value; got an empty one.');
  });

  test('a literal credential is refused without repeating it', () => {
    const message = usageMessage([...URL_FLAG, '--auth', 'sk-live-very-secret-token']);
    expect(message).toMatch(/^--auth takes env:NAME or file:PATH/);
    expect(message).not.toContain('very-secret');
  });
});

describe('parseCredentialSource', () => {
  test('kinds and sources', () => {
    expect(parseCredentialSource('--auth', 'env:A_1')).toEqual({
      kind: 'bearer',
      from: 'env',
      name: 'A_1',
      flag: '--auth',
    });
    expect(parseCredentialSource('--auth', 'Cookie:ENV:SESSION')).toMatchObject({ kind: 'cookie', from: 'env' });
    expect(parseCredentialSource('--auth-b', 'header:file:/run/secrets/key')).toEqual({
      kind: 'header',
      from: 'file',
      name: '/run/secrets/key',
      flag: '--auth-b',
    });
    expect(() => parseCredentialSource('--auth', 'env:1BAD')).toThrow('not an environment variable name');
  });

  test('never echoes what it refuses (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8 }).filter((value) => !/^(bearer:|cookie:|header:)?(env|file):/i.test(value)),
        (value) => {
          try {
            parseCredentialSource('--auth', value);
            return false;
          } catch (error) {
            return error instanceof UsageError && !error.message.includes(value);
          }
        },
      ),
      { seed: 15, verbose: true },
    );
  });
});

describe('parseLoad', () => {
  test('concurrency x duration', () => {
    expect(parseLoad('20x30s')).toEqual({ concurrency: 20, durationMs: 30_000 });
    expect(parseLoad('5x500ms')).toEqual({ concurrency: 5, durationMs: 500 });
    expect(parseLoad(' 2 X 1.5m ')).toEqual({ concurrency: 2, durationMs: 90_000 });
  });

  test('bounded: it always stops, and never floods', () => {
    expect(() => parseLoad('20')).toThrow('--load must be <concurrency>x<duration>, e.g. 20x30s');
    expect(() => parseLoad('0x10s')).toThrow('--load concurrency must be from 1 to 500; got 0 in "0x10s".');
    expect(() => parseLoad('501x10s')).toThrow('--load concurrency must be from 1 to 500');
    expect(() => parseLoad('1x11m')).toThrow('--load duration must be from 100ms to 10m; got "1x11m".');
    expect(() => parseLoad('1x50ms')).toThrow('--load duration must be from 100ms to 10m');
  });

  test('whatever it accepts is within its bounds (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        try {
          const { concurrency, durationMs } = parseLoad(value);
          return concurrency >= 1 && concurrency <= 500 && durationMs >= 100 && durationMs <= 600_000;
        } catch (error) {
          return error instanceof UsageError;
        }
      }),
      { seed: 15, verbose: true },
    );
  });
});
