// Clerk session tokens, as documented at https://clerk.com/docs/guides/sessions/session-tokens
// (read 2026-12-02): RS256-signed, `iss` = your Frontend API URL, no `aud`, `azp` = the origin of
// the page that asked for the token, `sub` = user id. Version 2 (`v: 2`, the default since
// 2025-04-14, https://clerk.com/changelog/2025-04-14-session-token-jwt-v2) nests the active
// organization in `o`: `o.id`, `o.slg`, and `o.rol` — the role key *without* Clerk's `org:`
// prefix (Clerk's own SDK adds it back: `org:${o.rol}`). Version 1 has `org_id`, `org_slug`,
// `org_role` (`org:admin`). Keys are at `<Frontend API>/.well-known/jwks.json`; the token is
// in the `__session` cookie (same origin) or `Authorization: Bearer` (cross origin), per
// https://clerk.com/docs/guides/sessions/manual-jwt-verification.
import type { TenantContext } from '../../tenant';
import type { VerifiedClaims } from '../claims-to-tenant';
import { type JwtTenantResolver, jwtTenantResolver } from '../jwt-tenant-resolver';
import type { TokenLocation } from '../read-token';
import { httpsOrigin, type PresetSharedOptions, sharedOptions } from './shared-options';

/** Options for {@link clerkTenantResolver}. */
export interface ClerkTenantResolverOptions extends PresetSharedOptions {
  /**
   * Your instance's Frontend API URL: the `iss` of its session tokens.
   * @example 'https://clerk.example.com'
   * @example 'https://your-app-12.clerk.accounts.dev'
   */
  frontendApiUrl: string;
  /**
   * The origins your app runs on, checked against `azp` (Clerk's defence against a session token
   * minted on another of your subdomains). Required; `false` skips the check.
   * @example ['https://app.example.com']
   */
  authorizedParties: readonly string[] | false;
  /** Where the key set is. @default `${frontendApiUrl}/.well-known/jwks.json` */
  jwksUrl?: string;
  /** Where the token is read. @default { authorization: true, cookie: '__session' } */
  from?: TokenLocation;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The tenant of a verified Clerk session token: its active organization (v2 `o.id`, v1
 * `org_id`), the user (`sub`) and the organization role as Clerk's SDK spells it (`org:admin`
 * in both versions). A user with no active organization has no tenant (401).
 */
export function clerkClaimsToTenant(claims: VerifiedClaims): TenantContext | undefined {
  let orgId: unknown;
  let role: unknown;
  if (claims.v === 2) {
    const organization = isObject(claims.o) ? claims.o : {};
    orgId = organization.id;
    role = typeof organization.rol === 'string' ? `org:${organization.rol}` : organization.rol;
  } else if (claims.v === undefined) {
    orgId = claims.org_id;
    role = claims.org_role;
  } else {
    // A version this preset does not know: refuse rather than guess where the organization went.
    return undefined;
  }
  // Signed in without an active organization: no tenant.
  if (orgId === undefined) return undefined;
  // Values of the wrong type go on to the resolver's checks, which refuse them (invalid_*_claim).
  const tenant = { tenantId: orgId, userId: claims.sub ?? null } as TenantContext;
  if (role !== undefined) tenant.roles = (typeof role === 'string' ? [role] : role) as string[];
  return tenant;
}

/**
 * A tenant resolver for Clerk: verifies the session token from the `__session` cookie or the
 * `Authorization` header against your instance's key set and maps its active organization to the
 * tenant (see {@link clerkClaimsToTenant}).
 */
export function clerkTenantResolver(options: ClerkTenantResolverOptions): JwtTenantResolver {
  const issuer = httpsOrigin(
    options.frontendApiUrl,
    'clerkTenantResolver: frontendApiUrl',
    "'https://clerk.example.com'",
  );
  if (options.authorizedParties === undefined) {
    throw new TypeError(
      "clerkTenantResolver: authorizedParties is required: the origins your app runs on (['https://app.example.com']), or false to skip the azp check.",
    );
  }
  return jwtTenantResolver({
    from: { authorization: true, cookie: '__session' },
    ...sharedOptions(options),
    jwksUrl: options.jwksUrl ?? `${issuer}/.well-known/jwks.json`,
    issuer,
    // Clerk session tokens carry no `aud`; `azp` is their audience check.
    audience: false,
    algorithms: ['RS256'],
    mapClaims: clerkClaimsToTenant,
    ...(options.authorizedParties === false ? {} : { authorizedParties: options.authorizedParties }),
  });
}
