import { AgentryError } from '../errors';
import type { ExecutionResult } from '../executor/types';
import type { ExecutionPage, ExecutionStore, ListExecutionsOptions } from './execution-store';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Records kept per tenant; the oldest are dropped past it. @default 1000 */
  maxPerTenant?: number;
}

interface Entry {
  sequence: number;
  record: ExecutionResult;
}

const MAX_PAGE = 100;

function encodeCursor(sequence: number): string {
  return `c${sequence.toString(36)}`;
}

function decodeCursor(cursor: string): number {
  const match = /^c([0-9a-z]+)$/.exec(cursor);
  const sequence = match?.[1] === undefined ? Number.NaN : Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(sequence)) {
    throw new AgentryError(
      'validation_failed',
      `Invalid cursor ${JSON.stringify(cursor)}: pass the nextCursor of a previous page.`,
      {
        issues: [{ path: ['cursor'], message: 'Not a cursor returned by this store.' }],
      },
    );
  }
  return sequence;
}

/** An in-memory {@link ExecutionStore}, bounded per tenant. History is lost on restart. */
export function createMemoryStore(options: MemoryStoreOptions = {}): ExecutionStore {
  const maxPerTenant = options.maxPerTenant ?? 1000;
  if (!Number.isInteger(maxPerTenant) || maxPerTenant < 1) {
    throw new TypeError(`createMemoryStore: maxPerTenant must be a positive integer, got ${maxPerTenant}.`);
  }
  // Per tenant: oldest first, so appends are O(1); list walks from the end.
  const byTenant = new Map<string, Entry[]>();
  const byId = new Map<string, Map<string, Entry>>();
  let sequence = 0;

  return {
    async save(record) {
      let entries = byTenant.get(record.tenantId);
      let ids = byId.get(record.tenantId);
      if (!entries || !ids) {
        entries = [];
        ids = new Map();
        byTenant.set(record.tenantId, entries);
        byId.set(record.tenantId, ids);
      }
      const existing = ids.get(record.id);
      if (existing) {
        existing.record = record;
        return;
      }
      sequence += 1;
      const entry = { sequence, record };
      entries.push(entry);
      ids.set(record.id, entry);
      if (entries.length > maxPerTenant) {
        const dropped = entries.splice(0, entries.length - maxPerTenant);
        for (const old of dropped) ids.delete(old.record.id);
      }
    },
    async get(tenantId, executionId) {
      return byId.get(tenantId)?.get(executionId)?.record;
    },
    async list(tenantId, listOptions: ListExecutionsOptions = {}): Promise<ExecutionPage> {
      const limit = Math.min(Math.max(Math.trunc(listOptions.limit ?? 20), 1), MAX_PAGE);
      const before = listOptions.cursor === undefined ? Number.POSITIVE_INFINITY : decodeCursor(listOptions.cursor);
      const entries = byTenant.get(tenantId) ?? [];
      const items: ExecutionResult[] = [];
      let last: Entry | undefined;
      let more = false;
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const entry = entries[index] as Entry;
        if (entry.sequence >= before) continue;
        if (listOptions.agentId !== undefined && entry.record.agentId !== listOptions.agentId) continue;
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(entry.record);
        last = entry;
      }
      return more && last ? { items, nextCursor: encodeCursor(last.sequence) } : { items };
    },
  };
}
