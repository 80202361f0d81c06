/**
 * A timer that calls `tick` once `intervalMs` has passed without the view being refreshed:
 * while other updates come often (a fast stream), it stays quiet.
 */
export interface Ticker {
  /** Starts ticking (does nothing when already started). */
  start(): void;
  stop(): void;
  /** Says the view was just refreshed: the next tick comes `intervalMs` from now. */
  touch(): void;
}

export function createTicker(intervalMs: number, tick: () => void): Ticker {
  let timer: ReturnType<typeof setTimeout> | undefined;
  function beat() {
    timer = setTimeout(beat, intervalMs);
    tick();
  }
  function stop() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }
  return {
    start() {
      if (timer === undefined && intervalMs > 0) timer = setTimeout(beat, intervalMs);
    },
    stop,
    touch() {
      if (timer === undefined) return;
      stop();
      timer = setTimeout(beat, intervalMs);
    },
  };
}
