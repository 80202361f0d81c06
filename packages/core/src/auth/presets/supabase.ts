// Supabase Auth access tokens, as documented at https://supabase.com/docs/guides/auth/jwt-fields
// and https://supabase.com/docs/guides/auth/signing-keys (read 2026-12-02): `iss` is
// `https://<project-ref>.supabase.co/auth/v1`, `aud` is `authenticated`, `sub` the user's UUID,
// `role` the Postgres role (`authenticated`, `anon`), `app_metadata` set only by your server
// (admin API, hooks) and `user_metadata` **editable by the user** through `updateUser()`. New
// signing keys are asymmetric (ES256 or RS256) at `<project>/auth/v1/.well-known/jwks.json`;
// projects on the legacy JWT secret sign HS256 with it. Supabase has no tenant claim of its own:
// put the tenant in `app_metadata` (never `user_metadata`, which any signed-in user can set).
import type { ClaimPath } from '../claim-path';
import { type JwtTenantResolver, jwtTenantResolver } from '../jwt-tenant-resolver';
import { httpsOrigin, type PresetSharedOptions, sharedOptions } from './shared-options';

/** Options for {@link supabaseTenantResolver}. */
export interface SupabaseTenantResolverOptions extends PresetSharedOptions {
  /**
   * Your project's URL.
   * @example 'https://abcdefghijklmnop.supabase.co'
   */
  projectUrl: string;
  /**
   * Where the tenant is. Required, and refused under `user_metadata` (users edit it themselves).
   * @example 'app_metadata.tenant_id'
   */
  tenantClaim: ClaimPath;
  /**
   * Where application roles are (refused under `user_metadata`). `role` is the Postgres role
   * (`authenticated`), not an application role.
   * @default undefined
   * @example 'app_metadata.roles'
   */
  rolesClaim?: ClaimPath;
  /** The audience. @default 'authenticated' */
  audience?: string | readonly string[];
  /** Asymmetric signing keys' algorithms. Ignored with `jwtSecret`. @default ['ES256', 'RS256'] */
  algorithms?: readonly ('ES256' | 'RS256')[];
  /**
   * The legacy JWT secret (HS256), for projects not yet on signing keys. Keep it out of the
   * browser and your logs. @default undefined (the project's JWKS is used)
   */
  jwtSecret?: string;
}

function touchesUserMetadata(path: ClaimPath | undefined): boolean {
  if (path === undefined) return false;
  const first = typeof path === 'string' ? path.split('.')[0] : path[0];
  return first === 'user_metadata';
}

/** A tenant resolver for Supabase Auth access tokens (`Authorization: Bearer`). */
export function supabaseTenantResolver(options: SupabaseTenantResolverOptions): JwtTenantResolver {
  const project = httpsOrigin(options.projectUrl, 'supabaseTenantResolver: projectUrl', "'https://<ref>.supabase.co'");
  for (const [option, path] of [
    ['tenantClaim', options.tenantClaim],
    ['rolesClaim', options.rolesClaim],
  ] as const) {
    if (touchesUserMetadata(path)) {
      throw new TypeError(
        `supabaseTenantResolver: ${option} reads user_metadata, which every signed-in user can change with updateUser(): a user could pick any tenant. Store it in app_metadata (set by your server) instead.`,
      );
    }
  }
  const issuer = `${project}/auth/v1`;
  const keys =
    options.jwtSecret === undefined
      ? { jwksUrl: `${issuer}/.well-known/jwks.json`, algorithms: options.algorithms ?? (['ES256', 'RS256'] as const) }
      : { key: new TextEncoder().encode(options.jwtSecret), algorithms: ['HS256'] as const };
  return jwtTenantResolver({
    ...sharedOptions(options),
    ...keys,
    issuer,
    audience: options.audience ?? 'authenticated',
    tenantClaim: options.tenantClaim,
    ...(options.rolesClaim === undefined ? {} : { rolesClaim: options.rolesClaim }),
  });
}
