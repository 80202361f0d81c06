import { describe, expect, it } from 'vitest';
import { corsHeaders, preflightResponse } from './cors';

const APP = 'https://app.example.com';

describe('CORS headers', () => {
  it('no CORS configured: no headers at all', () => {
    expect(corsHeaders(undefined, APP)).toEqual({});
  });

  it('an origin not on the list gets no allow-origin, only Vary (the answer differs by origin)', () => {
    expect(corsHeaders({ origins: [APP] }, 'https://evil.example')).toEqual({ vary: 'Origin' });
    expect(corsHeaders({ origins: [APP] }, null)).toEqual({ vary: 'Origin' });
    // No Origin header: nothing to allow, even for a predicate that allows every origin.
    expect(corsHeaders({ origins: () => true }, null)).toEqual({ vary: 'Origin' });
  });

  it('an allowed origin is echoed; credentials only when asked for', () => {
    expect(corsHeaders({ origins: [APP] }, APP)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'retry-after',
      vary: 'Origin',
    });
    expect(corsHeaders({ origins: [APP], credentials: true }, APP)).toMatchObject({
      'access-control-allow-credentials': 'true',
    });
    expect(corsHeaders({ origins: () => true, credentials: false }, APP)).not.toHaveProperty(
      'access-control-allow-credentials',
    );
  });

  it('a preflight from an allowed origin names methods, headers and max-age (600 s by default)', () => {
    const allowed = preflightResponse({ origins: [APP] }, APP, ['GET', 'POST']);
    expect(allowed.status).toBe(204);
    expect(Object.fromEntries(allowed.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, authorization, accept',
      'access-control-max-age': '600',
    });
    const tuned = preflightResponse({ origins: [APP], maxAgeSeconds: 60, allowHeaders: ['x-a'] }, APP, ['GET']);
    expect(tuned.headers.get('access-control-max-age')).toBe('60');
    expect(tuned.headers.get('access-control-allow-headers')).toBe('x-a');
  });

  it('a preflight from another origin allows nothing', () => {
    const refused = preflightResponse({ origins: [APP] }, 'https://evil.example', ['GET', 'POST']);
    expect(refused.status).toBe(204);
    expect(Object.fromEntries(refused.headers)).toEqual({ vary: 'Origin' });
  });
});
