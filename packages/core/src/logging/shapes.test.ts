import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact';
import { SHAPES } from './shapes';

const redact = (text: string) => createRedactor().redactString(text);

// Positives: [shape id, text, the secret that must disappear]. Most come from the rule sets'
// own test examples (gitleaks `cmd/generate/config/rules/*.go` true positives).
const POSITIVES: [string, string, string][] = [
  ['aws-access-key-id', 'key id AKIALALEMEL33243OLIB here', 'AKIALALEMEL33243OLIB'],
  ['aws-access-key-id', 'ASIAY34FZKBOKMUTVV7A', 'ASIAY34FZKBOKMUTVV7A'],
  ['aws-access-key-id', '"AccessKeyId": "ABIAZ3MEXAMPLE7KQ2WB"', 'ABIAZ3MEXAMPLE7KQ2WB'],
  ['aws-access-key-id', 'ACCAZ3MEXAMPLE7KQ2WB', 'ACCAZ3MEXAMPLE7KQ2WB'],
  ['aws-access-key-id', 'A3TXZ3MEXAMPLE7KQ2WB', 'A3TXZ3MEXAMPLE7KQ2WB'],
  [
    'aws-access-key-id-with-secret',
    'AKIALALEMEL33243OLIB,lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
    'lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
  ],
  [
    'aws-secret-access-key-labelled',
    'aws_secret_access_key = lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
    'lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
  ],
  [
    'aws-secret-access-key-labelled',
    '{"SecretAccessKey": "lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR"}',
    'lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
  ],
  ['github-token', 'token ghp_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k', '4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k'],
  ['github-token', 'gho_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k', 'gho_4d9u'],
  ['github-token', 'ghu_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k', 'ghu_4d9u'],
  ['github-token', 'ghs_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k', 'ghs_4d9u'],
  ['github-token', 'ghr_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k', 'ghr_4d9u'],
  [
    'github-fine-grained-pat',
    `github_pat_11ABCDEFG0123456789abc_${'dEf1234567'.repeat(5)}abcdefghi`,
    '11ABCDEFG0123456789abc',
  ],
  [
    'slack-token',
    '"bot_token1": "xoxb-781236542736-2364535789652-GkwFDQoHqzXDVsC6GzqYUypD"',
    'GkwFDQoHqzXDVsC6GzqYUypD',
  ],
  [
    'slack-token',
    '"user_token1": "xoxp-41684372915-1320496754-45609968301-e708ba56e1517a99f6b5fb07349476ef"',
    'e708ba56e1517a99f6b5fb07349476ef',
  ],
  [
    'slack-app-or-config-token',
    '"token1": "xapp-1-A052FGTS2DL-5171572773297-610b6a11f4b7eb819e87b767d80e6575a3634791acb9a9ead051da879eb5b55e"',
    '610b6a11f4b7eb81',
  ],
  ['slack-app-or-config-token', 'xoxa-2-abcdefghijklmnop', 'abcdefghijklmnop'],
  [
    'slack-app-or-config-token',
    'xoxe.xoxp-1-Mi0yLTM0MTQwNDE0MDE3Ni0zNjU5NDY0Njg4MTctNTE4MjA3NTQ5NjA4MC01NDEyOTYyODY5NzUxLThhMTBjZmI1ZWIzMGIwNTg0ZDdmMDI5Y2UxNzVlZWVhYzU2ZWQyZTZiODNjNDZiMGUxMzRlNmNjNDEwYmQxMjQ',
    'Mi0yLTM0MTQwNDE0',
  ],
  [
    'stripe-key',
    'sk_test_51OuEMLAlTWGaDypq4P5cuDHbuKeG4tAGPYHJpEXQ7zE8mKK3jkhTFPvCxnSSK5zB5EQZrJsYdsatNmAHGgb0vSKD00GTMSWRHs',
    '51OuEMLAlTWGaDypq4P5',
  ],
  [
    'stripe-key',
    'rk_prod_51OuEMLAlTWGaDypquDn9aZigaJOsa9NR1w1BxZXs9JlYsVVkv5XDu6aLmAxwt5Tgun5WcSwQMKzQyqV16c9iD4sx00BRijuoon',
    '51OuEMLAlTWGaDypquDn',
  ],
  ['stripe-key', 'STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc', '4eC39HqLyjWDarjtT1zdp7dc'],
  ['google-api-key', 'key=AIzaSyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-', 'SyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk-'],
  [
    'jwt',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhIjoxLCJiIjoyLCJjIjozfQ.hxhGCCCmGV9nT1slief1WgEsOsfdnlVizNrODxfh1M8',
    'eyJhIjoxLCJiIjoyLCJjIjozfQ',
  ],
  ['jwt', 'String tokenWithNoneAlg = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0LXVzZXIifQ.";', 'eyJzdWIiOiJ0ZXN0LXVzZXIifQ'],
  [
    'jwt',
    '- SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0',
    'CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0',
  ],
  ['jwt-overlong-header', `x ey${'J'.repeat(1100)}.eyJx.sig y`, 'JJJJJJJJ'],
  [
    'private-key',
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----',
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  ],
  [
    'private-key',
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF9aBcDEfGhIjKlMnOpQrStUvWxYz\n-----END PGP PRIVATE KEY BLOCK-----',
    'lQOYBF9aBcDEfGhIjKlMnOpQrStUvWxYz',
  ],
  ['private-key', 'cut off: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5', 'MHcCAQEEIIrY'],
  ['openai-or-anthropic-key', 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6', 'Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6'],
  ['openai-or-anthropic-key', `sk-ant-api03-${'a1B2'.repeat(23)}xAA`, 'a1B2a1B2'],
  ['bearer-credential', 'use Bearer abcdef123456XYZ for now', 'abcdef123456XYZ'],
  ['basic-credential', 'Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA'],
  ['authorization-header-with-scheme', 'Authorization: Token 9f8e7d6c5b4a', '9f8e7d6c5b4a'],
  ['authorization-header', '{"api_key": "k-92ab61"}', 'k-92ab61'],
  ['url-credentials', 'redis://default:s3cr3tpass@cache:6379', 's3cr3tpass'],
  ['url-credentials', 'jdbc+x://admin:s3cr3tpass@db/app', 's3cr3tpass'],
];

// Negatives: ordinary text and ids that must come out unchanged (gitleaks false positives among them).
const NEGATIVES = [
  'TODAYINASIAASACKOFRICEFELLOVER',
  'AKIA is how AWS key ids start',
  'key = AKIAXXXXXXXXXXXXXXXX1',
  'nonMatchingToken := "task_test_0123456789abcdefghijklmnop"',
  'task_9f8e7d6c5b4a and exe_0123456789abcdef0123456789abcdef',
  'request 123e4567-e89b-12d3-a456-426614174000 done',
  'short base64: dGVzdA== and aGVsbG8=',
  'The basic idea: they key the cache by tenant.',
  'Bearer tokens are described in RFC 6750.',
  'a skeleton key, a task-runner, an sk- prefix, sk-short',
  'xoxb-xxx and xoxb-12345-abcd234',
  'AIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDqabcd123',
  'GWw4hjABFzZCGiRpmlDyDdo87Jn9BN9THUA47muVRNunLxsa82tMAdvmrhOqNkRKiYMEAFbTJAIzaTesb6Tscfcni8vIpWZqNCXFDFslJtVSvFDq',
  'AIZASYCO2CXRMC9ELSKLHLHRMBSWDEVEDZTLO2O',
  'ghp_short and gh_pages',
  'eyes.eyebrows and eyJ alone',
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----',
  'https://agents.example.com:8443/health?x=1',
  'mailto:someone@example.com and user@example.com',
  'commit 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e',
  'the secret is out',
  'authorization is required',
  '[REDACTED] stays [REDACTED]',
];

describe('credential shapes', () => {
  it('every shape cites a rule source and has a positive example here', () => {
    for (const shape of SHAPES) {
      expect(shape.source, shape.id).toMatch(/gitleaks|detect-secrets/);
      expect(
        POSITIVES.some(([id]) => id === shape.id),
        shape.id,
      ).toBe(true);
    }
  });

  it.each(POSITIVES)('%s: %s', (_id, text, secret) => {
    const out = redact(text);
    expect(out).toContain('[REDACTED]');
    expect(out).not.toContain(secret);
  });

  it.each(NEGATIVES)('leaves alone: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('keeps what tells a reader what was there: header names, schemes, the auth scheme word', () => {
    expect(redact('Authorization: Bearer abc.def-123456')).toBe('Authorization: [REDACTED]');
    expect(redact('postgres://admin:hunter2@db.internal:5432/app')).toBe('postgres://[REDACTED]@db.internal:5432/app');
    expect(redact('curl -H "x-api-key: abcdef123456"')).toBe('curl -H "x-api-key: [REDACTED]"');
    expect(redact('Bearer abcdef123456XYZ.')).toBe('Bearer [REDACTED]');
    expect(redact('AKIALALEMEL33243OLIB,lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR\n')).toBe('[REDACTED],[REDACTED]\n');
    expect(redact('aws_secret_access_key = lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR')).toBe(
      'aws_secret_access_key = [REDACTED]',
    );
  });

  it('redacts a token to the end of its run, however long (never a prefix only)', () => {
    expect(redact(`ghp_${'a1'.repeat(60)} next`)).toBe('[REDACTED] next');
    expect(redact(`sk_live_${'Z9'.repeat(80)}`)).toBe('[REDACTED]');
  });

  it('a private key block with no END line is redacted to the end of the text', () => {
    expect(redact('key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow…')).toBe('key:\n[REDACTED]');
  });

  it('a configured value wins over a shape that starts before it', () => {
    const redactor = createRedactor(['AAAAAAAAAAAAAAA:Q7']);
    expect(redactor.redactString('Bearer AAAAAAAAAAAAAAA:Q7 ok')).toBe('Bearer [REDACTED] ok');
  });
});

