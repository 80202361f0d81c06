'use client';

import type { AgentService } from '@agentry/core';
import { createHistoryList, type HistoryList, type HistorySnapshot } from '@agentry/core/client/history';
import { useEffect, useState, useSyncExternalStore } from 'react';

/** Options for {@link useHistoryList}. */
export interface UseHistoryListOptions {
  /** The service whose history is listed; none lists nothing. */
  service: AgentService | undefined;
  /** Only this agent's runs. */
  agentId: string | undefined;
  /** Who is looking (tenant or workspace): a new scope drops the list and loads the new one. */
  scope?: string;
  /** False loads nothing (the panel's `showHistory={false}`). @default true */
  enabled?: boolean;
  /** Page size. @default 20 */
  limit?: number;
}

/** The server-kept history of one agent: a `useSyncExternalStore` bridge over `createHistoryList`. */
export function useHistoryList(options: UseHistoryListOptions): HistorySnapshot & { list: HistoryList } {
  const { service, agentId, scope, enabled = true, limit } = options;
  const [list] = useState(() => createHistoryList({ limit }));
  useEffect(() => {
    // No agent yet (the list is loading): nothing to list, and no request for all agents' runs.
    list.connect(enabled && agentId !== undefined ? service : undefined, { agentId, scope });
  }, [list, service, agentId, scope, enabled]);
  const snapshot = useSyncExternalStore(list.subscribe, list.getSnapshot, list.getSnapshot);
  return { ...snapshot, list };
}
