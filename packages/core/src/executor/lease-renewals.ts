import type { Coordinator } from '../coordinator';

/** A running run's lease, as {@link LeaseRenewals} sees it. */
export interface RenewableLease {
  /** When the lease was taken or last renewed (`Date.now()`). */
  readonly renewedAt: number;
  /** Renews the lease now (a lease lost on the way is dropped from the renewals by the run). */
  renew(coordinator: Coordinator, at: number): Promise<void>;
}

/**
 * Renews the leases of an executor's running runs: one timer for all of them (armed while any
 * run lives), not one per run. A lease is renewed once it is a third of `leaseTtlMs` old, at
 * the next tick (ticks every sixth), so it is renewed at least half its lifetime before expiry.
 */
export class LeaseRenewals {
  readonly #live = new Set<RenewableLease>();
  readonly #coordinator: Coordinator;
  readonly #every: number;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;

  constructor(coordinator: Coordinator) {
    this.#coordinator = coordinator;
    this.#every = Math.max(1, Math.floor(coordinator.leaseTtlMs / 3));
  }

  add(run: RenewableLease): void {
    this.#live.add(run);
    if (this.#timer === undefined) this.#arm();
  }

  delete(run: RenewableLease): void {
    this.#live.delete(run);
  }

  #arm(): void {
    this.#timer = setTimeout(() => this.#tick(), Math.max(1, Math.floor(this.#every / 2)));
    // A renewal never keeps a Node process alive on its own.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#live.size === 0) return;
    const at = Date.now();
    for (const run of this.#live) if (at - run.renewedAt >= this.#every) void run.renew(this.#coordinator, at);
    this.#arm();
  }
}
