// The key set at jwksUrl: served from a loopback server the tests rotate and break. Only `Date`
// is faked (the loopback fetch runs on real timers, and answers at once); the timeout test
// fakes timers fully and uses a fetch that never answers.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAgentryError } from '../errors';
import { JWKS_RETRY_AFTER_MS } from './jwks-key-source';
import {
  AUDIENCE,
  capturingLogger,
  ISSUER,
  type JwksServer,
  requestWith,
  serveJwks,
  signHmac,
  signToken,
  type TestKey,
  testKey,
} from './jwt.test-support';
import { jwtTenantResolver } from './jwt-tenant-resolver';
import type { JwtTenantResolverOptions } from './resolver-options';

let first: TestKey;
let second: TestKey;
let ec: TestKey;
let server: JwksServer;

beforeAll(async () => {
  first = await testKey('RS256', 'key-1');
  second = await testKey('RS256', 'key-2');
  ec = await testKey('ES256', 'key-1');
});

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  server = await serveJwks([first.jwk]);
});

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

function resolver(overrides: Partial<JwtTenantResolverOptions> = {}) {
  const logger = capturingLogger();
  const resolve = jwtTenantResolver({
    jwksUrl: server.url,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    tenantClaim: 'org_id',
    logger,
    ...overrides,
  });
  return { resolve, logger };
}

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

async function expectUnavailable(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isAgentryError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'auth_unavailable', status: 503, retryable: true });
  return error as Error;
}

describe('JWKS: caching and key rotation', () => {
  it('fetches the key set once and reuses it', async () => {
    const { resolve } = resolver();
    const token = await signToken(first);
    await expect(resolve(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'acme' });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'acme' });
    expect(server.hits).toBe(1);
  });

  it('an unknown kid after rotation refetches once (after the cooldown) and is then accepted', async () => {
    const { resolve } = resolver();
    await resolve(requestWith({ bearer: await signToken(first) }));
    server.keys = [second.jwk];
    later(31_000);
    const rotated = await signToken(second);
    await expect(resolve(requestWith({ bearer: rotated }))).resolves.toMatchObject({ tenantId: 'acme' });
    expect(server.hits).toBe(2);
    // The old key is gone from the set: its tokens no longer pass, and asking does not refetch (cooldown).
    await expect(resolve(requestWith({ bearer: await signToken(first) }))).resolves.toBeUndefined();
    expect(server.hits).toBe(2);
  });

  it('within the cooldown an unknown kid is refused without a fetch, then accepted once the cooldown is over', async () => {
    const { resolve, logger } = resolver();
    await resolve(requestWith({ bearer: await signToken(first) }));
    server.keys = [first.jwk, second.jwk];
    const rotated = await signToken(second);
    await expect(resolve(requestWith({ bearer: rotated }))).resolves.toBeUndefined();
    expect(server.hits).toBe(1);
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'unknown_key', source: 'authorization' });
    later(30_001);
    await expect(resolve(requestWith({ bearer: rotated }))).resolves.toMatchObject({ tenantId: 'acme' });
    expect(server.hits).toBe(2);
  });

  it('a flood of made-up kids costs at most one fetch per cooldown', async () => {
    const { resolve } = resolver();
    await resolve(requestWith({ bearer: await signToken(first) }));
    later(31_000);
    const forged = await Promise.all(
      Array.from({ length: 20 }, (_, index) => signToken({ ...second, kid: `made-up-${index}` })),
    );
    const results = await Promise.all(forged.map((token) => resolve(requestWith({ bearer: token }))));
    expect(results.every((result) => result === undefined)).toBe(true);
    expect(server.hits).toBe(2);
  });

  it("honours the provider's Cache-Control max-age (within the cooldown floor and maxAgeMs)", async () => {
    server.headers = { 'cache-control': 'public, max-age=60' };
    const { resolve } = resolver();
    const token = await signToken(first);
    await resolve(requestWith({ bearer: token }));
    later(59_000);
    await resolve(requestWith({ bearer: token }));
    expect(server.hits).toBe(1);
    later(2_000);
    await resolve(requestWith({ bearer: token }));
    expect(server.hits).toBe(2);
  });

  it('without cache headers, keeps the keys for maxAgeMs', async () => {
    const { resolve } = resolver({ jwksFetch: { maxAgeMs: 120_000 } });
    const token = await signToken(first);
    await resolve(requestWith({ bearer: token }));
    later(119_000);
    await resolve(requestWith({ bearer: token }));
    expect(server.hits).toBe(1);
    later(2_000);
    await resolve(requestWith({ bearer: token }));
    expect(server.hits).toBe(2);
  });
});

