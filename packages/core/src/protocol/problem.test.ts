import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentryError, type AgentryErrorCode, ERROR_CODES } from '../errors';
import { INTERNAL_ERROR_DETAIL, isProblemDocument, problemToError, toProblem } from './problem';

const codes = Object.keys(ERROR_CODES).filter((code) => code !== 'internal') as AgentryErrorCode[];

describe('the problem document: what the server writes, the client reads back', () => {
  it('an Agentry error survives toProblem → JSON → problemToError with its code, message and fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.string({ minLength: 1 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (code, message, executionId, retryAfterMs) => {
          const original = new AgentryError(code, message, {
            ...(executionId === undefined ? {} : { executionId }),
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          });
          const wire: unknown = JSON.parse(JSON.stringify(toProblem(original)));
          expect(isProblemDocument(wire)).toBe(true);
          if (!isProblemDocument(wire)) return;
          const read = problemToError(wire);
          expect(read.code).toBe(code);
          expect(read.message).toBe(message);
          expect(read.executionId).toBe(executionId);
          expect(read.retryAfterMs).toBe(retryAfterMs);
          expect(read.retryable).toBe(original.retryable);
          expect(read.userMessage).toBe(original.userMessage);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never quotes what an internal error or a foreign throw said', () => {
    expect(toProblem(new AgentryError('internal', 'db password=hunter2')).detail).toBe(INTERNAL_ERROR_DETAIL);
    expect(toProblem(new Error('secret path /etc/x')).detail).toBe(INTERNAL_ERROR_DETAIL);
  });

  it('fills what the document leaves out from the response, and lets the remote provider name itself', () => {
    const error = problemToError({ code: 'rate_limited' }, { status: 429, retryAfterMs: 2000, provider: 'remote' });
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 2000, provider: 'remote' });
    expect(problemToError({ code: 'timeout', title: 'Timeout' }).message).toBe('Timeout');
    expect(isProblemDocument({ code: 'no_such_code' })).toBe(false);
  });
});
