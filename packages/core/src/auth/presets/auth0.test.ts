// Tokens shaped like Auth0 access tokens (https://auth0.com/docs/secure/tokens/access-tokens,
// https://auth0.com/docs/manage-users/organizations/using-tokens), signed with a local RS256 key;
// the key set is served at https://<domain>/.well-known/jwks.json through msw.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, requestWith, signToken, type TestKey, testKey } from '../jwt.test-support';
import { auth0TenantResolver } from './auth0';

const DOMAIN = 'your-tenant.us.auth0.com';
const API = 'https://api.example.com';
let key: TestKey;
const server = setupServer(
  http.get(`https://${DOMAIN}/.well-known/jwks.json`, () => HttpResponse.json({ keys: [key.jwk] })),
);

beforeAll(async () => {
  key = await testKey('RS256', 'auth0-key-1');
  server.listen({ onUnhandledFrame: 'error' });
});
afterAll(() => server.close());

function auth0Token(claims: Record<string, unknown>) {
  return signToken(key, {
    claims: {
      iss: `https://${DOMAIN}/`,
      sub: 'auth0|65f0c0ffee',
      aud: [API, `https://${DOMAIN}/userinfo`],
      azp: 'cLiEnTiD',
      scope: 'openid profile',
      ...claims,
    },
    omit: ['org_id'],
  });
}

describe('auth0TenantResolver', () => {
  const logger = capturingLogger();

  it('Organizations: org_id is the tenant; namespaced roles from an Action', async () => {
    const resolve = auth0TenantResolver({ domain: DOMAIN, audience: API, rolesClaim: 'https://example.com/roles' });
    const token = await auth0Token({ org_id: 'org_9aBc', 'https://example.com/roles': ['admin', 'editor'] });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toEqual({
      tenantId: 'org_9aBc',
      userId: 'auth0|65f0c0ffee',
      roles: ['admin', 'editor'],
    });
  });

  it('a namespaced custom claim is one claim name, not a dotted path', async () => {
    const resolve = auth0TenantResolver({
      domain: DOMAIN,
      audience: API,
      tenantClaim: 'https://example.com/tenant_id',
    });
    const token = await auth0Token({ 'https://example.com/tenant_id': 'tenant_42' });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'tenant_42' });
    // The same value nested as if the URL were a path does not count.
    const nested = await auth0Token({ 'https://example': { 'com/tenant_id': 'tenant_42' } });
    await expect(resolve(requestWith({ bearer: nested }))).resolves.toBeUndefined();
  });

  it('a value inside a namespaced object, with the array form', async () => {
    const resolve = auth0TenantResolver({
      domain: DOMAIN,
      audience: API,
      tenantClaim: ['https://example.com/app', 'tenant.id'],
    });
    const token = await auth0Token({ 'https://example.com/app': { 'tenant.id': 'tenant_7' } });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'tenant_7' });
  });

  it('refuses a token for another API, from another tenant, or without the trailing slash Auth0 puts in iss', async () => {
    const resolve = auth0TenantResolver({ domain: DOMAIN, audience: API, logger });
    const cases: [Record<string, unknown>, string][] = [
      [{ org_id: 'org_9aBc', aud: 'https://other-api.example.com' }, 'wrong_audience'],
      [{ org_id: 'org_9aBc', iss: 'https://other-tenant.us.auth0.com/' }, 'wrong_issuer'],
      [{ org_id: 'org_9aBc', iss: `https://${DOMAIN}` }, 'wrong_issuer'],
      // Logged in without an Organization.
      [{}, 'no_tenant'],
    ];
    for (const [claims, reason] of cases) {
      const token = await auth0Token(claims);
      await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
      expect(logger.entries.at(-1)?.fields).toEqual({ reason, source: 'authorization' });
    }
  });

  it('wants a bare domain', () => {
    expect(() => auth0TenantResolver({ domain: `https://${DOMAIN}/`, audience: API })).toThrow(/without https:\/\//);
  });
});
