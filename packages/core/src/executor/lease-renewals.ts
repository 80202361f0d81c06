import type { Coordinator } from '../coordinator';

/** A running run's lease, as {@link LeaseRenewals} sees it. */
export interface RenewableLease {
  /** When the lease was taken or last renewed (`Date.now()`). */
  readonly renewedAt: number;
  /** Renews the lease now (a lease lost on the way is dropped from the renewals by the run). */
  renew(coordinator: Coordinator, at: number): Promise<void>;
  /** Where {@link LeaseRenewals} keeps it (-1 when it does not): theirs to set, start at -1. */
  renewalSlot: number;
}

/**
 * Renews the leases of an executor's running runs: one timer for all of them (armed while any
 * run lives), not one per run. A lease is renewed once it is a third of `leaseTtlMs` old, at
 * the next tick (ticks every sixth), so it is renewed at least half its lifetime before expiry.
 */
export class LeaseRenewals {
  // An array with each run's slot, not a Set: a Set that one run at a time enters and leaves
  // reallocates its table on each (it shrinks when emptied), a few hundred bytes per run.
  readonly #live: RenewableLease[] = [];
  readonly #coordinator: Coordinator;
  readonly #every: number;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(coordinator: Coordinator) {
    this.#coordinator = coordinator;
    this.#every = Math.max(1, Math.floor(coordinator.leaseTtlMs / 3));
  }

  add(run: RenewableLease): void {
    if (run.renewalSlot !== -1) return;
    run.renewalSlot = this.#live.length;
    this.#live.push(run);
    if (this.#timer === undefined) this.#arm();
  }

  delete(run: RenewableLease): void {
    const slot = run.renewalSlot;
    if (slot === -1 || this.#live[slot] !== run) return;
    run.renewalSlot = -1;
    const last = this.#live.pop() as RenewableLease;
    if (last !== run) {
      this.#live[slot] = last;
      last.renewalSlot = slot;
    }
  }

  /** How many runs are renewed: for tests. */
  get size(): number {
    return this.#live.length;
  }

  #arm(): void {
    this.#timer = setTimeout(() => this.#tick(), Math.max(1, Math.floor(this.#every / 2)));
    // A renewal never keeps a Node process alive on its own.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#live.length === 0) return;
    const at = Date.now();
    // A copy: a renewal may drop its run from the list.
    for (const run of this.#live.slice()) if (at - run.renewedAt >= this.#every) void run.renew(this.#coordinator, at);
    this.#arm();
  }
}
