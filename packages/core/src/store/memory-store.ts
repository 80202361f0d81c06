import { type ExecutionResult, MAX_PAGE_SIZE } from '../protocol';
import type { ExecutionPage, ExecutionStore, ListExecutionsOptions } from './execution-store';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';
import { createTenantHistory, type TenantHistory } from './tenant-history';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Records kept per tenant; the oldest are dropped past it. @default 1000 */
  maxPerTenant?: number;
}

const DEFAULT_PAGE = 20;

function pageSize(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

/**
 * An in-memory {@link ExecutionStore}, bounded per tenant. History is lost on restart.
 *
 * Cursors are opaque: each is a position in the requesting tenant's own history, checked
 * against that tenant, so it carries nothing about other tenants, and a cursor that is edited,
 * from the old format or from another tenant is refused with `validation_failed` (HTTP 400).
 * Paging is by position, so runs saved between two pages neither repeat nor skip an item;
 * records evicted at the cap meanwhile are simply no longer listed.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ExecutionStore {
  const maxPerTenant = options.maxPerTenant ?? 1000;
  if (!Number.isInteger(maxPerTenant) || maxPerTenant < 1) {
    throw new TypeError(`createMemoryStore: maxPerTenant must be a positive integer, got ${maxPerTenant}.`);
  }
  const byTenant = new Map<string, TenantHistory>();

  function saveNow(record: ExecutionResult): void {
    let history = byTenant.get(record.tenantId);
    if (history === undefined) {
      history = createTenantHistory(maxPerTenant);
      byTenant.set(record.tenantId, history);
    }
    history.save(record);
  }

  const store: ExecutionStore = {
    async save(record) {
      saveNow(record);
    },
    async get(tenantId, executionId) {
      return byTenant.get(tenantId)?.get(executionId);
    },
    async list(tenantId, listOptions: ListExecutionsOptions = {}): Promise<ExecutionPage> {
      const history = byTenant.get(tenantId);
      const before =
        listOptions.cursor === undefined
          ? Number.POSITIVE_INFINITY
          : decodeHistoryCursor(tenantId, listOptions.cursor, history?.latest ?? 0);
      if (history === undefined) return { items: [] };
      const page = history.page({ before, limit: pageSize(listOptions.limit), agentId: listOptions.agentId });
      return page.continueBefore === undefined
        ? { items: page.items }
        : { items: page.items, nextCursor: encodeHistoryCursor(tenantId, page.continueBefore) };
    },
  };
  localSavers.set(store, saveNow);
  return store;
}

const localSavers = new WeakMap<ExecutionStore, (record: ExecutionResult) => void>();

/**
 * The executor's fast path on the in-memory store: `save` without its promise (it waits on
 * nothing). Answers `undefined` for any other store — including a wrapper of a memory store,
 * which then sees every save through its own `save`.
 */
export function localSave(store: ExecutionStore): ((record: ExecutionResult) => void) | undefined {
  return localSavers.get(store);
}
