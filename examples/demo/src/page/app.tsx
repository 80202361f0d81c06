import { createClient } from '@agentry/core/client';
import { TestPanel } from '@agentry/react';
import { useMemo, useState } from 'react';
import { type DemoConfig, type DemoTenant, type RecordedRun, switchWorkspace } from './config';
import { RecordedAnswers } from './recorded-answers';

// Without a key, "live" replays the committed tapes: the panel's live copy says so, not "billed".
const REPLAY_LABELS = {
  liveHint: 'Replays an answer recorded from the real model: nothing is sent or billed.',
};

const NAV = ['Overview', 'Tickets', 'Customers', 'AI agents', 'Reports', 'Settings'];

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

export function App({ config }: { config: DemoConfig }) {
  const [tenant, setTenant] = useState<DemoTenant>(config.tenant);
  const [switching, setSwitching] = useState(false);
  const [switchError, setSwitchError] = useState<string>();
  const [dark, setDark] = useState(false);
  // A recorded answer the visitor chose to replay: the panel reopens on it, in live mode.
  const [tryout, setTryout] = useState<{ run: RecordedRun; count: number }>();
  // One client for the whole page: the server reads the workspace from the session cookie,
  // never from anything the client sends.
  const client = useMemo(() => createClient({ baseUrl: config.agentryPath }), [config.agentryPath]);

  async function onWorkspaceChange(tenantId: string) {
    setSwitching(true);
    setSwitchError(undefined);
    try {
      setTenant(await switchWorkspace(tenantId));
      setTryout(undefined);
      document.title = document.title.replace(/[^·]+$/, ` ${config.tenants.find((t) => t.id === tenantId)?.name}`);
    } catch (error) {
      setSwitchError(error instanceof Error ? error.message : String(error));
    } finally {
      setSwitching(false);
    }
  }

  return (
    <div className="shell" data-theme={dark ? 'dark' : 'light'}>
      <header className="topbar">
        <a className="brand" href="/" aria-label="Orbit home">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Orbit</span>
        </a>
        <div className="workspace">
          <label htmlFor="workspace-select" className="workspace-label">
            Workspace
          </label>
          <select
            id="workspace-select"
            className="workspace-select"
            value={tenant.id}
            disabled={switching}
            onChange={(event) => void onWorkspaceChange(event.currentTarget.value)}
          >
            {config.tenants.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name} · {option.plan}
              </option>
            ))}
          </select>
        </div>
        <div className="topbar-end">
          <button type="button" className="theme-toggle" aria-pressed={dark} onClick={() => setDark((value) => !value)}>
            Dark mode
          </button>
          <span className="user" title={tenant.user.email}>
            <span className="avatar" aria-hidden="true">
              {initials(tenant.user.name)}
            </span>
            <span className="user-name">{tenant.user.name}</span>
          </span>
        </div>
      </header>
      {switchError ? (
        <p role="alert" className="banner banner-error">
          {switchError}
        </p>
      ) : null}
      <div className="body">
        <nav className="sidebar" aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item}>
                <a href="/" className="nav-link" aria-current={item === 'AI agents' ? 'page' : undefined}>
                  {item}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main className="main">
          <div className="page-head">
            <div>
              <p className="eyebrow">{tenant.name}</p>
              <h1>AI agents</h1>
              <p className="muted">
                Try the agents available to this workspace. Mock mode is deterministic and free; nothing leaves this
                machine.
              </p>
            </div>
            <p className={`live-badge ${config.live.enabled ? 'live-on' : 'live-off'}`} title={config.live.reason}>
              <span className="dot" aria-hidden="true" />
              {config.live.enabled ? `Live: ${config.live.label}` : 'Live mode off'}
            </p>
          </div>
          <div className={tenant.recorded ? 'grid' : 'grid grid-single'}>
            <div className="panel-card">
              {/* Remounted per workspace: its agent list and its history (kept by the server) load for that
                  workspace. The history in the panel is the server's, so the page keeps no list of its own. */}
              <TestPanel
                key={`${tenant.id}:${tryout?.count ?? 0}`}
                client={client}
                defaultMode={tryout ? 'live' : 'mock'}
                {...(tryout
                  ? { defaultAgentId: tryout.run.agentId, defaultInput: JSON.stringify(tryout.run.input, null, 2) }
                  : {})}
                theme={dark ? 'dark' : 'light'}
                {...(config.live.replay ? { labels: REPLAY_LABELS } : {})}
              />
            </div>
            {tenant.recorded ? (
              <aside className="side-card">
                <RecordedAnswers
                  workspaceName={tenant.name}
                  recorded={tenant.recorded}
                  onTry={(run) => setTryout((previous) => ({ run, count: (previous?.count ?? 0) + 1 }))}
                />
              </aside>
            ) : null}
          </div>
        </main>
      </div>
    </div>
  );
}
