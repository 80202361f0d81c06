import { EncryptJWT, exportPKCS8, importPKCS8 } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  capturingLogger,
  ISSUER,
  requestWith,
  signHmac,
  signToken,
  type TestKey,
  tamperPayload,
  testKey,
  unsignedToken,
} from './jwt.test-support';
import { jwtTenantResolver } from './jwt-tenant-resolver';
import type { JwtTenantResolverOptions } from './resolver-options';

let rsa: TestKey;
let other: TestKey;

beforeAll(async () => {
  rsa = await testKey('RS256', 'rsa-1');
  other = await testKey('RS256', 'rsa-1');
});

function resolver(overrides: Partial<JwtTenantResolverOptions> = {}) {
  const logger = capturingLogger();
  const resolve = jwtTenantResolver({
    key: rsa.publicKey,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    tenantClaim: 'org_id',
    logger,
    ...overrides,
  });
  return { resolve, logger };
}

/** Resolves `token` as a bearer token; expects no tenant, the rejection `reason` logged, and the token nowhere in the logs. */
async function expectRejected(token: string, reason: string, overrides: Partial<JwtTenantResolverOptions> = {}) {
  const { resolve, logger } = resolver(overrides);
  await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
  expect(logger.entries).toContainEqual({
    level: 'info',
    event: 'agentry.auth.token_rejected',
    fields: { reason, source: 'authorization' },
  });
  for (const part of token.split('.').filter((segment) => segment.length > 8))
    expect(logger.text()).not.toContain(part);
}

describe('jwtTenantResolver: a valid token', () => {
  it('resolves the tenant, the user and no roles from a bearer token', async () => {
    const { resolve } = resolver();
    await expect(resolve(requestWith({ bearer: await signToken(rsa) }))).resolves.toEqual({
      tenantId: 'acme',
      userId: 'user_1',
    });
  });

  it('reads a named cookie when configured, and only that cookie', async () => {
    const token = await signToken(rsa);
    const { resolve } = resolver({ from: { cookie: '__session' } });
    await expect(resolve(requestWith({ cookie: `theme=dark; __session=${token}` }))).resolves.toMatchObject({
      tenantId: 'acme',
    });
    await expect(resolve(requestWith({ cookie: `other=${token}` }))).resolves.toBeUndefined();
    await expect(resolve(requestWith({ bearer: token }))).resolves.toBeUndefined();
  });

  it('reads roles as a list, a single role as a one-item list', async () => {
    const { resolve } = resolver({ rolesClaim: 'app.roles' });
    const list = await signToken(rsa, { claims: { app: { roles: ['admin', 'billing'] } } });
    const single = await signToken(rsa, { claims: { app: { roles: 'admin' } } });
    await expect(resolve(requestWith({ bearer: list }))).resolves.toMatchObject({ roles: ['admin', 'billing'] });
    await expect(resolve(requestWith({ bearer: single }))).resolves.toMatchObject({ roles: ['admin'] });
  });

  it('accepts the clock tolerance on exp and nbf, no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { resolve } = resolver({ clockToleranceSec: 30 });
    const justExpired = await signToken(rsa, { claims: { exp: now - 20 } });
    const longExpired = await signToken(rsa, { claims: { exp: now - 40 } });
    await expect(resolve(requestWith({ bearer: justExpired }))).resolves.toMatchObject({ tenantId: 'acme' });
    await expect(resolve(requestWith({ bearer: longExpired }))).resolves.toBeUndefined();
  });
});

