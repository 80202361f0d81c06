import { AgentryError } from '../errors';

/**
 * Per-tenant execution slots. This is the one place that decides whether a tenant may start
 * another run; today it counts in this process, and a cross-instance coordinator (a shared
 * store) can implement the same two calls.
 */
export interface ConcurrencySlots {
  /** Takes a slot for this tenant, or throws `limit_exceeded` when all are taken. */
  acquire(tenantId: string): void;
  /** Gives back a slot taken with {@link acquire}. */
  release(tenantId: string): void;
}

/** Slots counted in this process: at most `limit` runs per tenant at once. */
export function createLocalConcurrency(limit: number): ConcurrencySlots {
  const running = new Map<string, number>();
  return {
    acquire(tenantId) {
      const active = running.get(tenantId) ?? 0;
      if (active >= limit) {
        throw new AgentryError(
          'limit_exceeded',
          `This tenant already has ${active} executions running (limit ${limit}).`,
          { limit: { kind: 'concurrent_runs', value: limit, unit: 'runs' } },
        );
      }
      running.set(tenantId, active + 1);
    },
    release(tenantId) {
      const active = (running.get(tenantId) ?? 1) - 1;
      if (active <= 0) running.delete(tenantId);
      else running.set(tenantId, active);
    },
  };
}
