import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createSecretScanner } from './secret-scan';

describe('createSecretScanner', () => {
  test('names the shape and hides the value', () => {
    const scanner = createSecretScanner();
    const findings = scanner.scan('{"debug":{"openai":"sk-proj-verifyLeakAbCdEf0123456789"},"ok":true}');
    expect(findings).toEqual([
      { shape: 'openai-or-anthropic-key', excerpt: '{"debug":{"openai":"[REDACTED]"},"ok":true}' },
    ]);
    expect(scanner.scan('AKIAIOSFODNN7EXAMPLE')[0]?.shape).toBe('aws-access-key-id');
    expect(scanner.scan('ghp_0123456789abcdefghijABCDEFGHIJ012345')[0]?.shape).toBe('github-token');
  });

  test('finds the credentials verify was given, even without a known shape', () => {
    const scanner = createSecretScanner(['zz-session-value-4242']);
    expect(scanner.scan('{"echo":"zz-session-value-4242"}')).toEqual([
      { shape: 'verify-credential', excerpt: '{"echo":"[REDACTED]"}' },
    ]);
  });

  test('a redaction mark is not a finding; ordinary text is not either', () => {
    const scanner = createSecretScanner(['zz-session-value-4242']);
    expect(scanner.scan('{"authorization":"[REDACTED]","detail":"Sign in again: the token expired."}')).toEqual([]);
    expect(scanner.scan('{"summary":"Tasks: ask for a key, skip the rest."}')).toEqual([]);
  });

  test('no excerpt ever holds a planted key (property)', () => {
    const key = fc.stringMatching(/^[A-Za-z0-9]{20,40}$/).map((tail) => `sk-proj-${tail}`);
    fc.assert(
      fc.property(fc.string(), key, fc.string(), (before, secret, after) => {
        const text = `${before} ${secret} ${after}`;
        const findings = createSecretScanner().scan(text);
        return findings.length > 0 && findings.every((finding) => !finding.excerpt.includes(secret.slice(8)));
      }),
      { seed: 15, verbose: true },
    );
  });
});
