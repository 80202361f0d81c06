import type { AgentService, Executor, TenantContext, TenantExecutor } from '@agentry/core';

/** The tenant a browser-side executor runs as when none is given. */
export const LOCAL_TENANT: TenantContext = Object.freeze({ tenantId: 'local', userId: 'local' });

/** Where runs go: a `client` (server) or an `executor` (in the browser) bound to `tenant`. */
export interface AgentServiceSource {
  /** Anything implementing `AgentService`, e.g. `createClient({ baseUrl })` from `@agentry/core/client`. */
  client?: AgentService;
  /** An executor (bound to `tenant`) or a tenant-bound executor, to run with no server. */
  executor?: Executor | TenantExecutor;
  /** The tenant an `executor` runs as. @default { tenantId: 'local', userId: 'local' } */
  tenant?: TenantContext;
}

function isExecutor(value: Executor | TenantExecutor): value is Executor {
  return typeof (value as Partial<Executor>).forTenant === 'function';
}

/** Picks the service to talk to: the client, or the executor bound to the tenant. */
export function resolveAgentService(options: AgentServiceSource): AgentService | undefined {
  if (options.client) return options.client;
  if (!options.executor) return undefined;
  return isExecutor(options.executor) ? options.executor.forTenant(options.tenant ?? LOCAL_TENANT) : options.executor;
}
