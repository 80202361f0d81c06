import { describe, expect, it } from 'vitest';
import { retryAfterFromHeaders, retryAfterValue } from './retry-after';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryAfterFromHeaders', () => {
  it('prefers retry-after-ms, in milliseconds (rounded up)', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500.2', 'retry-after': '9' }), NOW)).toBe(1501);
  });

  it('reads retry-after as seconds or as an HTTP date', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), NOW)).toBe(2000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '0.5' }), NOW)).toBe(500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': new Date(NOW + 3000).toUTCString() }), NOW)).toBe(3000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': new Date(NOW - 3000).toUTCString() }), NOW)).toBe(0);
  });

  it('falls back to retry-after when retry-after-ms is unreadable, and says nothing for junk', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': 'soon', 'retry-after': '1' }), NOW)).toBe(1000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '-5' }), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'later' }), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers(), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(undefined, NOW)).toBeUndefined();
  });

  it('takes any object with get(), such as an SDK headers wrapper', () => {
    const headers = { get: (name: string) => (name === 'retry-after-ms' ? '250' : undefined) };
    expect(retryAfterFromHeaders(headers, NOW)).toBe(250);
  });
});

describe('retryAfterValue', () => {
  it('reads one Retry-After value', () => {
    expect(retryAfterValue(' 3 ', NOW)).toBe(3000);
    expect(retryAfterValue('', NOW)).toBeUndefined();
    expect(retryAfterValue(null, NOW)).toBeUndefined();
  });
});
