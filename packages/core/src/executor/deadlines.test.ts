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
    // Disarming twice counts once.
    expect(queue.sizes.live).toBe(1);
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

  it('fires a deadline counted from an earlier start before those armed ahead of it, re-setting the timer', () => {
    // A run arms its deadline only once it waits, counted from when it started: it can come due
    // before deadlines other runs armed while it ran synchronously.
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    const started = performance.now();
    vi.advanceTimersByTime(30);
    queue.arm(() => fired.push('armed first, started at 30'));
    queue.arm(() => fired.push('armed second, started at 0'), started);
    queue.arm(() => fired.push('armed third, started at 10'), started + 10);
    vi.advanceTimersByTime(69);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['armed second, started at 0']);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['armed second, started at 0', 'armed third, started at 10']);
    vi.advanceTimersByTime(19);
    expect(fired).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['armed second, started at 0', 'armed third, started at 10', 'armed first, started at 30']);
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });

  it('fires at once a deadline whose time passed while its run ran synchronously', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    const started = performance.now();
    vi.advanceTimersByTime(150);
    queue.arm(() => fired.push('late'), started);
    vi.advanceTimersByTime(0);
    expect(fired).toEqual(['late']);
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

describe('DeadlineQueue: what it keeps', () => {
  it('drops the finished deadlines at the head as soon as the head is done', () => {
    const queue = new DeadlineQueue(1_000);
    const [a, b, c] = [queue.arm(() => {}), queue.arm(() => {}), queue.arm(() => {})] as const;
    a.disarm();
    expect(queue.sizes).toEqual({ live: 2, kept: 2 });
    // Behind a live head, a finished one waits its turn.
    c.disarm();
    expect(queue.sizes).toEqual({ live: 1, kept: 2 });
    b.disarm();
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });

  it('behind a long deadline, keeps up to 1,024 finished ones more than twice the live ones, then only the live', () => {
    const queue = new DeadlineQueue(60_000);
    const long = queue.arm(() => {});
    const kept: number[] = [];
    for (let index = 0; index < 1_100; index += 1) {
      queue.arm(() => {}).disarm();
      kept.push(queue.sizes.kept);
    }
    // 1 live: at most 2 × 1 + 1,024 = 1,026 kept; the next one over that compacts to the live one.
    expect(Math.max(...kept)).toBe(1_026);
    expect(kept[1_024]).toBe(1_026);
    expect(kept[1_025]).toBe(1);
    long.disarm();
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });
});

describe('DeadlineQueue: where timers cannot be unref’d (browsers)', () => {
  it('clears the timer while no deadline is live, and sets a new one for the next', () => {
    const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation((() => 7) as never);
    const cleared = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(() => undefined);
    try {
      const queue = new DeadlineQueue(1_000);
      queue.arm(() => {}).disarm();
      expect(cleared).toHaveBeenCalledWith(7);
      queue.arm(() => {});
      expect(set).toHaveBeenCalledTimes(2);
    } finally {
      set.mockRestore();
      cleared.mockRestore();
    }
  });
});

describe('DeadlineQueue: when a timer fires', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a deadline armed within a millisecond of the one due with it (timers are coarse), never earlier', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    queue.arm(() => fired.push('a'));
    vi.advanceTimersByTime(1);
    queue.arm(() => fired.push('b'));
    vi.advanceTimersByTime(1);
    queue.arm(() => fired.push('c'));
    vi.advanceTimersByTime(97);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    // a at 100, b (due at 101) with it; c (due at 102) a millisecond later, on its own.
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b', 'c']);
  });
});

