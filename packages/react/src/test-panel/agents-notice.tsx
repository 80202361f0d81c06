'use client';

import type { AgentryError } from '@agentry/core';
import { ErrorCallout } from './error-callout';
import type { TestPanelLabels } from './labels';

/**
 * What the panel shows while it has no agent: loading, the list's error with Try again, none, or
 * not found. A render function (positional arguments), as `runActions` is, to spare the first download.
 */
export function agentsNotice(
  status: 'idle' | 'loading' | 'ready' | 'error',
  error: AgentryError | undefined,
  onRetry: () => void,
  /** The service lists no agents. */
  empty: boolean,
  requestedAgentId: string | undefined,
  labels: TestPanelLabels,
) {
  if (status === 'error' && error)
    return (
      <ErrorCallout
        error={error}
        onRetry={onRetry}
        // Loading the list again can always help (the server may be back): Try again, whatever the code.
        action="retry"
        labels={{ ...labels, retry: labels.retryLoading }}
      />
    );
  if (status === 'ready')
    return (
      <p className="agentry-notice" role="status">
        {empty || requestedAgentId === undefined ? labels.noAgents : labels.agentNotFound(requestedAgentId)}
      </p>
    );
  return (
    <p className="agentry-notice" role="status">
      <span className="agentry-spinner" aria-hidden="true" />
      {labels.loadingAgents}
    </p>
  );
}
