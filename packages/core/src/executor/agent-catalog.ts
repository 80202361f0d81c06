import type { AnyAgent } from '../agent';
import { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { TenantContext } from '../tenant';
import { agentAccess, isAgentVisible } from '../tenant/agent-access';
import type { ExecutorOptions } from './types';
import type { UserCodeReporter } from './user-code';

/** The agents a tenant may see and run: the executor's own, then the host's. */
export interface AgentCatalog {
  /**
   * The agent with this id, if this tenant may run it; `not_found` otherwise (foreign, malformed
   * and missing agents alike). What the host's `resolveAgent` throws propagates as thrown. One of
   * the executor's own agents comes at once (no promise); callers await it where they must.
   */
  resolve(agentId: unknown, tenant: TenantContext): AnyAgent | Promise<AnyAgent>;
  /** Every agent this tenant may run, once each, in lookup order: exactly the ones `resolve` finds. */
  list(tenant: TenantContext): Promise<AnyAgent[]>;
}

interface AgentCatalogOptions {
  /** The executor's agents, by id (already checked to come from `defineAgent`). */
  agents: ReadonlyMap<string, AnyAgent>;
  resolveAgent: ExecutorOptions['resolveAgent'];
  listAgents: ExecutorOptions['listAgents'];
  logger: Logger;
  report: UserCodeReporter;
}

/**
 * Both lookups run every agent through one guard, `agentAccess` (tenant/agent-access.ts), so a
 * listed agent is always runnable and a hidden one never is, whatever the host's code returns.
 */
export function createAgentCatalog(options: AgentCatalogOptions): AgentCatalog {
  const { agents, logger, report } = options;

  function resolve(agentId: unknown, tenant: TenantContext): AnyAgent | Promise<AnyAgent> {
    if (typeof agentId !== 'string' || agentId === '') {
      throw new AgentryError('validation_failed', 'agentId must be a non-empty string.', {
        issues: [{ path: ['agentId'], message: 'Expected the id of an agent.' }],
      });
    }
    // Another tenant's agent among `agents` does not hide this tenant's own agent of that id.
    const known = agents.get(agentId);
    if (isAgentVisible(known, tenant, agentId)) return known;
    return resolveWithHost(agentId, tenant);
  }

  async function resolveWithHost(agentId: string, tenant: TenantContext): Promise<AnyAgent> {
    const agent = options.resolveAgent === undefined ? undefined : await options.resolveAgent(agentId, tenant);
    // Defence in depth, even when the host's resolver already filtered. A foreign or malformed
    // agent answers not_found, the same as a missing one, so its existence does not leak.
    if (!isAgentVisible(agent, tenant, agentId)) {
      throw new AgentryError('not_found', `No agent "${agentId}" in this workspace.`);
    }
    return agent;
  }

  /** The host's `listAgents` answer, as a list. It may hold anything: the guard sorts it out. */
  async function hostAgents(tenant: TenantContext): Promise<readonly unknown[]> {
    if (options.listAgents === undefined) return [];
    let listed: unknown;
    try {
      listed = await options.listAgents(tenant);
    } catch (thrown) {
      throw report.error('listAgents', thrown, "The host's listAgents failed", { tenant_id: tenant.tenantId });
    }
    if (Array.isArray(listed)) return listed;
    throw report.error(
      'listAgents',
      new TypeError(`listAgents() must return an array of agents, got ${listed === null ? 'null' : typeof listed}.`),
      "The host's listAgents answered something that is not a list of agents",
      { tenant_id: tenant.tenantId },
    );
  }

  async function list(tenant: TenantContext): Promise<AnyAgent[]> {
    const hosted = await hostAgents(tenant);
    const seen = new Set<string>();
    const visible: AnyAgent[] = [];
    const consider = (candidate: unknown, fromHost: boolean) => {
      const access = agentAccess(candidate, tenant);
      if (access !== 'visible') {
        // The host's listAgents did not filter, or built a broken agent: worth an operator's eyes.
        if (fromHost) logger.warn('agentry.tenant.agent_hidden', { tenant_id: tenant.tenantId, reason: access });
        return;
      }
      const agent = candidate as AnyAgent;
      if (seen.has(agent.id)) return;
      seen.add(agent.id);
      visible.push(agent);
    };
    // The same order as `resolve`: the executor's agents win over the host's of the same id.
    for (const agent of agents.values()) consider(agent, false);
    for (const agent of hosted) consider(agent, true);
    return visible;
  }

  return { resolve, list };
}