describe('DeadlineQueue: a timer that fires late (a busy event loop)', () => {
  it('fires every deadline due by then in one go, and sets the timer for the next one still ahead', () => {
    let clock = 0;
    const timers: { run: () => void; ms: number }[] = [];
    const time = vi.spyOn(globalThis.performance, 'now').mockImplementation(() => clock);
    const set = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((run: () => void, ms: number) => {
      timers.push({ run, ms });
      return { ref() {}, unref() {} };
    }) as never);
    try {
      const queue = new DeadlineQueue(100);
      const fired: string[] = [];
      queue.arm(() => fired.push('a'));
      clock = 10;
      queue.arm(() => fired.push('b'));
      clock = 50;
      queue.arm(() => fired.push('c'));
      expect(timers.map((timer) => timer.ms)).toEqual([100]);
      // The timer set for a (due at 100) runs only at 130: b (110) is overdue too, c (150) is not.
      clock = 130;
      timers[0]?.run();
      expect(fired).toEqual(['a', 'b']);
      expect(queue.sizes).toEqual({ live: 1, kept: 1 });
      expect(timers.map((timer) => timer.ms)).toEqual([100, 20]);
    } finally {
      set.mockRestore();
      time.mockRestore();
    }
  });
});

describe('DeadlineQueue: expiries that arm and disarm others', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an expiry that disarms the last other live deadline ends the firing quietly', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    const deadlines: { b?: { disarm(): void } } = {};
    queue.arm(() => {
      fired.push('a');
      deadlines.b?.disarm();
    });
    deadlines.b = queue.arm(() => fired.push('b'));
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['a']);
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });

  it('an expiry that disarms one due in the same firing skips it, and fires the rest', () => {
    const queue = new DeadlineQueue(100);
    const fired: string[] = [];
    const deadlines: { c?: { disarm(): void } } = {};
    queue.arm(() => {
      fired.push('a');
      deadlines.c?.disarm();
    });
    queue.arm(() => fired.push('b'));
    deadlines.c = queue.arm(() => fired.push('c'));
    queue.arm(() => fired.push('d'));
    expect(() => vi.advanceTimersByTime(100)).not.toThrow();
    expect(fired).toEqual(['a', 'b', 'd']);
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });

  it('a deadline armed from an expiry does not delay an earlier one still ahead', () => {
    const queue = new DeadlineQueue(100);
    const fired: [string, number][] = [];
    const start = Date.now();
    queue.arm(() => {
      fired.push(['a', Date.now() - start]);
      queue.arm(() => fired.push(['c', Date.now() - start]));
    });
    vi.advanceTimersByTime(40);
    queue.arm(() => fired.push(['b', Date.now() - start]));
    vi.advanceTimersByTime(300);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 140],
      ['c', 200],
    ]);
  });

  it('fires a deadline armed after an earlier firing emptied the queue', () => {
    const queue = new DeadlineQueue(100);
    const fired: [string, number][] = [];
    const start = Date.now();
    queue.arm(() => fired.push(['a', Date.now() - start]));
    vi.advanceTimersByTime(150);
    queue.arm(() => fired.push(['b', Date.now() - start]));
    vi.advanceTimersByTime(150);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 250],
    ]);
  });
});

describe('DeadlineQueue: what it keeps behind live deadlines past a dropped head', () => {
  it('keeps up to 1,024 finished ones more than twice the live ones, counted from the head', () => {
    const queue = new DeadlineQueue(60_000);
    const first = queue.arm(() => {});
    const longs = [queue.arm(() => {}), queue.arm(() => {})];
    // The head is done and dropped: what is kept is counted from the live one behind it.
    first.disarm();
    expect(queue.sizes).toEqual({ live: 2, kept: 2 });
    const kept: number[] = [];
    for (let index = 0; index < 1_100; index += 1) {
      queue.arm(() => {}).disarm();
      kept.push(queue.sizes.kept);
    }
    // 2 live: at most 2 × 2 + 1,024 = 1,028 kept; one more compacts to the live ones.
    expect(Math.max(...kept)).toBe(1_028);
    expect(kept).toContain(2);
    for (const long of longs) long.disarm();
    expect(queue.sizes).toEqual({ live: 0, kept: 0 });
  });
});
