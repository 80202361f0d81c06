import { type AgentryError, toAgentryError } from '../../errors';
import type { AgentService, AgentSummary } from '../../executor/types';
import type { AgentsStatus } from './types';

const EMPTY: readonly never[] = Object.freeze([]);

/** The agent list of the connected service, loaded on connect; `changed` is called after each visible change. */
export interface AgentList {
  readonly service: AgentService | undefined;
  readonly agents: readonly AgentSummary[];
  readonly status: AgentsStatus;
  readonly error: AgentryError | undefined;
  find(agentId: string | undefined): AgentSummary | undefined;
  /** Reloads; with `quiet`, shows no loading state and changes nothing when the answer is what is shown. */
  load(quiet?: boolean): Promise<void>;
  connect(service: AgentService): void;
  /** Stops loading for `service`; false (and nothing done) when another service has been connected since. */
  disconnect(service: AgentService): boolean;
}

function sameAgents(a: readonly AgentSummary[], b: readonly AgentSummary[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

export function createAgentList(initial: AgentService | undefined, changed: () => void): AgentList {
  let service = initial;
  let agents: readonly AgentSummary[] = EMPTY;
  let status: AgentsStatus = 'idle';
  let error: AgentryError | undefined;
  let controller: AbortController | undefined;
  /** The service whose agent list is shown, and the one being loaded. */
  let loadedFrom: AgentService | undefined;
  let loading: AgentService | undefined;

  async function load(quiet = false): Promise<void> {
    controller?.abort();
    const target = service;
    if (!target) return;
    const current = new AbortController();
    controller = current;
    loading = target;
    if (!quiet) {
      status = 'loading';
      error = undefined;
      changed();
    }
    try {
      const list = await target.listAgents({ signal: current.signal });
      if (current.signal.aborted) return;
      loadedFrom = target;
      loading = undefined;
      if (quiet && status === 'ready' && sameAgents(agents, list)) return;
      agents = list;
      status = 'ready';
      error = undefined;
    } catch (thrown) {
      if (current.signal.aborted) return;
      loadedFrom = target;
      loading = undefined;
      const failure = toAgentryError(thrown);
      const shown = status === 'error' ? error : undefined;
      if (quiet && shown?.code === failure.code && shown.message === failure.message) return;
      status = 'error';
      error = failure;
    }
    changed();
  }

  return {
    get service() {
      return service;
    },
    get agents() {
      return agents;
    },
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    find: (agentId) => (agentId === undefined ? undefined : agents.find((agent) => agent.id === agentId)),
    load,
    connect(next) {
      service = next;
      if (loading !== next && (loadedFrom !== next || status === 'idle')) {
        // A new service object may well offer the same agents (an inline `createClient`):
        // refresh quietly instead of showing the loading state again.
        void load(status !== 'idle');
      }
    },
    disconnect(next) {
      if (service !== next) return false;
      controller?.abort();
      loading = undefined;
      if (status === 'loading') status = 'idle';
      return true;
    },
  };
}
