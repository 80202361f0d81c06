import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue } from './deadlines';

describe('DeadlineQueue: one timer for the runs of one total deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each deadline once, in the order armed, when its own time has come', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    queue.arm(() => fired.push('a'));
    vi.advanceTimersByTime(40);
    queue.arm(() => fired.push('b'));
    vi.advanceTimersByTime(59);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(39);
    expect(fired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['a', 'b']);
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });

  it('never fires a disarmed deadline, and fires the live one behind it on time', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    const a = queue.arm(() => fired.push('a'));
    vi.advanceTimersByTime(30);
    queue.arm(() => fired.push('b'));
    a.disarm();
    a.disarm();
    vi.advanceTimersByTime(69);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(fired).toEqual(['b']);
  });

  it('keeps no timer armed for nothing: none pending once every deadline is disarmed or fired', () => {
    const queue = new DeadlineQueue(100);
    const deadlines = [queue.arm(() => {}), queue.arm(() => {})];
    for (const deadline of deadlines) deadline.disarm();
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
    vi.advanceTimersByTime(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms a deadline from inside an expiry, and fires it a whole duration later', () => {
    const queue = new DeadlineQueue(50);
    const fired: number[] = [];
    queue.arm(() => {
      fired.push(Date.now());
      queue.arm(() => fired.push(Date.now()));
    });
    const start = Date.now();
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([start + 50, start + 100]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not hold the finished deadlines behind a long one at the head', () => {
    const queue = new DeadlineQueue(60_000);
    const long = queue.arm(() => {});
    for (let index = 0; index < 10_000; index += 1) queue.arm(() => {}).disarm();
    expect(queue.sizes.live).toBe(1);
    expect(queue.sizes.kept).toBeLessThanOrEqual(2 * 1 + 1024 + 1);
    long.disarm();
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });
});

describe('DeadlineQueue: the process', () => {
  it('lets go of the process while no deadline is live (unref), and holds it again when one is armed', () => {
    const calls: string[] = [];
    const timer = { ref: () => calls.push('ref'), unref: () => calls.push('unref') };
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => timer) as never);
    try {
      const queue = new DeadlineQueue(1_000);
      const first = queue.arm(() => {});
      first.disarm();
      expect(calls).toEqual(['unref']);
      queue.arm(() => {});
      expect(calls).toEqual(['unref', 'ref']);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
