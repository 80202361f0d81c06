import { describe, expect, it } from 'vitest';
import { errorFromFailure, errorFromResponse, parseRetryAfter } from './response-errors';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('reads retry-after-ms before retry-after when given the headers', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), NOW)).toBe(2000);
  });

  it('still reads one Retry-After value: seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(new Date(NOW + 4000).toUTCString(), NOW)).toBe(4000);
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('takes the wait from retry-after-ms when the answer is not a problem document', () => {
    const response = new Response('<html>slow down</html>', {
      status: 429,
      headers: { 'content-type': 'text/html', 'retry-after-ms': '1500' },
    });
    expect(errorFromResponse(response, undefined)).toMatchObject({ code: 'rate_limited', retryAfterMs: 1500 });
  });

  it('fills a problem document without retryAfterMs from the headers', () => {
    const response = new Response(null, { status: 429, headers: { 'retry-after': '7' } });
    const error = errorFromResponse(response, { code: 'rate_limited', detail: 'Slow down.', status: 429 });
    expect(error).toMatchObject({ code: 'rate_limited', message: 'Slow down.', retryAfterMs: 7000 });
  });
});

describe('errorFromFailure', () => {
  it('does not repeat an unexpected error message, which may name internal hosts or credentials', () => {
    const thrown = new RangeError('pool exhausted for postgres://admin:hunter2@db.internal:5432/app');
    const error = errorFromFailure(thrown, { url: 'https://agents.example.com/api/agentry/agents?token=x' });
    expect(error.code).toBe('internal');
    expect(error.message).toBe(
      'Request to https://agents.example.com/api/agentry/agents failed with an unexpected RangeError. The original error is attached as the cause.',
    );
    expect(JSON.stringify(error)).not.toMatch(/hunter2|db\.internal/);
    expect(error.cause).toBe(thrown);
  });
});
