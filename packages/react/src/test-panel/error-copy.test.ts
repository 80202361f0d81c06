// The callout's copy and Retry decision, per code and mode: what the outside run found wrong
// ("the provider had a problem" for a mock's schema failure; Retry where it repeats the failure).
import { AgentryError, ERROR_CODES, serializeError } from '@agentry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError } from './error-copy';

const error = (...args: ConstructorParameters<typeof AgentryError>) => serializeError(new AgentryError(...args));

describe('describeError', () => {
  it('a mock whose output fails its schema is not "a provider problem", and Retry is not offered', () => {
    const copy = describeError(error('output_invalid', 'x'), { mode: 'mock' });
    expect(copy.title).toBe('The simulated answer does not match the output schema');
    expect(copy.title).not.toMatch(/provider/i);
    expect(copy.action).toBe('none');
    expect(copy.developerHint).toMatch(/mock/);
    expect(describeError(error('output_invalid', 'x'), { mode: 'live' }).action).toBe('retry');
  });

  it('a stream that could not be resumed says the connection was lost, and warns before billing twice', () => {
    const cut = error('internal', 'Could not reach the server.', { retryable: true });
    const live = describeError(cut, { mode: 'live', connectionLost: true });
    expect(live.title).toBe('The connection to the server was lost');
    expect(live.advice).toMatch(/billed/);
    expect(live.action).toBe('run-again');
    expect(describeError(cut, { mode: 'mock', connectionLost: true }).advice).not.toMatch(/billed/);
    expect(describeError(error('not_found', 'gone'), { mode: 'live', connectionLost: true }).title).toBe(
      'The connection to the server was lost',
    );
    // An answer with its own cause keeps its copy; without a lost connection nothing changes.
    expect(describeError(error('tenant_required', 'x'), { mode: 'live', connectionLost: true }).title).toBe(
      'You are not signed in',
    );
    expect(describeError(cut, { mode: 'live' }).title).toBe('Something went wrong');
  });

  it('states the limit: the timeout in seconds, the input size in kB', () => {
    const timeout = error('timeout', 'late', { limit: { kind: 'total_time', value: 30_000, unit: 'ms' } });
    expect(describeError(timeout, { mode: 'live', locale: 'en-US' }).advice).toContain('The limit is 30.0 s.');
    const big = error('input_too_large', 'big', { limit: { kind: 'input_size', value: 64_000, unit: 'bytes' } });
    const copy = describeError(big, { mode: 'live', locale: 'en-US' });
    expect(copy.advice).toContain('at most 64.0 kB');
    expect(copy.action).toBe('none');
  });

  it('never offers Retry for input the server refused, a missing key or a spent budget', () => {
    for (const code of [
      'validation_failed',
      'invalid_json',
      'input_too_large',
      'provider_auth_failed',
      'live_disabled',
    ] as const) {
      for (const mode of ['mock', 'live'] as const)
        expect(describeError(error(code, 'x'), { mode }).action).toBe('none');
    }
    const budget = { ...error('internal', 'x'), code: 'budget_exceeded', resetsAt: '2026-12-03T00:00:00Z' } as never;
    const copy = describeError(budget, { mode: 'live', locale: 'en-US' });
    expect(copy.action).toBe('none');
    expect(copy.advice).toMatch(/^It resets Dec 3, 2026/);
  });

  it('rate limits say how long to wait', () => {
    expect(describeError(error('rate_limited', 'x', { retryAfterMs: 2000 }), { mode: 'live' }).advice).toBe(
      'Wait 2.0 s, then retry.',
    );
  });

  it('gives every code, in both modes, a title and advice, and a known action', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...Object.keys(ERROR_CODES),
          'max_steps_reached',
          'tool_error',
          'interrupted',
          'budget_exceeded',
        ),
        fc.constantFrom('mock' as const, 'live' as const),
        fc.boolean(),
        (code, mode, retryable) => {
          const copy = describeError({ code: code as 'internal', message: 'm', userMessage: 'u', retryable }, { mode });
          expect(copy.title.length).toBeGreaterThan(0);
          expect(copy.advice.length).toBeGreaterThan(0);
          expect(['retry', 'run-again', 'none']).toContain(copy.action);
          // End users never see setup words in the title or advice; those belong in developer hints.
          expect(`${copy.title} ${copy.advice}`).not.toMatch(/API_KEY|defineAgent|limits\\.|`/);
        },
      ),
    );
  });
});
