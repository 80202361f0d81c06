import { type AgentryError, toAgentryError } from '../../errors';
import type { AgentService } from '../../executor/types';
import type { ExecutionResult } from '../../protocol';

/** `idle` before the first load, `loading` while a page is on its way, `ready`, or `error`. */
export type HistoryStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The connected service's own history (`GET /executions`, or an in-browser executor's
 * `listExecutions`), newest first, paged with the opaque per-tenant cursor. Framework-free:
 * `changed` is called after each visible change.
 */
export interface HistoryList {
  readonly items: readonly ExecutionResult[];
  readonly status: HistoryStatus;
  readonly error: AgentryError | undefined;
  /** True while the server has more pages (a `nextCursor` was returned). */
  readonly hasMore: boolean;
  /** Loads the first page again (after a run, a tenant switch or a reload). */
  reload(): Promise<void>;
  /** Loads the next page; does nothing when there is none or a load is under way. */
  loadMore(): Promise<void>;
  /** Shows `service`'s history instead (a tenant switch); the old list is dropped, never mixed. */
  connect(service: AgentService | undefined): void;
}

export interface HistoryListOptions {
  /** Only this agent's runs. */
  agentId?: string;
  /** Page size, 1–100. @default 20 */
  limit?: number;
}

export function createHistoryList(
  initial: AgentService | undefined,
  changed: () => void,
  options: HistoryListOptions = {},
): HistoryList {
  let service = initial;
  let items: readonly ExecutionResult[] = [];
  let status: HistoryStatus = 'idle';
  let error: AgentryError | undefined;
  let cursor: string | undefined;
  let controller: AbortController | undefined;

  async function fetchPage(from: string | undefined): Promise<void> {
    const target = service;
    if (!target) return;
    controller?.abort();
    const current = new AbortController();
    controller = current;
    status = 'loading';
    error = undefined;
    changed();
    try {
      const page = await target.listExecutions({
        ...options,
        ...(from === undefined ? {} : { cursor: from }),
        signal: current.signal,
      });
      if (current.signal.aborted) return;
      const seen = new Set(from === undefined ? [] : items.map((item) => item.id));
      const fresh = page.items.filter((item) => !seen.has(item.id));
      items = from === undefined ? page.items : [...items, ...fresh];
      cursor = page.nextCursor;
      status = 'ready';
    } catch (thrown) {
      if (current.signal.aborted) return;
      // Items already shown stay; the cursor stays, so "Load more" can be tried again.
      status = 'error';
      error = toAgentryError(thrown);
    }
    changed();
  }

  return {
    get items() {
      return items;
    },
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    get hasMore() {
      return cursor !== undefined;
    },
    reload: () => {
      cursor = undefined;
      return fetchPage(undefined);
    },
    loadMore: () => {
      if (cursor === undefined || status === 'loading') return Promise.resolve();
      return fetchPage(cursor);
    },
    connect(next) {
      if (next === service && status !== 'idle') return;
      controller?.abort();
      service = next;
      items = [];
      cursor = undefined;
      status = 'idle';
      error = undefined;
      if (next) void fetchPage(undefined);
      else changed();
    },
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * Whether a history entry is stale: the editor's current input (its text) differs from the
 * input the run was made with. Key order and whitespace do not count; text that is not JSON
 * is stale unless the run's input was that same string.
 */
export function isHistoryEntryStale(entry: Pick<ExecutionResult, 'input'>, editorText: string): boolean {
  let current: unknown;
  try {
    current = JSON.parse(editorText);
  } catch {
    return entry.input !== editorText;
  }
  return JSON.stringify(canonical(current)) !== JSON.stringify(canonical(entry.input));
}
