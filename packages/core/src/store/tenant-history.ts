import type { ExecutionResult } from '../protocol';

/** One page read from a {@link TenantHistory}, newest first. */
export interface TenantHistoryPage {
  items: ExecutionResult[];
  /** Sequence number of the last item, when more matching records follow it. */
  continueBefore?: number;
}

/** What {@link TenantHistory.page} reads. */
export interface TenantHistoryPageOptions {
  /** Only records with a sequence number below this one. */
  before: number;
  /** At most this many items (≥ 1). */
  limit: number;
  /** Only this agent's records. */
  agentId?: string;
}

/**
 * One tenant's records, oldest evicted first, in a ring buffer: saving is O(1) at the cap (the
 * old array store shifted all `capacity` entries on every save once a tenant was full).
 *
 * Each new record gets the tenant's next sequence number (1, 2, 3, … — per tenant, so it says
 * nothing about other tenants); record `n` lives in slot `(n - 1) % capacity`, which makes a
 * position from a cursor a direct index, not a search.
 */
export interface TenantHistory {
  /** Sequence number of the newest record; 0 before the first save. */
  readonly latest: number;
  /** Adds a record, or replaces the one with the same id in place (same position). */
  save(record: ExecutionResult): void;
  get(executionId: string): ExecutionResult | undefined;
  page(options: TenantHistoryPageOptions): TenantHistoryPage;
}

export function createTenantHistory(capacity: number): TenantHistory {
  // Grows to `capacity`, then wraps; never shifts.
  const slots: ExecutionResult[] = [];
  const sequenceById = new Map<string, number>();
  let latest = 0;

  const slotOf = (sequence: number) => (sequence - 1) % capacity;

  return {
    get latest() {
      return latest;
    },
    save(record) {
      const existing = sequenceById.get(record.id);
      if (existing !== undefined) {
        slots[slotOf(existing)] = record;
        return;
      }
      latest += 1;
      const slot = slotOf(latest);
      const evicted = slots[slot];
      if (evicted !== undefined) sequenceById.delete(evicted.id);
      slots[slot] = record;
      sequenceById.set(record.id, latest);
    },
    get(executionId) {
      const sequence = sequenceById.get(executionId);
      return sequence === undefined ? undefined : slots[slotOf(sequence)];
    },
    page({ before, limit, agentId }) {
      const oldest = latest - slots.length + 1;
      const items: ExecutionResult[] = [];
      let last = 0;
      for (let sequence = Math.min(before - 1, latest); sequence >= oldest; sequence -= 1) {
        const record = slots[slotOf(sequence)] as ExecutionResult;
        if (agentId !== undefined && record.agentId !== agentId) continue;
        if (items.length === limit) return { items, continueBefore: last };
        items.push(record);
        last = sequence;
      }
      return { items };
    },
  };
}
