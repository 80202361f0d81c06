import { describe, expect, it } from 'vitest';
import { AgentryError, ERROR_CODES, errorFamily, isAgentryError, toAgentryError } from '../index';

describe('AgentryError', () => {
  it('carries code, status, retryable and a user message from the code table', () => {
    const error = new AgentryError('rate_limited', 'Slow down', { retryAfterMs: 2000, provider: 'openai' });
    expect(error).toMatchObject({
      name: 'AgentryError',
      code: 'rate_limited',
      status: 429,
      retryable: true,
      userMessage: ERROR_CODES.rate_limited.userMessage,
      retryAfterMs: 2000,
    });
    expect(error.toJSON()).toEqual({
      code: 'rate_limited',
      message: 'Slow down',
      userMessage: ERROR_CODES.rate_limited.userMessage,
      retryable: true,
      status: 429,
      provider: 'openai',
      retryAfterMs: 2000,
    });
  });

  it('isAgentryError works across duplicated package copies (a look-alike with the registered marker)', () => {
    const foreign = Object.assign(new Error('x'), { code: 'timeout', [Symbol.for('agentry.error')]: true });
    expect(isAgentryError(foreign)).toBe(true);
    expect(isAgentryError(new Error('x'))).toBe(false);
    expect(isAgentryError({ code: 'timeout' })).toBe(false);
    expect(isAgentryError(null)).toBe(false);
  });

  it('toAgentryError normalizes anything thrown', () => {
    const original = new AgentryError('timeout', 't');
    expect(toAgentryError(original)).toBe(original);
    expect(toAgentryError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toAgentryError('text')).toMatchObject({ code: 'internal', message: 'text' });
    expect(toAgentryError(undefined)).toMatchObject({ code: 'internal', message: 'Unknown error' });
    expect(toAgentryError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toMatchObject({
      code: 'cancelled',
    });
    expect(toAgentryError(new Error('x'), 'provider_error')).toMatchObject({ code: 'provider_error', retryable: true });
    const revived = toAgentryError({
      code: 'not_found',
      message: 'gone',
      userMessage: 'Nope',
      issues: [{ path: ['a'], message: 'm' }],
    });
    expect(revived).toMatchObject({
      code: 'not_found',
      userMessage: 'Nope',
      status: 404,
      issues: [{ path: ['a'], message: 'm' }],
    });
    expect(isAgentryError(revived)).toBe(true);
  });

  it('every code has a status, a retry rule, a message that says what to do, and a family', () => {
    for (const [code, rule] of Object.entries(ERROR_CODES)) {
      expect(rule.status).toBeGreaterThanOrEqual(400);
      expect(rule.userMessage.length).toBeGreaterThan(20);
      expect(errorFamily(code as keyof typeof ERROR_CODES)).toMatch(
        /^(input|access|provider|limit|cancelled|internal)$/,
      );
    }
  });
});
