// Auth.js session cookies (https://authjs.dev/reference/core/jwt): by default an *encrypted* JWT
// (JWE, dir + A256CBC-HS512), which no verifier can read; with jwt.encode/decode overridden to
// sign (https://authjs.dev/guides/basics/overriding-jwt), a JWS this resolver verifies. Claims are
// Auth.js's defaults (name, email, picture, sub, iat, exp, jti) plus what the jwt callback adds.
import { EncryptJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger, requestWith, signToken, type TestKey, testKey } from '../jwt.test-support';
import { AUTHJS_SESSION_COOKIE, authjsTenantResolver } from './authjs';

const APP = 'https://app.example.com';
let key: TestKey;

beforeAll(async () => {
  key = await testKey('ES256', 'authjs-1');
});

function sessionToken(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return signToken(key, {
    claims: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      picture: null,
      sub: 'b6a1f0c2-user',
      // Added by the jwt callback (the tenant) and by the encode override (iss, aud).
      orgId: 'acme',
      iss: APP,
      aud: 'agentry',
      iat: now,
      exp: now + 30 * 24 * 3600,
      jti: 'a1b2c3d4-jti',
      ...extra,
    },
    omit: ['org_id', 'nbf'],
  });
}

describe('authjsTenantResolver', () => {
  const logger = capturingLogger();
  const options = {
    algorithms: ['ES256'] as const,
    issuer: APP,
    audience: 'agentry',
    tenantClaim: 'orgId',
    logger,
  };

  it("verifies a signed session cookie (__Secure- prefixed on https) and maps the jwt callback's tenant", async () => {
    const resolve = authjsTenantResolver({ ...options, key: key.publicKey });
    const token = await sessionToken();
    await expect(resolve(requestWith({ cookie: `${AUTHJS_SESSION_COOKIE.secure}=${token}` }))).resolves.toEqual({
      tenantId: 'acme',
      userId: 'b6a1f0c2-user',
    });
    // Only the cookie: a bearer header is not an Auth.js session.
    await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
  });

  it('reads authjs.session-token with secureCookie: false (http in development)', async () => {
    const resolve = authjsTenantResolver({ ...options, key: key.publicKey, secureCookie: false });
    const token = await sessionToken();
    await expect(resolve(requestWith({ cookie: `${AUTHJS_SESSION_COOKIE.insecure}=${token}` }))).resolves.toMatchObject(
      {
        tenantId: 'acme',
      },
    );
  });

  it('reads a renamed cookie (cookies.sessionToken.name)', async () => {
    const resolve = authjsTenantResolver({ ...options, key: key.publicKey, cookieName: 'app.session' });
    const token = await sessionToken();
    await expect(resolve(requestWith({ cookie: `app.session=${token}` }))).resolves.toMatchObject({ tenantId: 'acme' });
    await expect(resolve(requestWith({ cookie: `${AUTHJS_SESSION_COOKIE.secure}=${token}` }))).resolves.toBeUndefined();
  });

  it('a session without the tenant (the jwt callback did not add it) has none', async () => {
    const resolve = authjsTenantResolver({ ...options, key: key.publicKey });
    const token = await sessionToken({ orgId: undefined });
    await expect(resolve(requestWith({ cookie: `${AUTHJS_SESSION_COOKIE.secure}=${token}` }))).resolves.toBeUndefined();
  });

  it("Auth.js's default encrypted cookie is not verifiable: no tenant, and the log says to use auth()", async () => {
    const resolve = authjsTenantResolver({ ...options, key: key.publicKey });
    const now = Math.floor(Date.now() / 1000);
    const jwe = await new EncryptJWT({
      name: 'Ada',
      email: 'ada@example.com',
      sub: 'u',
      orgId: 'acme',
      iat: now,
      exp: now + 60,
      jti: 'j',
    })
      .setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512', kid: 'derived-from-AUTH_SECRET' })
      .encrypt(new Uint8Array(64).fill(1));
    await expect(resolve(requestWith({ cookie: `${AUTHJS_SESSION_COOKIE.secure}=${jwe}` }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)).toMatchObject({
      level: 'warn',
      event: 'agentry.auth.token_unusable',
      fields: {
        reason: 'encrypted',
        source: 'cookie',
        hint: expect.stringMatching(/call auth\(\) in the route handler/),
      },
    });
  });
});
