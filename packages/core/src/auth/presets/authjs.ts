// Auth.js (NextAuth v5) sessions, as documented at https://authjs.dev/reference/core/jwt and
// https://authjs.dev/guides/basics/overriding-jwt (read 2026-12-02). Its session cookie
// (`authjs.session-token`, `__Secure-authjs.session-token` on https) holds a JWT that is
// *encrypted* by default (JWE, A256CBC-HS512, key derived from AUTH_SECRET), not signed: no JWT
// verifier can read it, and this one says so (`encrypted`) instead of guessing. Two honest ways:
//   1. Recommended: call Auth.js's `auth()` in the route handler and map the session yourself —
//      Auth.js decrypts and checks it (docs/security.md shows the five lines).
//   2. Override `jwt.encode`/`jwt.decode` to *sign* the token (e.g. jose's SignJWT with ES256,
//      adding `iss` and `aud`), put the tenant in it in the `jwt` callback, and verify it here.
// Its default claims are `sub`, `name`, `email`, `picture`, `iat`, `exp`, `jti`.
import type { KeyInput } from 'jose';
import type { ClaimPath } from '../claim-path';
import { type JwtTenantResolver, jwtTenantResolver } from '../jwt-tenant-resolver';
import type { JwtTenantResolverOptions } from '../resolver-options';
import { type PresetSharedOptions, sharedOptions } from './shared-options';

/** The Auth.js v5 session cookie names. */
export const AUTHJS_SESSION_COOKIE = {
  secure: '__Secure-authjs.session-token',
  insecure: 'authjs.session-token',
} as const;

/** Options for {@link authjsTenantResolver}: your `jwt.encode` override decides every value. */
export interface AuthjsTenantResolverOptions
  extends Omit<PresetSharedOptions, 'jwksFetch' | 'from'>,
    Pick<JwtTenantResolverOptions, 'algorithms' | 'issuer' | 'audience'> {
  /** The public key (or ≥32-byte secret) your `jwt.encode` override signs with. */
  key: KeyInput;
  /**
   * Where your `jwt` callback put the tenant.
   * @example 'orgId'
   */
  tenantClaim: ClaimPath;
  /** Where the user is. Auth.js sets `sub` to the user id. @default 'sub' */
  userClaim?: ClaimPath;
  /** Where roles are, if your `jwt` callback adds them. @default undefined */
  rolesClaim?: ClaimPath;
  /**
   * Whether the cookie has Auth.js's `__Secure-` prefix (it does on https).
   * @default true
   */
  secureCookie?: boolean;
  /**
   * The session cookie's name, if you renamed it (`cookies.sessionToken.name`).
   * @default '__Secure-authjs.session-token', or 'authjs.session-token' with secureCookie: false
   */
  cookieName?: string;
}

/**
 * A tenant resolver for an Auth.js session cookie whose JWT you *sign* (by overriding
 * `jwt.encode`/`jwt.decode`). With Auth.js's default encrypted cookie, use `auth()` in the route
 * handler instead: see docs/security.md.
 */
export function authjsTenantResolver(options: AuthjsTenantResolverOptions): JwtTenantResolver {
  const cookie =
    options.cookieName ??
    (options.secureCookie === false ? AUTHJS_SESSION_COOKIE.insecure : AUTHJS_SESSION_COOKIE.secure);
  return jwtTenantResolver({
    from: { authorization: false, cookie },
    ...sharedOptions(options),
    key: options.key,
    algorithms: options.algorithms,
    issuer: options.issuer,
    audience: options.audience,
    tenantClaim: options.tenantClaim,
    ...(options.userClaim === undefined ? {} : { userClaim: options.userClaim }),
    ...(options.rolesClaim === undefined ? {} : { rolesClaim: options.rolesClaim }),
  });
}
