import { AgentryError } from '../errors';

/** Who is asking: the workspace (tenant) and the person in it. Every execution and history read needs one. */
export interface TenantContext {
  /** The workspace, organisation or account the request acts for. */
  tenantId: string;
  /** The signed-in user, for logs and history. */
  userId?: string;
  /** The user's roles, for host-side policy. */
  roles?: readonly string[];
}

/** Throws `tenant_required` unless `tenant` names a tenant. Fails closed on anything odd. */
export function assertTenant(tenant: TenantContext | null | undefined): asserts tenant is TenantContext {
  if (
    tenant === null ||
    tenant === undefined ||
    typeof tenant !== 'object' ||
    typeof tenant.tenantId !== 'string' ||
    tenant.tenantId.trim() === ''
  ) {
    throw new AgentryError('tenant_required', 'A tenant is required: pass `tenant: { tenantId, userId }`.');
  }
}

/**
 * True when `tenant` may see a resource owned by `ownerTenantId`. Resources without an
 * owner are shared by every tenant.
 */
export function canAccess(ownerTenantId: string | undefined, tenant: TenantContext): boolean {
  return ownerTenantId === undefined || ownerTenantId === tenant.tenantId;
}
