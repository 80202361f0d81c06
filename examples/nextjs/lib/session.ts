import type { TenantContext } from '@agentry/core';
import { type JwtTenantResolver, jwtTenantResolver } from '@agentry/core/auth';
import { sessionKeys } from './session-keys';
import { SESSION_AUDIENCE, SESSION_ISSUER } from './session-token';

/**
 * The session: a signed token (ES256 JWT) in an HttpOnly cookie, issued by the sign-in route
 * (`app/api/sign-in/route.ts`) and verified by `jwtTenantResolver` on every Agentry request. The
 * tenant comes from the token's `org_id` claim, never from the request body.
 */
export const SESSION_COOKIE = 'example_session';

/** The sample accounts the sign-in route knows (a real one checks a password or an SSO login). */
export const SAMPLE_SESSIONS: Record<string, { tenantId: string; userId: string; workspace: string }> = {
  sess_acme: { tenantId: 'acme', userId: 'user_ada', workspace: 'Acme Corp' },
  sess_globex: { tenantId: 'globex', userId: 'user_hank', workspace: 'Globex' },
};

/** The workspace name of a tenant, for the page. */
export function workspaceOf(tenantId: string): string | undefined {
  return Object.values(SAMPLE_SESSIONS).find((sample) => sample.tenantId === tenantId)?.workspace;
}

// Made once the key exists. With a real identity provider this is one synchronous call:
// jwtTenantResolver({ jwksUrl: 'https://<your provider>/.well-known/jwks.json', … }).
let resolver: Promise<JwtTenantResolver> | undefined;

function sessionResolver(): Promise<JwtTenantResolver> {
  resolver ??= sessionKeys().then(({ publicKey }) =>
    jwtTenantResolver({
      key: publicKey,
      algorithms: ['ES256'],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      tenantClaim: 'org_id',
      from: { authorization: false, cookie: SESSION_COOKIE },
    }),
  );
  return resolver;
}

/** Resolves the Agentry tenant from the request's session cookie; `undefined` answers 401. */
export async function resolveTenant(request: Request): Promise<TenantContext | undefined> {
  return (await sessionResolver())(request);
}

/** The tenant of a session cookie value, for server components that read `cookies()`. */
export async function tenantFromCookie(value: string | undefined): Promise<TenantContext | undefined> {
  // `cookies()` hands back a URL-decoded value: anything but a JWT's characters is no session
  // (and could not be put back into a header as it is).
  if (value === undefined || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)) return undefined;
  const request = new Request('http://localhost/', { headers: { cookie: `${SESSION_COOKIE}=${value}` } });
  return resolveTenant(request);
}
