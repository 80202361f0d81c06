import type { ExecutionMode } from '../../agent';
import type { AgentSummary } from '../../executor/types';
import type { ModeAvailability } from './types';

const UNKNOWN_AGENT: ModeAvailability = Object.freeze({ mock: true, live: true, liveSupported: true });

/** Which modes an agent can run in for this tenant, from its summary (`modes` and `live`). */
export function modeAvailability(agent: AgentSummary | undefined): ModeAvailability {
  if (!agent) return UNKNOWN_AGENT;
  const liveSupported = agent.modes.includes('live');
  return {
    mock: agent.modes.includes('mock'),
    live: liveSupported && agent.live.available,
    liveSupported,
    ...(liveSupported && agent.live.reason !== undefined ? { liveReason: agent.live.reason } : {}),
  };
}

/** The mode a run uses: the one asked for, or the other one when the agent cannot run it (and can run that). */
export function resolveMode(requested: ExecutionMode, modes: ModeAvailability): ExecutionMode {
  if (requested === 'live' && !modes.live) return 'mock';
  if (requested === 'mock' && !modes.mock && modes.live) return 'live';
  return requested;
}
