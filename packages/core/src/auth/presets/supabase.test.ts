// Tokens shaped like Supabase Auth access tokens (https://supabase.com/docs/guides/auth/jwt-fields),
// signed with local ES256/RS256 keys (the JWKS at <project>/auth/v1/.well-known/jwks.json through
// msw) or with a legacy HS256 JWT secret.
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, requestWith, signHmac, signToken, type TestKey, testKey } from '../jwt.test-support';
import { supabaseTenantResolver } from './supabase';

const PROJECT = 'https://abcdefghijklmnop.supabase.co';
let es: TestKey;
let rs: TestKey;
const server = setupServer(
  http.get(`${PROJECT}/auth/v1/.well-known/jwks.json`, () => HttpResponse.json({ keys: [es.jwk, rs.jwk] })),
);

beforeAll(async () => {
  es = await testKey('ES256', 'sb-es-1');
  rs = await testKey('RS256', 'sb-rs-1');
  server.listen({ onUnhandledFrame: 'error' });
});
afterAll(() => server.close());

const USER = '5f2b1c9e-8a4d-4c1b-9f0e-2d3c4b5a6978';

function supabaseClaims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `${PROJECT}/auth/v1`,
    aud: 'authenticated',
    exp: now + 3600,
    iat: now,
    sub: USER,
    email: 'ada@example.com',
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'], tenant_id: 'tenant_1', roles: ['editor'] },
    // Editable by the user through updateUser(): never a source of the tenant.
    user_metadata: { tenant_id: 'tenant_evil', full_name: 'Ada' },
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: now }],
    session_id: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    is_anonymous: false,
    ...overrides,
  };
}

const sign = (key: TestKey, overrides: Record<string, unknown> = {}) =>
  signToken(key, { claims: supabaseClaims(overrides), omit: ['org_id', 'nbf'] });

describe('supabaseTenantResolver', () => {
  const logger = capturingLogger();
  const resolve = supabaseTenantResolver({
    projectUrl: PROJECT,
    tenantClaim: 'app_metadata.tenant_id',
    rolesClaim: 'app_metadata.roles',
    logger,
  });

  it('the tenant comes from app_metadata, never user_metadata; ES256 and RS256 signing keys both verify', async () => {
    const expected = { tenantId: 'tenant_1', userId: USER, roles: ['editor'] };
    await expect(resolve(requestWith({ bearer: await sign(es) }))).resolves.toEqual(expected);
    await expect(resolve(requestWith({ bearer: await sign(rs) }))).resolves.toEqual(expected);
  });

  it('a user without app_metadata.tenant_id has no tenant, whatever user_metadata says', async () => {
    const token = await sign(es, { app_metadata: { provider: 'email', providers: ['email'] } });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'no_tenant', source: 'authorization' });
  });

  it('refuses an anon-role token (aud "anon", no user) and a token from another project', async () => {
    await expect(
      resolve(requestWith({ bearer: await sign(es, { aud: 'anon', role: 'anon' }) })),
    ).resolves.toBeUndefined();
    const other = await sign(es, { iss: 'https://zyxwvutsrqponmlk.supabase.co/auth/v1' });
    await expect(resolve(requestWith({ bearer: other }))).resolves.toBeUndefined();
  });

  it('refuses a tenant or roles claim under user_metadata at configuration', () => {
    expect(() => supabaseTenantResolver({ projectUrl: PROJECT, tenantClaim: 'user_metadata.tenant_id' })).toThrow(
      /user_metadata, which every signed-in user can change/,
    );
    expect(() =>
      supabaseTenantResolver({
        projectUrl: PROJECT,
        tenantClaim: 'app_metadata.tenant_id',
        rolesClaim: ['user_metadata', 'roles'],
      }),
    ).toThrow(/rolesClaim reads user_metadata/);
  });

  it('the legacy JWT secret (HS256) verifies when configured, and only then', async () => {
    const jwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long';
    const legacy = supabaseTenantResolver({ projectUrl: PROJECT, tenantClaim: 'app_metadata.tenant_id', jwtSecret });
    const token = await signHmac(new TextEncoder().encode(jwtSecret), {
      claims: supabaseClaims(),
      omit: ['org_id', 'nbf'],
    });
    await expect(legacy(requestWith({ bearer: token }))).resolves.toMatchObject({ tenantId: 'tenant_1' });
    await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
    await expect(legacy(requestWith({ bearer: await sign(es) }))).resolves.toBeUndefined();
  });
});