describe('jwtTenantResolver: bad input resolves to no tenant (401), never a default tenant', () => {
  it('alg "none" without a signature', async () => {
    await expectRejected(
      unsignedToken({ iss: ISSUER, aud: AUDIENCE, sub: 'u', org_id: 'acme', exp: 9e9 }),
      'malformed',
    );
  });

  it('alg "none" with something in the signature slot', async () => {
    const token = unsignedToken({ iss: ISSUER, aud: AUDIENCE, sub: 'u', org_id: 'acme', exp: 9e9 }, 'AAAA');
    await expectRejected(token, 'alg_not_allowed');
  });

  it('HS256 signed with the RSA public key (its PEM text) as the HMAC secret', async () => {
    const forged = await signHmac(new TextEncoder().encode(rsa.pem), { header: { kid: rsa.kid } });
    await expectRejected(forged, 'alg_not_allowed');
  });

  it('an algorithm the key could verify but the allow-list does not name (RS384 when only RS256 is allowed)', async () => {
    // The same RSA key, as a JWK without "alg", verifies RS384 too: only the allow-list stands in the way.
    const { alg: _alg, ...jwk } = rsa.jwk;
    const privateKey = await importPKCS8(await exportPKCS8(rsa.privateKey), 'RS384');
    const rs384 = await signToken({ alg: 'RS384', kid: rsa.kid, privateKey });
    await expectRejected(rs384, 'alg_not_allowed', { key: jwk });
  });

  it('wrong issuer', async () => {
    await expectRejected(await signToken(rsa, { claims: { iss: 'https://evil.example.test/' } }), 'wrong_issuer');
  });

  it('wrong audience', async () => {
    await expectRejected(await signToken(rsa, { claims: { aud: 'https://other-api.example.test' } }), 'wrong_audience');
  });

  it('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(
      await signToken(rsa, { claims: { iat: now - 700, nbf: now - 700, exp: now - 60 } }),
      'expired',
    );
  });

  it('not yet valid (nbf in the future)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await signToken(rsa, { claims: { nbf: now + 60 } }), 'not_yet_valid');
  });

  it('issued in the future (iat beyond the tolerance)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await signToken(rsa, { claims: { iat: now + 3600, nbf: undefined } }), 'issued_in_future');
  });

  it('older than maxTokenAgeSec, whatever its exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await signToken(rsa, { claims: { iat: now - 120, exp: now + 3600 } });
    await expectRejected(old, 'too_old', { maxTokenAgeSec: 60 });
  });

  it('without exp (a token that never expires)', async () => {
    await expectRejected(await signToken(rsa, { omit: ['exp'] }), 'invalid_claims');
  });

  it('a tampered payload (the tenant changed, the signature kept)', async () => {
    const token = tamperPayload(await signToken(rsa), (claims) => {
      claims.org_id = 'globex';
    });
    await expectRejected(token, 'bad_signature');
  });

  it('signed by another key with the same kid', async () => {
    await expectRejected(await signToken(other), 'bad_signature');
  });

  it.each([
    ['a number', 42],
    ['an object', { id: 'acme' }],
    ['an array', ['acme']],
    ['a boolean', true],
    ['an empty string', ''],
    ['whitespace', '   '],
    ['a string with control characters', 'acme\nadmin'],
    ['a string over 256 characters', 'a'.repeat(257)],
  ])('a tenant claim of the wrong type: %s', async (_label, value) => {
    await expectRejected(await signToken(rsa, { claims: { org_id: value } }), 'invalid_tenant_claim');
  });

  it('a valid token without the tenant claim (signed in, but to no tenant)', async () => {
    await expectRejected(await signToken(rsa, { omit: ['org_id'] }), 'no_tenant');
  });

  it('a user claim that is missing or not a string', async () => {
    await expectRejected(await signToken(rsa, { omit: ['sub'] }), 'invalid_user_claim');
    await expectRejected(await signToken(rsa, { claims: { sub: 7 } }), 'invalid_user_claim');
  });

  it('a roles claim of the wrong type', async () => {
    await expectRejected(await signToken(rsa, { claims: { roles: [1, 2] } }), 'invalid_roles_claim', {
      rolesClaim: 'roles',
    });
  });

  it('an oversized token, refused by length before parsing (even a validly signed one)', async () => {
    const big = await signToken(rsa, { claims: { padding: 'x'.repeat(9_000) } });
    await expectRejected(big, 'too_large');
    const { resolve, logger } = resolver({ from: { cookie: '__session' } });
    await expect(resolve(requestWith({ cookie: `__session=${big}` }))).resolves.toBeUndefined();
    expect(logger.entries.at(-1)?.fields).toEqual({ reason: 'too_large', source: 'cookie' });
    const fits = await signToken(rsa, { claims: { padding: 'x'.repeat(3_000) } });
    await expect(resolver().resolve(requestWith({ bearer: fits }))).resolves.toMatchObject({ tenantId: 'acme' });
  });

  it('an encrypted token (JWE, as Auth.js sets by default), with a hint in the log', async () => {
    const secret = new Uint8Array(64).fill(7);
    const jwe = await new EncryptJWT({ sub: 'u', org_id: 'acme' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256CBC-HS512' })
      .encrypt(secret);
    await expectRejected(jwe, 'encrypted');
    const { resolve, logger } = resolver();
    await resolve(requestWith({ bearer: jwe }));
    expect(logger.entries.find((entry) => entry.event === 'agentry.auth.token_unusable')?.fields?.hint).toMatch(
      /auth\(\)/,
    );
  });

  it('a token in the header and another in the cookie: refused, whichever is valid', async () => {
    const acme = await signToken(rsa);
    const globex = await signToken(rsa, { claims: { org_id: 'globex' } });
    const { resolve, logger } = resolver({ from: { authorization: true, cookie: '__session' } });
    await expect(resolve(requestWith({ bearer: acme, cookie: `__session=${globex}` }))).resolves.toBeUndefined();
    await expect(resolve(requestWith({ bearer: acme, cookie: `__session=${acme}x` }))).resolves.toBeUndefined();
    expect(logger.entries.filter((entry) => entry.fields?.reason === 'conflict')).toHaveLength(2);
    // The same token in both places is one token.
    await expect(resolve(requestWith({ bearer: acme, cookie: `__session=${acme}` }))).resolves.toMatchObject({
      tenantId: 'acme',
    });
  });

  it('two cookies of the same name that differ (one planted by a sibling subdomain): refused', async () => {
    const acme = await signToken(rsa);
    const globex = await signToken(rsa, { claims: { org_id: 'globex' } });
    const { resolve } = resolver({ from: { cookie: '__session' } });
    await expect(resolve(requestWith({ cookie: `__session=${globex}; __session=${acme}` }))).resolves.toBeUndefined();
  });

  it('no token at all, another auth scheme, or an empty bearer: no tenant', async () => {
    const { resolve, logger } = resolver();
    await expect(resolve(requestWith())).resolves.toBeUndefined();
    await expect(resolve(requestWith({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }))).resolves.toBeUndefined();
    await expect(resolve(requestWith({ headers: { authorization: 'Bearer ' } }))).resolves.toBeUndefined();
    await expect(resolve(requestWith({ bearer: 'not-a-jwt' }))).resolves.toBeUndefined();
    expect(logger.entries.map((entry) => entry.fields?.reason)).toEqual(['malformed', 'malformed']);
  });
});

