import type { AnyAgent } from '../agent';
import type { ProviderAdapter } from '../providers';

/** Whether live mode can run, and why not, in words an end user can read. */
export interface LiveAvailability {
  available: boolean;
  /** Why live mode cannot run; absent when it can. */
  reason?: string;
}

/** What {@link liveAvailability} decides from. */
export interface LiveAvailabilityInput {
  /** The kill switch's answer for this caller (`LiveOptions.enabled`, evaluated for the tenant). */
  enabled: boolean;
  /** Why the kill switch is off (`LiveOptions.reason`). */
  disabledReason: string;
  /** Every configured provider, by key. */
  providers: Readonly<Record<string, ProviderAdapter>>;
  /** The agent to answer for; without it, `providerKey` names the provider. */
  agent?: AnyAgent;
  /** The provider to answer for, when there is no agent (a `/health` entry). */
  providerKey?: string;
}

/**
 * The one answer to "can this run live?", used by `GET /agents` (each agent's `live`), `/health`
 * (each provider's `live`), the TestPanel's mode switch (which reads `GET /agents`) and the
 * executor's own check before a live run, so they always agree. In order: the kill switch; the
 * agent's modes and model; the provider being passed to `createExecutor`; the provider reporting
 * itself configured (`ProviderAdapter.configured`, false without an API key).
 */
export function liveAvailability(input: LiveAvailabilityInput): LiveAvailability {
  if (!input.enabled) return { available: false, reason: input.disabledReason };
  const { agent } = input;
  if (agent && !agent.modes.includes('live')) return { available: false, reason: 'This agent runs in mock mode only.' };
  if (agent && !agent.model) {
    return { available: false, reason: 'This agent has no live model configured.' };
  }
  const key = agent?.model?.provider ?? input.providerKey;
  const provider = key === undefined ? undefined : input.providers[key];
  // Missing, or present without its API key: the same words, since the fix is the same.
  if (!provider || provider.configured === false) {
    return {
      available: false,
      reason: `Live mode is not set up on this server yet (the "${key}" provider is not configured). Use mock mode, or ask an administrator to set it up.`,
    };
  }
  return { available: true };
}
