import type { AgentService, ExecutionResult } from '@agentry/core';
import { useEffect, useState } from 'react';

const durationFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const STATUS_TEXT: Record<ExecutionResult['status'], string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Stopped',
};

export interface WorkspaceActivityProps {
  client: AgentService;
  workspaceName: string;
  /** Changes whenever a run finishes, so the list reloads. */
  version: number;
}

type State =
  | { status: 'loading' }
  | { status: 'loaded'; items: ExecutionResult[] }
  | { status: 'failed'; message: string };

/**
 * The workspace's run history as the server keeps it (`GET /api/agentry/executions`). Each
 * workspace sees only its own runs: switch workspace and this list changes with it.
 */
export function WorkspaceActivity({ client, workspaceName, version }: WorkspaceActivityProps) {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    client
      .listExecutions({ limit: 8, signal: controller.signal })
      .then((page) => setState({ status: 'loaded', items: page.items }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      });
    return () => controller.abort();
  }, [client, version]);

  return (
    <section className="activity" aria-labelledby="activity-title" aria-busy={state.status === 'loading'}>
      <h2 id="activity-title" className="card-title">
        Recent runs in {workspaceName}
      </h2>
      <p className="muted small">Kept by the server per workspace. Other workspaces never see these.</p>
      {state.status === 'failed' ? (
        <p role="alert" className="activity-error">
          {state.message}
        </p>
      ) : state.status === 'loaded' && state.items.length === 0 ? (
        <p className="activity-empty">No runs in this workspace yet.</p>
      ) : state.status === 'loaded' ? (
        <ul className="activity-list" aria-label={`Runs in ${workspaceName}`}>
          {state.items.map((item) => (
            <li key={item.id} className="activity-item" data-status={item.status}>
              <span className="activity-agent">{item.agentId}</span>
              <span className={`pill pill-${item.status}`}>{STATUS_TEXT[item.status]}</span>
              <span className="activity-meta">
                {item.mode} · {durationFormat.format(item.metrics.durationMs / 1000)} s ·{' '}
                {timeFormat.format(new Date(item.startedAt))}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
