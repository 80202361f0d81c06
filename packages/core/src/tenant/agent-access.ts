import type { AnyAgent } from '../agent';
import { isAgentId } from '../agent/define-agent';
import { canAccess, type TenantContext } from './tenant-context';

/**
 * Whether a tenant may see an agent, and if not, why (for the server log only: every answer
 * but `visible` looks the same to the tenant, so existence does not leak).
 * - `visible`: shared (no `tenantId`) or owned by this tenant;
 * - `foreign`: owned by another tenant;
 * - `malformed`: not an agent from `defineAgent()`, or an owner that is not a non-empty
 *   string (`null`, a number, `''`): fail closed rather than guess whose it is;
 * - `other-id`: a well-formed agent, but not the one asked for.
 */
export type AgentAccess = 'visible' | 'foreign' | 'malformed' | 'other-id';

function isAgentShape(value: unknown): value is AnyAgent {
  if (typeof value !== 'object' || value === null) return false;
  const agent = value as Partial<Record<keyof AnyAgent, unknown>>;
  return (
    agent.kind === 'agentry.agent' &&
    isAgentId(agent.id) &&
    typeof agent.name === 'string' &&
    typeof agent.prompt === 'function' &&
    typeof (agent.input as { safeParse?: unknown } | undefined)?.safeParse === 'function' &&
    Array.isArray(agent.modes) &&
    agent.modes.every((mode) => mode === 'mock' || mode === 'live')
  );
}

/**
 * The one ownership check for agents, wherever an agent reaches a tenant: by id (`execute`,
 * `stream`, `getAgent`) and in lists (`listAgents`, `GET /agents`). It runs on every agent,
 * the executor's own and the host's `resolveAgent`/`listAgents` answers alike, even when the
 * host already filtered (defence in depth). Never throws: an agent whose properties throw
 * when read is `malformed`.
 *
 * @param agentId When given, the agent must have exactly this id.
 */
export function agentAccess(candidate: unknown, tenant: TenantContext, agentId?: string): AgentAccess {
  try {
    if (!isAgentShape(candidate)) return 'malformed';
    // Read once: a getter must not answer one thing to the check and another to the use.
    const owner: unknown = candidate.tenantId;
    if (owner !== undefined && (typeof owner !== 'string' || owner === '')) return 'malformed';
    if (agentId !== undefined && candidate.id !== agentId) return 'other-id';
    return canAccess(owner as string | undefined, tenant) ? 'visible' : 'foreign';
  } catch {
    return 'malformed';
  }
}

/** True when {@link agentAccess} answers `visible`. */
export function isAgentVisible(candidate: unknown, tenant: TenantContext, agentId?: string): candidate is AnyAgent {
  return agentAccess(candidate, tenant, agentId) === 'visible';
}