// Every spelling a shape lists, and the boundaries it keeps: each row is one that a rule set
// names, so dropping it from `shapes.ts` must fail here (mutation testing found them untested).
describe('credential shapes: every spelling and boundary', () => {
  const AWS_SECRET = 'lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR';
  it.each([
    ['api-key: abcdef123456', 'api-key: [REDACTED]'],
    ['apikey=abcdef123456', 'apikey=[REDACTED]'],
    ['API_KEY = abcdef123456', 'API_KEY = [REDACTED]'],
    ['authorization:\tBasic abcdef123456', 'authorization:\t[REDACTED]'],
    ['{\\"api_key\\": \\"abcdef123456\\"}', '{\\"api_key\\": \\"[REDACTED]\\"}'],
    ["{'api_key': 'abcdef123456'}", "{'api_key': '[REDACTED]'}"],
    ["{\\'api_key\\': \\'abcdef123456\\'}", "{\\'api_key\\': \\'[REDACTED]\\'}"],
    [`aws-secret-access-key: ${AWS_SECRET}`, 'aws-secret-access-key: [REDACTED]'],
    [`secret_access_key=${AWS_SECRET}`, 'secret_access_key=[REDACTED]'],
    [`SecretAccessKey=${AWS_SECRET}`, 'SecretAccessKey=[REDACTED]'],
    [`aws_secret_key = ${AWS_SECRET}`, 'aws_secret_key = [REDACTED]'],
    [`secret_key: ${AWS_SECRET}`, 'secret_key: [REDACTED]'],
    [`secret: ${AWS_SECRET}`, 'secret: [REDACTED]'],
    [`AKIALALEMEL33243OLIB\t${AWS_SECRET}`, '[REDACTED]\t[REDACTED]'],
    [`AKIALALEMEL33243OLIB\\":\\"${AWS_SECRET}`, '[REDACTED]\\":\\"[REDACTED]'],
    [`AKIALALEMEL33243OLIB\\t${AWS_SECRET}`, '[REDACTED]\\t[REDACTED]'],
    ['xoxe.xoxb-1-abcdefgh123 end', '[REDACTED] end'],
    ['XOXE-1-abcdefgh123 end', '[REDACTED] end'],
    ['xoxr-1-abcdefgh123 end', '[REDACTED] end'],
    ['xoxs-416843729158-abcdefgh123-xyz end', '[REDACTED] end'],
    ['xoxo-416843729158 xoxe-416843729158 end', '[REDACTED] [REDACTED] end'],
    ['sk_test_abcdefghij12 rk_live_abcdefghij12 sk_prod_abcdefghij12', '[REDACTED] [REDACTED] [REDACTED]'],
    ['bearer\tabcdefgh12345678/+=~._- end', 'bearer\t[REDACTED] end'],
    ['BASIC dXNlcjpwYXNzd29yZA== end', 'BASIC [REDACTED] end'],
    ['Token abc and Authorization: TOKEN abcdef12', 'Token abc and Authorization: [REDACTED]'],
    ['ftp://me:pa55@host/x', 'ftp://[REDACTED]@host/x'],
    ['-----begin dsa private key-----\nAAAA\n-----end dsa private key-----\nafter', '[REDACTED]\nafter'],
    ['-----begin pgp private key block-----\nAAAA\n-----end pgp private key block-----\nafter', '[REDACTED]\nafter'],
    [`ey${'A'.repeat(17)}.eyB.c2ln+/=_- end`, '[REDACTED] end'],
    [`github_pat_${'a'.repeat(82)}_b${'c'.repeat(9)} end`, '[REDACTED] end'],
    [`sk-ant-${'a'.repeat(8)}-_b end`, '[REDACTED] end'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    // Not after a letter, digit or `_`: the shape starts a word.
    `xAKIALALEMEL33243OLIB`,
    'xAKIALALEMEL33243OLIB,lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
    // A 40-character run after `=` is not an AWS secret without one of its labels (a SHA-1, say).
    'sha1 = 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e',
    'value: lbqlNh3FW5/3AwnBoWsYIJam9w2Us4ZOH5Un8RyR',
    `_AKIALALEMEL33243OLIB`,
    `AKIALALEMEL33243OLIBX`,
    `xghp_${'a'.repeat(36)}`,
    `xgithub_pat_${'a'.repeat(82)}`,
    'axoxb-12345678abc',
    'axapp-1-abcdefgh123',
    'xsk_live_abcdefghij12',
    '_sk_live_abcdefghij12',
    `x${`ey${'A'.repeat(17)}.eyB.sig`}`,
    '_sk-abcdefgh1234',
    'mybearer abcdefgh12345678',
    'xbasic abcdefgh12345678',
    // Too short for the rule.
    `ghp_${'a'.repeat(35)}`,
    'xoxb-1234567',
    'sk_live_123456789',
    'Bearer abcdefg',
    'Basic abcdefg',
    // A URL user without a password; a JWT-like run without its payload's `.ey`.
    'ssh://git@github.com/agentry/agentry.git',
    `ey${'a'.repeat(30)} end`,
    `ey${'a'.repeat(1023)} end`,
    // A redaction mark is no value.
    'api_key=[REDACTED]=',
    'x://user:[REDACTED]@host',
  ])('leaves alone: %s', (text) => {
    expect(redact(text)).toBe(text);
  });
});
