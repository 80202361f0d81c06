import { now } from './clock';

// Every run of a mode gets the same total deadline, so the runs' deadlines come due in the order
// they were armed: a queue behind ONE timer does what a timer per run did (setTimeout and
// clearTimeout were about 5 % of a mock run). The timer is armed for the earliest live deadline;
// while no deadline is live it is unref'd, so it never keeps a process alive that had nothing
// left to do (where timers cannot be unref'd, as in browsers, it is cleared instead).

type Timer = ReturnType<typeof setTimeout> & { ref?: () => unknown; unref?: () => unknown };

/** One armed deadline; `disarm()` before it comes due and it never fires. */
export interface Deadline {
  disarm(): void;
}

class QueuedDeadline implements Deadline {
  readonly at: number;
  onExpire: (() => void) | undefined;
  readonly #queue: DeadlineQueue;

  constructor(queue: DeadlineQueue, at: number, onExpire: () => void) {
    this.#queue = queue;
    this.at = at;
    this.onExpire = onExpire;
  }

  disarm(): void {
    if (this.onExpire === undefined) return;
    this.onExpire = undefined;
    this.#queue.disarmed();
  }
}

/** Deadlines of one duration (`ms`), fired in the order they were armed, by one timer. */
export class DeadlineQueue {
  readonly #ms: number;
  #entries: QueuedDeadline[] = [];
  #head = 0;
  #live = 0;
  #timer: Timer | undefined = undefined;
  /** When the timer fires (`now()` clock), while it is armed. */
  #timerAt = Number.POSITIVE_INFINITY;
  #referenced = false;
  #firing = false;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Live deadlines, and entries kept (disarmed ones wait their turn at the head): for tests. */
  get sizes(): { live: number; kept: number } {
    return { live: this.#live, kept: this.#entries.length - this.#head };
  }

  /**
   * Calls `onExpire` once, `ms` after `from` (a `now()` reading; by default now), unless disarmed
   * first. A run arms its deadline only once it waits on something (a synchronous stretch cannot
   * be interrupted by a timer anyway), counted from when it started; so a deadline may come due
   * before one armed earlier, and takes its place in the queue.
   */
  arm(onExpire: () => void, from: number = now()): Deadline {
    const deadline = new QueuedDeadline(this, from + this.#ms, onExpire);
    const entries = this.#entries;
    let index = entries.length;
    while (index > this.#head && (entries[index - 1] as QueuedDeadline).at > deadline.at) index -= 1;
    if (index === entries.length) entries.push(deadline);
    else entries.splice(index, 0, deadline);
    this.#live += 1;
    // While firing, the timer is set again (for the earliest live deadline) when that is done.
    if (this.#timer === undefined) {
      if (!this.#firing) this.#schedule(deadline.at);
    } else if (deadline.at < this.#timerAt) {
      clearTimeout(this.#timer);
      this.#schedule(deadline.at);
    } else if (!this.#referenced) this.#ref(true);
    return deadline;
  }

  /** A deadline was disarmed: drop what is done from the head, let go of the process when none is live. */
  disarmed(): void {
    this.#live -= 1;
    this.#dropDone();
    if (this.#live === 0) this.#idle();
    else if (this.#entries.length - this.#head > 2 * this.#live + 1024) this.#compact();
  }

  #dropDone(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && (entries[this.#head] as QueuedDeadline).onExpire === undefined) {
      this.#head += 1;
    }
    if (this.#head === entries.length) {
      entries.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Keeps the live entries only: a long run at the head must not hold every finished one behind it. */
  #compact(): void {
    this.#entries = this.#entries.slice(this.#head).filter((entry) => entry.onExpire !== undefined);
    this.#head = 0;
  }

  #idle(): void {
    const timer = this.#timer;
    if (timer === undefined) return;
    if (typeof timer.unref === 'function') this.#ref(false);
    else {
      clearTimeout(timer);
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
    }
  }

  #ref(on: boolean): void {
    this.#referenced = on;
    if (on) this.#timer?.ref?.();
    else this.#timer?.unref?.();
  }

  #schedule(at: number): void {
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - now())) as Timer;
    this.#referenced = true;
  }

  #fire(): void {
    this.#timer = undefined;
    const firedFor = this.#timerAt;
    this.#timerAt = Number.POSITIVE_INFINITY;
    // What came due: everything armed before the deadline this timer was set for, and whatever
    // the clock says is due (timers are coarse: allow a millisecond). An expiry may disarm or
    // arm others: the queue is read afresh at every step.
    const due = Math.max(firedFor, now() + 1);
    this.#firing = true;
    try {
      while (this.#head < this.#entries.length) {
        const entry = this.#entries[this.#head] as QueuedDeadline;
        const onExpire = entry.onExpire;
        if (onExpire !== undefined && entry.at > due) break;
        this.#head += 1;
        if (onExpire === undefined) continue;
        entry.onExpire = undefined;
        this.#live -= 1;
        onExpire();
      }
    } finally {
      this.#firing = false;
      this.#dropDone();
      const next = this.#entries[this.#head];
      if (next !== undefined && this.#timer === undefined) this.#schedule(next.at);
    }
  }
}
