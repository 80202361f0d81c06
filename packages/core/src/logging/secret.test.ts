import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret, toSecret } from './secret';

describe('Secret', () => {
  it('shows [REDACTED] when printed, serialized or inspected; reveal() gives the value', () => {
    const secret = new Secret('sk-live-value-123');
    expect(String(secret)).toBe('[REDACTED]');
    expect(`${secret}`).toBe('[REDACTED]');
    expect(JSON.stringify({ apiKey: secret })).toBe('{"apiKey":"[REDACTED]"}');
    expect(inspect({ apiKey: secret })).not.toContain('sk-live-value-123');
    expect(inspect(secret)).toBe('[REDACTED]');
    expect(secret.reveal()).toBe('sk-live-value-123');
  });

  it('isSecret: a Secret, or one from another copy of the package; nothing else', () => {
    expect(isSecret(new Secret('x'))).toBe(true);
    // Another copy of @agentry/core marks its secrets with the same registered symbol.
    expect(isSecret({ [Symbol.for('agentry.secret')]: true, reveal: () => 'x' })).toBe(true);
    expect(isSecret({ [Symbol.for('agentry.secret')]: 'yes' })).toBe(false);
    expect(isSecret({})).toBe(false);
    expect(isSecret(null)).toBe(false);
    expect(isSecret(undefined)).toBe(false);
    expect(isSecret('sk-live-value-123')).toBe(false);
  });

  it('toSecret wraps a string, passes a Secret through, and leaves no value as undefined', () => {
    const wrapped = toSecret('sk-live-value-123');
    expect(wrapped).toBeInstanceOf(Secret);
    expect(wrapped?.reveal()).toBe('sk-live-value-123');
    const secret = new Secret('k');
    expect(toSecret(secret)).toBe(secret);
    expect(toSecret(undefined)).toBeUndefined();
    expect(toSecret(null)).toBeUndefined();
    expect(toSecret('')).toBeUndefined();
  });
});
