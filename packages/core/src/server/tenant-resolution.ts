// Who is asking: the host's `resolveTenant`, answered as a checked tenant or a 401, never a tenant
// read from the request itself.
import { AgentryError, isAgentryError, toAgentryError } from '../errors';
import type { Logger } from '../logging';
import { assertTenant, type TenantContext } from '../tenant';
import type { ResolveTenant } from './handler-options';

/** The tenant of a request, required or optional. */
export interface TenantResolution {
  /** The tenant, or a `tenant_required` error (401). A resolver's own `AgentryError` is thrown as it is. */
  required(request: Request): Promise<TenantContext>;
  /** The tenant when `resolveTenant` recognises the request, else `undefined` (never throws). */
  optional(request: Request): Promise<TenantContext | undefined>;
}

/** Wraps the host's resolver; what it throws (other than an `AgentryError`) is logged as a warning. */
export function createTenantResolution(resolveTenant: ResolveTenant, logger: Logger): TenantResolution {
  return {
    async required(request) {
      let tenant: TenantContext | null | undefined;
      try {
        tenant = await resolveTenant(request);
      } catch (error) {
        if (isAgentryError(error)) throw error;
        logger.warn('agentry.server.resolve_tenant_failed', { error: toAgentryError(error) });
        throw new AgentryError('tenant_required', 'The request could not be authenticated: sign in and try again.');
      }
      if (tenant === null || tenant === undefined) {
        throw new AgentryError(
          'tenant_required',
          'The request is not signed in to a workspace: sign in and try again.',
        );
      }
      assertTenant(tenant);
      return tenant;
    },
    async optional(request) {
      try {
        const tenant = await resolveTenant(request);
        if (tenant === null || tenant === undefined) return undefined;
        assertTenant(tenant);
        return tenant;
      } catch {
        return undefined;
      }
    },
  };
}
