import { type AgentryError, toAgentryError } from '../../errors';
import type { AgentService } from '../../executor/types';
import type { ExecutionResult } from '../../protocol';

/** `idle` before the first load, `loading` while a page is on its way, `ready`, or `error`. */
export type HistoryStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What a history list shows; a new object after every change. */
export interface HistorySnapshot {
  /** Newest first, each record once. */
  readonly items: readonly ExecutionResult[];
  readonly status: HistoryStatus;
  readonly error: AgentryError | undefined;
  /** True while the service has more pages (a `nextCursor` was returned). */
  readonly hasMore: boolean;
}

/** What {@link HistoryList.connect} lists. */
export interface HistoryConnectOptions {
  /** Only this agent's runs. */
  agentId?: string;
  /**
   * Who is looking, e.g. the tenant or workspace id. With one client for the whole page the
   * service stays the same object when the host switches workspace (the server reads the
   * workspace from a cookie); a new `scope` drops the list all the same.
   */
  scope?: string;
}

/**
 * The connected service's own history (`GET /executions`, or an in-browser executor's
 * `listExecutions`), newest first, paged with the opaque per-tenant cursor. Framework-free,
 * like the run store: `subscribe(listener) => unsubscribe` and `getSnapshot()`.
 */
export interface HistoryList {
  subscribe(listener: () => void): () => void;
  getSnapshot(): HistorySnapshot;
  /** Loads the first page again (after a reload, or when the list may be out of date). */
  reload(): Promise<void>;
  /** Loads the next page; does nothing when there is none or a load is under way. */
  loadMore(): Promise<void>;
  /**
   * Shows `service`'s history for `options` and loads its first page. Another service, agent or
   * scope drops the old list first, so two tenants' entries are never mixed; the same ones
   * again do nothing.
   */
  connect(service: AgentService | undefined, options?: HistoryConnectOptions): void;
  /**
   * Returns a function that puts a run's record at the top of the list without a request (the
   * service has saved it). Call it when the run starts: the function does nothing once the list
   * shows another service, agent or scope, so a run that started before a tenant switch never
   * lands in the new tenant's list.
   */
  track(): (record: ExecutionResult) => void;
}

/** Options for {@link createHistoryList}. */
export interface HistoryListOptions {
  /** Page size, 1–100. @default 20 */
  limit?: number;
}

const INITIAL: HistorySnapshot = Object.freeze({ items: [], status: 'idle', error: undefined, hasMore: false });

export function createHistoryList(options: HistoryListOptions = {}): HistoryList {
  const listeners = new Set<() => void>();
  let service: AgentService | undefined;
  let filter: HistoryConnectOptions = {};
  let snapshot: HistorySnapshot = INITIAL;
  let cursor: string | undefined;
  let controller: AbortController | undefined;
  // Bumped by every connect: what `track` and pending pages compare against.
  let connection = 0;

  function set(next: Partial<HistorySnapshot>): void {
    snapshot = { ...snapshot, ...next, hasMore: cursor !== undefined };
    for (const listener of listeners) listener();
  }

  async function fetchPage(from: string | undefined): Promise<void> {
    const target = service;
    if (!target) return;
    controller?.abort();
    const current = new AbortController();
    controller = current;
    set({ status: 'loading', error: undefined });
    try {
      const page = await target.listExecutions({
        ...(filter.agentId === undefined ? {} : { agentId: filter.agentId }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(from === undefined ? {} : { cursor: from }),
        signal: current.signal,
      });
      if (current.signal.aborted) return;
      // Runs added by `track` or shifted by new saves may come again: each record shows once.
      const shown = from === undefined ? [] : snapshot.items;
      const seen = new Set(shown.map((item) => item.id));
      cursor = page.nextCursor;
      set({ items: [...shown, ...page.items.filter((item) => !seen.has(item.id))], status: 'ready' });
    } catch (thrown) {
      if (current.signal.aborted) return;
      // Items already shown stay; the cursor stays, so "Load more" can be tried again.
      set({ status: 'error', error: toAgentryError(thrown) });
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    reload() {
      cursor = undefined;
      return fetchPage(undefined);
    },
    loadMore() {
      if (cursor === undefined || snapshot.status === 'loading') return Promise.resolve();
      return fetchPage(cursor);
    },
    connect(next, nextFilter = {}) {
      if (
        next === service &&
        nextFilter.agentId === filter.agentId &&
        nextFilter.scope === filter.scope &&
        snapshot.status !== 'idle'
      ) {
        return;
      }
      controller?.abort();
      controller = undefined;
      connection += 1;
      service = next;
      filter = { ...nextFilter };
      cursor = undefined;
      snapshot = INITIAL;
      if (next) void fetchPage(undefined);
      else set({});
    },
    track() {
      const at = connection;
      return (record) => {
        if (at !== connection || !service) return;
        if (filter.agentId !== undefined && record.agentId !== filter.agentId) return;
        set({ items: [record, ...snapshot.items.filter((item) => item.id !== record.id)] });
      };
    },
  };
}
