import { describe, expect, it } from 'vitest';
import { createRedactor } from '../logging';
import type { ProblemDocument } from '../protocol';
import { problemResponse } from './problem-response';

const problem = (extra: Partial<ProblemDocument> = {}) =>
  ({
    type: 'urn:agentry:error:rate_limited',
    title: 'Rate limited',
    status: 429,
    code: 'rate_limited',
    detail: 'Slow down',
    retryable: true,
    ...extra,
  }) as ProblemDocument;

describe('problemResponse', () => {
  it('is never cached nor sniffed, and says when to retry only when the error carries a wait', () => {
    const waiting = problemResponse(problem({ retryAfterMs: 1500 }), createRedactor());
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('cache-control')).toBe('no-store');
    expect(waiting.headers.get('x-content-type-options')).toBe('nosniff');
    expect(waiting.headers.get('retry-after')).toBe('2');
    expect(problemResponse(problem(), createRedactor()).headers.has('retry-after')).toBe(false);
  });
});
