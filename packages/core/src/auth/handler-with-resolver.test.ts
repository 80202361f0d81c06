// The resolver as createHandler uses it, over the handler's fetch interface: 401 for any bad
// token, 503 problem+json when the key set is unavailable, and no token in any response or log.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../server';
import { testExecutor } from '../server/loopback.test-support';
import {
  AUDIENCE,
  capturingLogger,
  ISSUER,
  type JwksServer,
  serveJwks,
  signToken,
  type TestKey,
  tamperPayload,
  testKey,
  unsignedToken,
} from './jwt.test-support';
import { jwtTenantResolver } from './jwt-tenant-resolver';

let key: TestKey;
let jwks: JwksServer;

beforeAll(async () => {
  key = await testKey('ES256', 'es-1');
});

beforeEach(async () => {
  jwks = await serveJwks([key.jwk]);
});

afterEach(async () => {
  vi.useRealTimers();
  await jwks.close();
});

function setup() {
  const logger = capturingLogger();
  const resolveTenant = jwtTenantResolver({
    jwksUrl: jwks.url,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    tenantClaim: 'org_id',
    from: { authorization: true, cookie: '__session' },
    logger,
  });
  const handler = createHandler({ executor: testExecutor(), resolveTenant, basePath: '/api/agentry', logger });
  const get = (headers: Record<string, string>, path = '/api/agentry/agents') =>
    handler(new Request(`https://app.example.test${path}`, { headers }));
  return { get, logger };
}

describe('createHandler with jwtTenantResolver', () => {
  it("a valid bearer token or cookie lists the tenant's agents", async () => {
    const { get } = setup();
    const token = await signToken(key);
    expect((await get({ authorization: `Bearer ${token}` })).status).toBe(200);
    const viaCookie = await get({ cookie: `__session=${token}` });
    expect(viaCookie.status).toBe(200);
    // acme's own agent is listed: the tenant came from the token.
    expect(JSON.stringify(await viaCookie.json())).toContain('acme-private');
  });

  it('every bad token answers the same 401 tenant_required, and no token appears in a body, header or log', async () => {
    const { get, logger } = setup();
    const now = Math.floor(Date.now() / 1000);
    const good = await signToken(key);
    const bad = [
      unsignedToken({ iss: ISSUER, aud: AUDIENCE, sub: 'u', org_id: 'acme', exp: now + 60 }),
      await signToken(key, { claims: { exp: now - 60, iat: now - 120, nbf: now - 120 } }),
      await signToken(key, { claims: { iss: 'https://evil.example.test/' } }),
      await signToken(key, { claims: { org_id: 7 } }),
      tamperPayload(good, (claims) => {
        claims.org_id = 'globex';
      }),
    ];
    const bodies = new Set<string>();
    for (const token of bad) {
      const response = await get({ authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = await response.text();
      bodies.add(body);
      const seen = `${body} ${JSON.stringify([...response.headers])} ${logger.text()}`;
      for (const segment of token.split('.').filter((part) => part.length > 8)) expect(seen).not.toContain(segment);
    }
    // One answer for every reason: a caller learns nothing about which check failed.
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toMatchObject({ status: 401, code: 'tenant_required' });
    const conflict = await get({ authorization: `Bearer ${good}`, cookie: `__session=${bad[1]}` });
    expect(conflict.status).toBe(401);
    expect(logger.text()).not.toContain(good.split('.')[2]!);
  });

  it('a key set that cannot be fetched answers 503 auth_unavailable problem+json, with Retry-After', async () => {
    const { get, logger } = setup();
    const token = await signToken(key);
    await jwks.close();
    const response = await get({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({
      type: 'urn:agentry:error:auth_unavailable',
      status: 503,
      code: 'auth_unavailable',
      retryable: true,
      detail: expect.stringMatching(/signing keys \(JWKS\) are unavailable/),
    });
    // The problem names neither the key set's address nor the token; the server log has the address.
    expect(body).not.toContain('127.0.0.1');
    for (const segment of token.split('.')) expect(body + logger.text()).not.toContain(segment);
    expect(logger.entries.map((entry) => entry.event)).toContain('agentry.auth.jwks_unavailable');
  });

  it('public health stays up (anonymous view) while the key set is unavailable', async () => {
    const { get } = setup();
    const token = await signToken(key);
    await jwks.close();
    const response = await get({ authorization: `Bearer ${token}` }, '/api/agentry/health');
    expect(response.status).toBe(200);
  });
});
