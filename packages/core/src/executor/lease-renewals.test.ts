import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryCoordinator } from '../coordinator';
import { LeaseRenewals, type RenewableLease } from './lease-renewals';

function fakeRun(): RenewableLease & { renewals: number; renewedAt: number } {
  return {
    renewedAt: 0,
    renewalSlot: -1,
    renewals: 0,
    async renew(_coordinator, at) {
      this.renewals += 1;
      this.renewedAt = at;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseRenewals', () => {
  it('renews exactly the runs added and not deleted, whatever the order they leave in', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const renewals = new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 }));
    const [first, second, third, fourth] = [fakeRun(), fakeRun(), fakeRun(), fakeRun()];
    for (const run of [first, second, third, fourth]) renewals.add(run as RenewableLease);
    renewals.add(first as RenewableLease); // twice: still once
    renewals.delete(second as RenewableLease);
    renewals.delete(second as RenewableLease); // twice: a no-op
    renewals.delete(fourth as RenewableLease); // the last one
    expect(renewals.size).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect([first, second, third, fourth].map((run) => run?.renewals)).toEqual([1, 0, 1, 0]);
    renewals.delete(first as RenewableLease);
    renewals.add(second as RenewableLease);
    expect(renewals.size).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect([first, second, third, fourth].map((run) => run?.renewals)).toEqual([1, 1, 2, 0]);
  });
});

describe('LeaseRenewals: its timer', () => {
  it('keeps one timer for all the runs, and none once the last run has left', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const renewals = new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 }));
    const [first, second] = [fakeRun(), fakeRun()];
    renewals.add(first);
    renewals.add(second);
    expect(vi.getTimerCount()).toBe(1);
    renewals.delete(first);
    renewals.delete(second);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(vi.getTimerCount()).toBe(0);
    // A run added later arms it again.
    renewals.add(first);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(first.renewals).toBe(1);
  });

  it('ticks every sixth of the lease, and renews a lease once it is a third of the lease old', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const renewals = new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 }));
    // Never counted as renewed: old at every tick once a third of the lease has passed.
    const stale = { ...fakeRun(), renew: vi.fn(async () => {}) };
    // Taken between two ticks: renewed at the first tick after it is 1,000 ms old, not before.
    const late = fakeRun();
    late.renewedAt = 200;
    renewals.add(stale);
    renewals.add(late);
    await vi.advanceTimersByTimeAsync(999);
    expect(stale.renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(stale.renew).toHaveBeenCalledTimes(1);
    expect(late.renewals).toBe(0);
    await vi.advanceTimersByTimeAsync(499);
    expect(late.renewals).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(late.renewals).toBe(1);
    expect(late.renewedAt).toBe(1500);
    // Ticks at 1,000, 1,500, …, 3,000 ms: five renewals of the stale lease in three seconds.
    await vi.advanceTimersByTimeAsync(1500);
    expect(stale.renew).toHaveBeenCalledTimes(5);
    expect(stale.renew).toHaveBeenLastCalledWith(expect.anything(), 3000);
  });

  it('ticks at least every millisecond apart for a very short lease', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const renewals = new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 1 }));
    const stale = { ...fakeRun(), renew: vi.fn(async () => {}) };
    renewals.add(stale);
    await vi.advanceTimersByTimeAsync(0);
    expect(stale.renew).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(stale.renew).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4);
    expect(stale.renew).toHaveBeenCalledTimes(5);
  });

  it('renews every run of a tick, also when a renewal drops its own run from the list at once', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const renewals = new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 }));
    const lost = {
      ...fakeRun(),
      async renew() {
        // Its lease was lost: the run leaves the renewals before the others are renewed.
        renewals.delete(lost);
      },
    };
    const [second, third] = [fakeRun(), fakeRun()];
    renewals.add(lost);
    renewals.add(second);
    renewals.add(third);
    await vi.advanceTimersByTimeAsync(1000);
    expect(renewals.size).toBe(2);
    expect([second.renewals, third.renewals]).toEqual([1, 1]);
  });

  it('does not keep a Node process alive (the timer is unref’d), and runs where timers have no unref', () => {
    const unref = vi.fn();
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => ({ unref })) as never);
    try {
      new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 })).add(fakeRun());
      expect(unref).toHaveBeenCalledTimes(1);
      // A browser's timer is a number.
      spy.mockImplementation((() => 7) as never);
      expect(() => new LeaseRenewals(createMemoryCoordinator({ leaseTtlMs: 3000 })).add(fakeRun())).not.toThrow();
    } finally {
      spy.mockRestore();
    }
  });

  it('leaves a run alone that another LeaseRenewals holds', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const coordinator = createMemoryCoordinator({ leaseTtlMs: 3000 });
    const [mine, theirs] = [new LeaseRenewals(coordinator), new LeaseRenewals(coordinator)];
    const [own, foreign] = [fakeRun(), fakeRun()];
    mine.add(own);
    theirs.add(foreign);
    // Both sit in slot 0 of their own list.
    mine.delete(foreign);
    expect(mine.size).toBe(1);
    expect(foreign.renewalSlot).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect([own.renewals, foreign.renewals]).toEqual([1, 1]);
  });
});
