'use client';

import type { AgentService, ExecutionResult } from '@agentry/core';
import type { JsonSchema } from '@agentry/core/client';
import { useEffect, useMemo, useRef } from 'react';
import type { TestPanelLabels } from '../labels';
import { RunHistory } from './run-history';
import { useHistoryList } from './use-history-list';
import { historyViewLabels } from './view-labels';

/** A run that ended, and where it started: its record joins the list only if that is still shown. */
export interface SettledRun {
  /** The run's record; without it (the record could not be read) the list reloads. */
  record: ExecutionResult | undefined;
  service: AgentService | undefined;
  scope: string | undefined;
  agentId: string;
}

/** Props of {@link HistorySection}. */
export interface HistorySectionProps {
  service: AgentService | undefined;
  agentId: string;
  /** The tenant or workspace shown: a new one drops the list and loads its own. */
  scope: string | undefined;
  /** The last run of this panel that ended (a new object per run). */
  settled: SettledRun | undefined;
  inputText: string;
  inputSchema: JsonSchema | undefined;
  selectedId: string | undefined;
  onSelect: (record: ExecutionResult) => void;
  onRestore: (record: ExecutionResult) => void;
  onRerun: (record: ExecutionResult) => void;
  busy: boolean;
  locale: string | undefined;
  labels: TestPanelLabels;
}

/**
 * The TestPanel's history, loaded as its own chunk: the service's list of this agent's runs
 * (`listExecutions`, paged), kept in step with the runs made here.
 */
export function HistorySection({ service, agentId, scope, settled, labels, ...props }: HistorySectionProps) {
  const viewLabels = useMemo(() => historyViewLabels(labels), [labels]);
  const history = useHistoryList({ service, agentId, scope });
  const { list } = history;
  const handled = useRef<SettledRun | undefined>(undefined);
  useEffect(() => {
    // Each run once: switching back to a tenant must not replay its last run.
    if (settled === handled.current) return;
    handled.current = settled;
    if (!settled || settled.service !== service || settled.scope !== scope || settled.agentId !== agentId) return;
    // The service saved the record: it goes on top without a request.
    if (settled.record) list.track()(settled.record);
    else void list.reload();
  }, [settled, list, service, scope, agentId]);
  return (
    <RunHistory
      items={history.items}
      status={history.status}
      error={history.error}
      hasMore={history.hasMore}
      onLoadMore={list.loadMore}
      onRetry={list.reload}
      {...props}
      labels={viewLabels}
    />
  );
}
