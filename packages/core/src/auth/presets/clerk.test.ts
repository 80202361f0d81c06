// Tokens shaped like Clerk's session tokens (https://clerk.com/docs/guides/sessions/session-tokens),
// signed with a local RS256 key; the key set is served at the Frontend API's JWKS URL through msw.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, requestWith, signToken, type TestKey, testKey } from '../jwt.test-support';
import { jwtTenantResolver } from '../jwt-tenant-resolver';
import { clerkClaimsToTenant, clerkTenantResolver } from './clerk';

const FRONTEND_API = 'https://clerk.example.com';
const APP = 'https://app.example.com';
let key: TestKey;
const server = setupServer(
  http.get(`${FRONTEND_API}/.well-known/jwks.json`, () => HttpResponse.json({ keys: [key.jwk] })),
);

beforeAll(async () => {
  key = await testKey('RS256', 'ins_2abcdefghijkl');
  server.listen({ onUnhandledFrame: 'error' });
});
afterAll(() => server.close());

function clerkToken(claims: Record<string, unknown>, omit: string[] = []) {
  const now = Math.floor(Date.now() / 1000);
  // Clerk's default claims: no `aud`; `azp` is the page's origin.
  const all: Record<string, unknown> = {
    azp: APP,
    iss: FRONTEND_API,
    sid: 'sess_2abc',
    sub: 'user_2abc',
    nbf: now - 10,
    iat: now,
    exp: now + 60,
    fva: [7, -1],
    ...claims,
  };
  for (const claim of omit) delete all[claim];
  return signToken(key, { claims: all, omit: ['aud', 'org_id'] });
}

const v2 = (o: Record<string, unknown> | undefined) =>
  clerkToken({ v: 2, sts: 'active', ...(o === undefined ? {} : { o }) });

describe('clerkTenantResolver', () => {
  const logger = capturingLogger();
  const resolve = clerkTenantResolver({ frontendApiUrl: FRONTEND_API, authorizedParties: [APP], logger });

  it("v2 tokens: the active organization (o.id) is the tenant, o.rol becomes org:<role> as in Clerk's SDK", async () => {
    const token = await v2({ id: 'org_2xyz', rol: 'admin', slg: 'acme', per: 'read,manage', fpm: '3' });
    const expected = { tenantId: 'org_2xyz', userId: 'user_2abc', roles: ['org:admin'] };
    await expect(resolve(requestWith({ cookie: `__session=${token}` }))).resolves.toEqual(expected);
    await expect(resolve(requestWith({ bearer: token }))).resolves.toEqual(expected);
  });

  it('v1 tokens: org_id and org_role', async () => {
    const token = await clerkToken({ org_id: 'org_2xyz', org_role: 'org:admin', org_slug: 'acme' });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toEqual({
      tenantId: 'org_2xyz',
      userId: 'user_2abc',
      roles: ['org:admin'],
    });
  });

  it('a user with no active organization has no tenant (never a personal default)', async () => {
    await expect(resolve(requestWith({ bearer: await v2(undefined) }))).resolves.toBeUndefined();
    await expect(resolve(requestWith({ bearer: await clerkToken({}) }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'no_tenant', source: 'authorization' });
  });

  it('a v1 field in a v2 token is not read (the version decides where the organization is)', async () => {
    await expect(
      resolve(requestWith({ bearer: await clerkToken({ v: 2, org_id: 'org_2xyz' }) })),
    ).resolves.toBeUndefined();
  });

  it('an unknown token version is refused rather than guessed', async () => {
    await expect(
      resolve(requestWith({ bearer: await clerkToken({ v: 3, o: { id: 'org_2xyz' }, org_id: 'org_2xyz' }) })),
    ).resolves.toBeUndefined();
  });

  it('o.id of the wrong type is refused', async () => {
    await expect(resolve(requestWith({ bearer: await v2({ id: 42, rol: 'admin' }) }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'invalid_tenant_claim', source: 'authorization' });
  });

  it('azp from another origin is refused; a token without azp passes (Clerk omits it when Origin is empty)', async () => {
    const foreign = await clerkToken({ v: 2, o: { id: 'org_2xyz' }, azp: 'https://evil.example.com' });
    await expect(resolve(requestWith({ bearer: foreign }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'wrong_authorized_party', source: 'authorization' });
    const none = await clerkToken({ v: 2, o: { id: 'org_2xyz' } }, ['azp']);
    await expect(resolve(requestWith({ bearer: none }))).resolves.toMatchObject({ tenantId: 'org_2xyz' });
  });

  it('a token from another Clerk instance (another iss) is refused', async () => {
    const token = await clerkToken({ v: 2, o: { id: 'org_2xyz' }, iss: 'https://clerk.other.com' });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
  });

  it('needs authorizedParties (or an explicit false) and an https Frontend API URL', () => {
    expect(() => clerkTenantResolver({ frontendApiUrl: FRONTEND_API } as never)).toThrow(
      /authorizedParties is required/,
    );
    expect(() => clerkTenantResolver({ frontendApiUrl: 'http://clerk.example.com', authorizedParties: false })).toThrow(
      /must use https/,
    );
    expect(() => clerkTenantResolver({ frontendApiUrl: FRONTEND_API, authorizedParties: false })).not.toThrow();
  });

  it('the documented personal-workspace recipe: the active organization, else the user, by explicit choice', async () => {
    const personal = jwtTenantResolver({
      jwksUrl: `${FRONTEND_API}/.well-known/jwks.json`,
      issuer: FRONTEND_API,
      audience: false,
      algorithms: ['RS256'],
      authorizedParties: [APP],
      from: { authorization: true, cookie: '__session' },
      mapClaims: (claims) =>
        clerkClaimsToTenant(claims) ??
        (typeof claims.sub === 'string' ? { tenantId: `user:${claims.sub}`, userId: claims.sub } : undefined),
    });
    await expect(personal(requestWith({ bearer: await v2(undefined) }))).resolves.toEqual({
      tenantId: 'user:user_2abc',
      userId: 'user_2abc',
    });
    await expect(personal(requestWith({ bearer: await v2({ id: 'org_2xyz', rol: 'member' }) }))).resolves.toEqual({
      tenantId: 'org_2xyz',
      userId: 'user_2abc',
      roles: ['org:member'],
    });
  });
});
