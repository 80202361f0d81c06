import type { TenantContext } from '../tenant';
import { claimsToTenant } from './claims-to-tenant';
import { readToken } from './read-token';
import type { TokenRejection, TokenSource } from './rejection';
import { type JwtTenantResolverOptions, resolveOptions } from './resolver-options';
import { verifyToken } from './verify-token';

/**
 * A `resolveTenant` for `createHandler`: the tenant of a request's verified token, or
 * `undefined` (the handler answers 401). Throws an `AgentryError` with code `auth_unavailable`
 * (503) when the key set cannot be fetched, so "the provider is down" never reads as
 * "signed out", and never as "signed in".
 */
export type JwtTenantResolver = (request: Request) => Promise<TenantContext | undefined>;

const HINTS: Partial<Record<TokenRejection, string>> = {
  encrypted:
    'The token is encrypted (JWE), not signed. Auth.js encrypts its session cookie by default: call auth() in the route handler instead, or sign the token (docs/security.md, Auth.js).',
  key_mismatch: 'The configured key cannot verify this algorithm: check that algorithms matches the key type.',
};

/**
 * Creates a tenant resolver that verifies a JWT from the `Authorization: Bearer` header or a
 * named cookie and maps its claims to a {@link TenantContext}. Every check fails closed: a
 * missing, malformed, oversized, expired, not-yet-valid, wrongly-signed, wrong-issuer or
 * wrong-audience token, an algorithm not on the list, or a valid token without a usable tenant
 * claim resolves to no tenant. There is no default tenant. Options are checked here, at
 * creation, with errors that say what to change. See docs/security.md, Authentication.
 * @example
 * const resolveTenant = jwtTenantResolver({
 *   jwksUrl: 'https://your-tenant.us.auth0.com/.well-known/jwks.json',
 *   issuer: 'https://your-tenant.us.auth0.com/',
 *   audience: 'https://api.example.com',
 *   algorithms: ['RS256'],
 *   tenantClaim: 'org_id',
 * });
 * createHandler({ executor, resolveTenant });
 */
export function jwtTenantResolver(options: JwtTenantResolverOptions): JwtTenantResolver {
  const config = resolveOptions(options);
  const { logger } = config;

  function rejected(reason: TokenRejection, source: TokenSource): undefined {
    // The reason and where the token came from; never the token, its claims or the key.
    logger.info('agentry.auth.token_rejected', { reason, source });
    const hint = HINTS[reason];
    if (hint !== undefined) logger.warn('agentry.auth.token_unusable', { reason, source, hint });
    return undefined;
  }

  return async function resolveTenant(request: Request): Promise<TenantContext | undefined> {
    const read = readToken(request, config.from, config.maxTokenBytes);
    if (read.status === 'none') return undefined;
    if (read.status === 'rejected') return rejected(read.reason, read.source);
    const verified = await verifyToken(read.token, config.verify);
    if (verified.status === 'invalid') return rejected(verified.reason, read.source);
    const mapped = claimsToTenant(verified.claims, config.mapping);
    if (mapped.status === 'rejected') return rejected(mapped.reason, read.source);
    return mapped.tenant;
  };
}
