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
