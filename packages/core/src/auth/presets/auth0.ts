// Auth0 access tokens, as documented at https://auth0.com/docs/secure/tokens/access-tokens and
// https://auth0.com/docs/manage-users/organizations/using-tokens (read 2026-12-02): `iss` is
// `https://<your domain>/` (trailing slash), `aud` your API's identifier, `sub` the user, signed
// RS256 by default with keys at `https://<your domain>/.well-known/jwks.json`. A user who logs in
// through an Organization gets `org_id` (and `org_name` when enabled). Anything else you add in an
// Action is a custom claim; Auth0 recommends namespacing it with a URL
// (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims), e.g.
// `https://example.com/roles`: such a URL is one claim name (see ClaimPath), not a path.
import type { ClaimPath } from '../claim-path';
import { type JwtTenantResolver, jwtTenantResolver } from '../jwt-tenant-resolver';
import { type PresetSharedOptions, sharedOptions } from './shared-options';

/** Options for {@link auth0TenantResolver}. */
export interface Auth0TenantResolverOptions extends PresetSharedOptions {
  /**
   * Your Auth0 domain (or custom domain), without scheme.
   * @example 'your-tenant.us.auth0.com'
   */
  domain: string;
  /**
   * Your API's identifier: the `audience` your app requests tokens for. Required.
   * @example 'https://api.example.com'
   */
  audience: string | readonly string[];
  /**
   * Where the tenant is: `org_id` with Auth0 Organizations, or a namespaced custom claim.
   * @default 'org_id'
   * @example 'https://example.com/tenant_id'
   */
  tenantClaim?: ClaimPath;
  /** Where the user is. @default 'sub' */
  userClaim?: ClaimPath;
  /**
   * Where roles are, if an Action adds them.
   * @default undefined
   * @example 'https://example.com/roles'
   */
  rolesClaim?: ClaimPath;
  /** What your API signs with (Auth0 → APIs → Settings). @default ['RS256'] */
  algorithms?: readonly ('RS256' | 'PS256')[];
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * A tenant resolver for Auth0 access tokens (`Authorization: Bearer`): issuer, audience and key
 * set follow from `domain`; the tenant defaults to the Organization (`org_id`).
 */
export function auth0TenantResolver(options: Auth0TenantResolverOptions): JwtTenantResolver {
  if (typeof options.domain !== 'string' || !HOST.test(options.domain)) {
    throw new TypeError(
      `auth0TenantResolver: domain must be a host name such as 'your-tenant.us.auth0.com', without https:// (got ${JSON.stringify(options.domain)}).`,
    );
  }
  return jwtTenantResolver({
    ...sharedOptions(options),
    jwksUrl: `https://${options.domain}/.well-known/jwks.json`,
    issuer: `https://${options.domain}/`,
    audience: options.audience,
    algorithms: options.algorithms ?? ['RS256'],
    tenantClaim: options.tenantClaim ?? 'org_id',
    ...(options.userClaim === undefined ? {} : { userClaim: options.userClaim }),
    ...(options.rolesClaim === undefined ? {} : { rolesClaim: options.rolesClaim }),
  });
}
