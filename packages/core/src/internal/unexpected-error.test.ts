import { describe, expect, it } from 'vitest';
import { createRedactor, type LogFields, silentLogger } from '../logging';
import { errorChainMessage, errorKind, logUnexpectedError } from './unexpected-error';

describe('errorChainMessage', () => {
  it('follows causes, real errors and redacted copies alike, and says a repeated message once', () => {
    const root = new TypeError('getaddrinfo ENOTFOUND db.internal');
    const wrapped = new Error('pool failed', { cause: { name: 'Error', message: 'pool failed', cause: root } });
    expect(errorChainMessage(wrapped)).toBe('Error: pool failed ← TypeError: getaddrinfo ENOTFOUND db.internal');
    expect(errorChainMessage('plain text')).toBe('plain text');
  });

  it('names what was thrown', () => {
    expect(errorKind(new RangeError('x'))).toBe('RangeError');
    expect(errorKind(42)).toBe('number');
    expect(errorKind(null)).toBe('null');
  });
});

describe('logUnexpectedError', () => {
  it('logs the chain, redacted, with the given fields', () => {
    const logged: LogFields[] = [];
    const logger = { ...silentLogger, error: (_event: string, fields?: LogFields) => logged.push(fields ?? {}) };
    logUnexpectedError(logger, createRedactor(['s3cret']), 'agentry.test', new Error('token s3cret refused'), {
      path: '/x',
    });
    expect(logged).toEqual([{ path: '/x', error_kind: 'Error', error_message: 'Error: token [REDACTED] refused' }]);
  });
});