describe('jwtTenantResolver: shared secrets (HS256)', () => {
  const secret = new TextEncoder().encode('a-32-byte-or-longer-random-secret-value!!');

  it('verifies HS256 with the configured secret, and refuses another secret', async () => {
    const { resolve } = resolver({ key: secret, algorithms: ['HS256'] });
    await expect(resolve(requestWith({ bearer: await signHmac(secret) }))).resolves.toMatchObject({
      tenantId: 'acme',
    });
    const wrong = await signHmac(new TextEncoder().encode('another-32-byte-or-longer-secret-value!!'));
    await expect(resolve(requestWith({ bearer: wrong }))).resolves.toBeUndefined();
  });

  it('refuses an RS256 token when configured for HS256', async () => {
    await expectRejected(await signToken(rsa), 'alg_not_allowed', { key: secret, algorithms: ['HS256'] });
  });
});

describe('jwtTenantResolver: configuration is checked at creation', () => {
  const base: JwtTenantResolverOptions = {
    key: new Uint8Array(0),
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    tenantClaim: 'org_id',
  };
  const create = (overrides: Partial<JwtTenantResolverOptions>) => () =>
    jwtTenantResolver({ ...base, key: rsa.publicKey, ...overrides });

  it.each<[string, Partial<JwtTenantResolverOptions>, RegExp]>([
    ['no algorithms', { algorithms: undefined as never }, /algorithms is required and has no default/],
    ['an empty allow-list', { algorithms: [] }, /algorithms is required/],
    ['"none"', { algorithms: ['none' as never] }, /"none" is never accepted/],
    ['HS and RS together', { algorithms: ['RS256', 'HS256'] }, /mixes shared-secret \(HS256\) and public-key/],
    ['HS with a public key', { algorithms: ['HS256'] }, /do not fit the key: key is a public key/],
    ['no tenant claim', { tenantClaim: undefined }, /tenantClaim is required \(there is no default tenant\)/],
    ['no audience', { audience: undefined as never }, /audience is required/],
    ['no issuer', { issuer: '' }, /issuer must be a non-empty string/],
    ['both key and jwksUrl', { jwksUrl: 'https://id.example.test/jwks.json' }, /exactly one of jwksUrl/],
    ['a clock tolerance of an hour', { clockToleranceSec: 3600 }, /clockToleranceSec must be an integer from 0 to 300/],
    ['a token bound too large', { maxTokenBytes: 1_000_000 }, /maxTokenBytes must be an integer/],
    ['an empty claim path segment', { tenantClaim: 'o..id' }, /empty key/],
    ['a bad cookie name', { from: { cookie: 'my session' } }, /from.cookie must be a cookie name/],
    ['a from that reads nothing', { from: { authorization: false } }, /from reads nothing/],
    ['mapClaims with tenantClaim', { mapClaims: () => undefined }, /either mapClaims or tenantClaim/],
  ])('refuses %s', (_label, overrides, message) => {
    expect(create(overrides)).toThrow(message);
  });

  it('refuses a public key passed as secret bytes (the HS/RS confusion hole), a short secret and a private key', async () => {
    expect(create({ key: new TextEncoder().encode(rsa.pem), algorithms: ['HS256'] })).toThrow(
      /text of a public or private key/,
    );
    expect(create({ key: new TextEncoder().encode(JSON.stringify(rsa.jwk)), algorithms: ['HS256'] })).toThrow(
      /text of a public or private key/,
    );
    expect(create({ key: new TextEncoder().encode('short'), algorithms: ['HS256'] })).toThrow(/at least 32/);
    expect(create({ key: rsa.privateKey })).toThrow(/private key/);
  });

  it('refuses a JWKS URL over plain http unless it is loopback', () => {
    const url = (jwksUrl: string) => () =>
      jwtTenantResolver({ ...base, key: undefined, jwksUrl, algorithms: ['RS256'] });
    expect(url('http://id.example.test/.well-known/jwks.json')).toThrow(/must use https/);
    expect(url('http://127.0.0.1:9/.well-known/jwks.json')).not.toThrow();
    expect(url('https://id.example.test/.well-known/jwks.json')).not.toThrow();
    expect(() =>
      jwtTenantResolver({ ...base, key: undefined, jwksUrl: 'https://x.test/', algorithms: ['HS256'] }),
    ).toThrow(/a key set from jwksUrl holds public keys/);
  });
});