describe('JWKS: a key of the wrong type is never used', () => {
  it("a key set whose key under the token's kid is EC while the token says RS256", async () => {
    server.keys = [ec.jwk];
    const { resolve, logger } = resolver();
    await expect(resolve(requestWith({ bearer: await signToken(first) }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'unknown_key', source: 'authorization' });
  });

  it('a key set with a symmetric (oct) key, and an HS256 token signed with it', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
    server.keys = [{ kty: 'oct', kid: 'hmac', k: Buffer.from(secret).toString('base64url') }];
    const { resolve, logger } = resolver();
    await expect(resolve(requestWith({ bearer: await signHmac(secret) }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'alg_not_allowed', source: 'authorization' });
  });

  it('a key set that publishes a private key: 503, the provider is misconfigured, nothing is accepted', async () => {
    const { exportJWK } = await import('jose');
    server.keys = [{ ...(await exportJWK(first.privateKey)), kid: first.kid, alg: 'RS256' }];
    const { resolve } = resolver();
    await expectUnavailable(resolve(requestWith({ bearer: await signToken(first) })));
  });
});

describe('JWKS: when the key set cannot be had, 503 auth_unavailable — never 401, never accept-all', () => {
  it('the endpoint is down (connection refused)', async () => {
    const { resolve, logger } = resolver();
    await server.close();
    const error = await expectUnavailable(resolve(requestWith({ bearer: await signToken(first) })));
    expect(error.message).toMatch(/could not be reached/);
    expect(error.message).not.toContain('127.0.0.1');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        event: 'agentry.auth.jwks_unavailable',
        fields: expect.objectContaining({ jwks_url: server.url, failure: 'unreachable' }),
      }),
    );
  });

  it.each([
    ['answers HTTP 500', (s: JwksServer) => (s.status = 500), /HTTP 500/],
    ['answers HTML', (s: JwksServer) => (s.body = '<html>maintenance</html>'), /not JSON/],
    ['answers JSON that is not a key set', (s: JwksServer) => (s.body = '{"error":"nope"}'), /not a key set/],
    [
      'answers more than maxBytes',
      (s: JwksServer) => (s.body = JSON.stringify({ keys: [], pad: 'x'.repeat(70_000) })),
      /more than 65536 bytes/,
    ],
  ])('the endpoint %s', async (_label, breakIt, message) => {
    breakIt(server);
    const { resolve } = resolver();
    const error = await expectUnavailable(resolve(requestWith({ bearer: await signToken(first) })));
    expect(error.message).toMatch(message);
  });

  it('fails fast for a few seconds after a failure instead of fetching on every request', async () => {
    server.status = 500;
    const { resolve } = resolver();
    const token = await signToken(first);
    await expectUnavailable(resolve(requestWith({ bearer: token })));
    const again = await expectUnavailable(resolve(requestWith({ bearer: token })));
    expect(server.hits).toBe(1);
    expect((again as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    server.status = undefined;
    later(JWKS_RETRY_AFTER_MS);
    await expect(resolve(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'acme' });
    expect(server.hits).toBe(2);
  });

  it('a failed refresh keeps the cached keys until maxAgeMs, then answers 503', async () => {
    server.headers = { 'cache-control': 'max-age=60' };
    const { resolve, logger } = resolver({ jwksFetch: { maxAgeMs: 300_000 } });
    const token = await signToken(first);
    await resolve(requestWith({ bearer: token }));
    server.status = 503;
    later(61_000);
    await expect(resolve(requestWith({ bearer: await signToken(first) }))).resolves.toMatchObject({
      tenantId: 'acme',
    });
    expect(server.hits).toBe(2);
    expect(logger.entries.at(-1)?.fields).toMatchObject({ failure: 'status', cached_keys: true });
    later(240_000);
    await expectUnavailable(resolve(requestWith({ bearer: await signToken(first) })));
  });

  it('a fetch that never answers times out after timeoutMs', async () => {
    vi.useFakeTimers();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    const { resolve } = resolver({ jwksFetch: { timeoutMs: 2_000, fetch: hanging } });
    const token = await signToken(first);
    const outcome = resolve(requestWith({ bearer: token })).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(1_999);
    await expect(Promise.race([outcome, Promise.resolve('pending')])).resolves.toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toMatchObject({
      code: 'auth_unavailable',
      message: expect.stringMatching(/within 2000 ms/),
    });
  });
});
