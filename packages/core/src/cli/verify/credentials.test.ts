import { describe, expect, test } from 'vitest';
import { parseCredentialSource } from './arguments';
import { readCredential } from './credentials';

const io = (env: Record<string, string>, files: Record<string, string> = {}) => ({
  env,
  readFile: async (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return text;
  },
});

describe('readCredential', () => {
  test('bearer from env, cookie and header from files; trailing newlines trimmed', async () => {
    const files = { 'a.txt': 'session=abcdef123456; theme=dark\n', 'k.txt': 'X-Api-Key: key-1234567890\n' };
    expect(await readCredential(parseCredentialSource('--auth', 'env:T'), io({ T: 'Bearer tok-123456' }))).toEqual({
      headers: { authorization: 'Bearer tok-123456' },
      secrets: ['tok-123456'],
      label: 'env:T',
    });
    expect(await readCredential(parseCredentialSource('--auth', 'cookie:file:a.txt'), io({}, files))).toEqual({
      headers: { cookie: 'session=abcdef123456; theme=dark' },
      secrets: ['session=abcdef123456; theme=dark', 'abcdef123456'],
      label: 'file:a.txt',
    });
    expect(await readCredential(parseCredentialSource('--auth-b', 'header:file:k.txt'), io({}, files))).toEqual({
      headers: { 'x-api-key': 'key-1234567890' },
      secrets: ['key-1234567890'],
      label: 'file:k.txt',
    });
  });

  test('errors name the flag and the source, never the value', async () => {
    const read = (source: string, env: Record<string, string>) =>
      readCredential(parseCredentialSource('--auth', source), io(env)).then(
        () => 'no error',
        (error: Error) => error.message,
      );
    expect(await read('env:MISSING', {})).toBe('--auth env:MISSING: the environment variable MISSING is not set.');
    expect(await read('env:EMPTY', { EMPTY: '  \n' })).toBe('--auth env:EMPTY is empty.');
    expect(await read('file:nope.txt', {})).toBe(
      '--auth file:nope.txt: the file cannot be read (ENOENT). Check the path.',
    );
    const twoLines = await read('env:TWO', { TWO: 'secret-one\nsecret-two' });
    expect(twoLines).toBe('--auth env:TWO holds more than one line: put one credential in it.');
    const badHeader = await read('header:env:H', { H: 'no-colon-secret-value' });
    expect(badHeader).toMatch(/must hold one "Name: value" line/);
    expect(badHeader).not.toContain('no-colon-secret-value');
  });
});
