import type { TenantContext } from '../tenant';
import { type ClaimKeys, readClaim } from './claim-path';
import type { TokenRejection } from './rejection';

/** The verified payload of a token: every signature, time, issuer and audience check has passed. */
export type VerifiedClaims = Readonly<Record<string, unknown>>;

/**
 * Maps verified claims to a tenant by hand, for claim layouts a path cannot express (e.g. a
 * field that moved between token versions). Return nothing for "no tenant": never a default.
 */
export type MapClaims = (claims: VerifiedClaims) => TenantContext | null | undefined;

/** How claims become a {@link TenantContext}: paths, or a function. */
export type ClaimMapping =
  | { type: 'paths'; tenant: ClaimKeys; user: ClaimKeys; roles: ClaimKeys | undefined }
  | { type: 'function'; map: MapClaims };

/** Longest tenant or user id accepted, in characters. */
export const MAX_ID_LENGTH = 256;
/** Most roles accepted from one token. */
export const MAX_ROLES = 64;

// C0 controls and DEL: an id with them would corrupt logs and headers downstream.
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function isId(value: unknown): value is string {
  return (
    typeof value === 'string' && value.trim() !== '' && value.length <= MAX_ID_LENGTH && !hasControlCharacter(value)
  );
}

/** `undefined` when absent, the list when a string or an array of strings, `false` when unusable. */
function toRoles(value: unknown): readonly string[] | undefined | false {
  if (value === undefined || value === null) return undefined;
  // A single role (Clerk's `o.rol`, Supabase's `role`) is a one-item list.
  if (isId(value)) return [value];
  if (!Array.isArray(value) || value.length > MAX_ROLES || !value.every(isId)) return false;
  return [...value];
}

/** The outcome of mapping claims: a tenant, or why there is none. */
export type ClaimsOutcome =
  | { status: 'tenant'; tenant: TenantContext }
  | { status: 'rejected'; reason: TokenRejection };

/** Checks what a mapping produced with the same rules the path mapping follows. */
function checkTenant(tenant: TenantContext | null | undefined): ClaimsOutcome {
  if (tenant === null || tenant === undefined) return { status: 'rejected', reason: 'no_tenant' };
  if (typeof tenant !== 'object' || !isId(tenant.tenantId))
    return { status: 'rejected', reason: 'invalid_tenant_claim' };
  const out: TenantContext = { tenantId: tenant.tenantId };
  if (tenant.userId !== undefined) {
    if (!isId(tenant.userId)) return { status: 'rejected', reason: 'invalid_user_claim' };
    out.userId = tenant.userId;
  }
  if (tenant.roles !== undefined) {
    const roles = toRoles(tenant.roles);
    if (roles === false) return { status: 'rejected', reason: 'invalid_roles_claim' };
    if (roles !== undefined) out.roles = roles;
  }
  return { status: 'tenant', tenant: out };
}

/**
 * Turns verified claims into a tenant. Fails closed: a missing tenant claim is `no_tenant`, a
 * tenant claim of any type but a non-empty string is `invalid_tenant_claim` (a number is not
 * coerced), a missing or malformed user is `invalid_user_claim`.
 */
export function claimsToTenant(claims: VerifiedClaims, mapping: ClaimMapping): ClaimsOutcome {
  if (mapping.type === 'function') return checkTenant(mapping.map(claims));
  const tenantId = readClaim(claims, mapping.tenant);
  if (tenantId === undefined || tenantId === null) return { status: 'rejected', reason: 'no_tenant' };
  if (!isId(tenantId)) return { status: 'rejected', reason: 'invalid_tenant_claim' };
  const userId = readClaim(claims, mapping.user);
  if (!isId(userId)) return { status: 'rejected', reason: 'invalid_user_claim' };
  const tenant: TenantContext = { tenantId, userId };
  if (mapping.roles !== undefined) {
    const roles = toRoles(readClaim(claims, mapping.roles));
    if (roles === false) return { status: 'rejected', reason: 'invalid_roles_claim' };
    if (roles !== undefined) tenant.roles = roles;
  }
  return { status: 'tenant', tenant };
}
