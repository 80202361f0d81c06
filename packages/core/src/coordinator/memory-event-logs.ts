import { type ExecutionEvent, type ExecutionEventEntry, isTerminalEvent } from '../protocol';
import { type CompactLog, compactLog, expandLog } from './compact-log';

/**
 * A run's event log on an in-process coordinator, appended to synchronously (see
 * `localEventLogs`).
 */
export interface LocalEventLog {
  /** Appends the run's next event; ids increase (the run numbers them 1, 2, 3, …). */
  append(id: number, event: ExecutionEvent): void;
}

// The events without an `{ id, event }` wrapper each, and no id array while the ids run
// `firstId`, `firstId + 1`, … (the executor numbers its events 1, 2, 3, …): a finished log is
// kept for minutes, and every object it keeps is one more for the garbage collector to copy.
// Most finished logs are kept smaller still, as a `CompactLog` (compact-log.ts).
class EventLog {
  events: ExecutionEvent[];
  /** Each event's id, once they stopped running on from `firstId`; undefined while they do. */
  ids: number[] | undefined = undefined;
  firstId: number;
  /** The terminal event was appended (when is in the ring of finished logs, not here: a time is one more object). */
  finished: boolean;

  constructor(
    readonly tenantId: string,
    events: ExecutionEvent[] = [],
    firstId = 0,
    finished = false,
  ) {
    this.events = events;
    this.firstId = firstId;
    this.finished = finished;
  }
}

/** A log kept compact, as the events it stands for (ids 1, 2, 3, …). */
function expanded(compact: CompactLog): EventLog {
  const record = Array.isArray(compact) ? compact[0] : compact;
  return new EventLog(record.tenantId, expandLog(compact), 1, true);
}

function idAt(log: EventLog, index: number): number {
  return log.ids === undefined ? log.firstId + index : (log.ids[index] as number);
}

/**
 * The in-memory coordinator's event logs: each run's events, readable after any id by its own
 * tenant, kept after the run ends for `retentionMs` and at most `maxFinished` logs (the oldest
 * go first), with the readers that wait for the next append.
 */
export class MemoryEventLogs {
  readonly #logs = new Map<string, EventLog | CompactLog>(); // by execution id, in creation order
  // Execution ids of finished logs, oldest first, in a ring (a Set whose oldest entries are
  // deleted one by one makes every later walk from its start skip their holes).
  readonly #finishedIds: (string | undefined)[] = []; // grows to maxFinished, then wraps
  // When each of them finished, in the same ring: pruning reads these, not the logs (no lookup per run).
  readonly #finishedTimes: number[] = [];
  #oldest = 0;
  #finishedCount = 0;
  readonly #listeners = new Map<string, Set<() => void>>();

  constructor(
    readonly now: () => number,
    readonly retentionMs: number,
    readonly maxFinished: number,
  ) {}

  /** Appends entries whose ids increase past the log's last; throws (appending none) otherwise. */
  append(tenantId: string, executionId: string, entries: readonly ExecutionEventEntry[]): void {
    if (entries.length === 0) return;
    const log = this.#logOf(tenantId, executionId);
    let last = log.events.length === 0 ? 0 : idAt(log, log.events.length - 1);
    for (const entry of entries) {
      if (!Number.isInteger(entry.id) || entry.id <= last) {
        throw new TypeError(
          `Coordinator.appendEvents: event ids must increase (got ${entry.id} after ${last}) for "${executionId}".`,
        );
      }
      last = entry.id;
    }
    for (const entry of entries) this.#push(log, executionId, entry.id, entry.event);
    this.#notify(executionId);
  }

  /** A run's log appended to directly: the executor's in-process path. */
  open(tenantId: string, executionId: string): LocalEventLog {
    return new LocalLog(this, tenantId, executionId);
  }

  /** The entries after `afterId`, or undefined when the log is gone or another tenant's. */
  read(tenantId: string, executionId: string, afterId: number): ExecutionEventEntry[] | undefined {
    const kept = this.#logs.get(executionId);
    if (kept === undefined) return undefined;
    const log = kept instanceof EventLog ? kept : expanded(kept);
    if (log.tenantId !== tenantId) return undefined;
    // Ids are 1, 2, 3, … in the executor's logs; search anyway, ids may skip.
    const { events } = log;
    let index = events.length;
    while (index > 0 && idAt(log, index - 1) > afterId) index -= 1;
    const entries: ExecutionEventEntry[] = [];
    for (; index < events.length; index += 1)
      entries.push({ id: idAt(log, index), event: events[index] as ExecutionEvent });
    return entries;
  }

  /** Calls `listener` after each append to the execution's log; answers the unsubscribe. */
  subscribe(executionId: string, listener: () => void): () => void {
    // Registered for unknown executions too: a reader may subscribe before the first append.
    let listeners = this.#listeners.get(executionId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(executionId, listeners);
    }
    listeners.add(listener);
    const own = listeners;
    return () => {
      own.delete(listener);
      if (own.size === 0 && this.#listeners.get(executionId) === own) this.#listeners.delete(executionId);
    };
  }

  /** The execution's log, made on its first append: for a {@link LocalLog}, which keeps it. */
  logOf(tenantId: string, executionId: string): EventLog {
    return this.#logOf(tenantId, executionId);
  }

  /** One event appended to a log from {@link logOf}, and its readers woken. */
  push(log: EventLog, executionId: string, id: number, event: ExecutionEvent): void {
    this.#push(log, executionId, id, event);
    this.#notify(executionId);
  }

  #logOf(tenantId: string, executionId: string): EventLog {
    const kept = this.#logs.get(executionId);
    let log: EventLog;
    if (kept === undefined) {
      this.#prune(this.now());
      log = new EventLog(tenantId);
      this.#logs.set(executionId, log);
    } else if (kept instanceof EventLog) log = kept;
    else {
      // An append after the end (the executor makes none): the log is kept whole again.
      log = expanded(kept);
      this.#logs.set(executionId, log);
    }
    if (log.tenantId !== tenantId) {
      throw new TypeError(`Coordinator.appendEvents: execution "${executionId}" belongs to another tenant.`);
    }
    return log;
  }

  // The events are kept as given (the executor never changes them once appended), not copied.
  #push(log: EventLog, executionId: string, id: number, event: ExecutionEvent): void {
    const { events } = log;
    if (events.length === 0) log.firstId = id;
    else if (log.ids === undefined && id !== log.firstId + events.length) {
      log.ids = events.map((_event, index) => log.firstId + index);
    }
    events.push(event);
    log.ids?.push(id);
    if (!log.finished && isTerminalEvent(event)) {
      log.finished = true;
      this.#keepFinished(executionId, this.now());
      // Kept for minutes from here: compact when it can be, else without the spare room the
      // pushes grew the array by.
      const compact = log.firstId === 1 && log.ids === undefined ? compactLog(log.tenantId, events) : undefined;
      if (compact !== undefined) this.#logs.set(executionId, compact);
      else log.events = events.slice();
    }
  }

  #notify(executionId: string): void {
    if (this.#listeners.size === 0) return;
    const listeners = this.#listeners.get(executionId);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener();
  }

  #dropOldest(): void {
    const executionId = this.#finishedIds[this.#oldest] as string;
    this.#finishedIds[this.#oldest] = undefined;
    this.#oldest = (this.#oldest + 1) % this.maxFinished;
    this.#finishedCount -= 1;
    this.#logs.delete(executionId);
  }

  /** Drops finished logs past their retention. */
  #prune(at: number): void {
    while (this.#finishedCount > 0 && (this.#finishedTimes[this.#oldest] as number) + this.retentionMs <= at)
      this.#dropOldest();
  }

  /** Keeps a finished log for late readers, dropping the oldest past `maxFinished`. */
  #keepFinished(executionId: string, at: number): void {
    if (this.#finishedCount === this.maxFinished) this.#dropOldest();
    const slot = (this.#oldest + this.#finishedCount) % this.maxFinished;
    this.#finishedIds[slot] = executionId;
    this.#finishedTimes[slot] = at;
    this.#finishedCount += 1;
  }
}

// One object per run, its method on the prototype (not a literal of closures).
class LocalLog implements LocalEventLog {
  readonly #logs: MemoryEventLogs;
  readonly #tenantId: string;
  readonly #executionId: string;
  #log: EventLog | undefined = undefined;

  constructor(logs: MemoryEventLogs, tenantId: string, executionId: string) {
    this.#logs = logs;
    this.#tenantId = tenantId;
    this.#executionId = executionId;
  }

  append(id: number, event: ExecutionEvent): void {
    // Once finished, the log may have been kept compact: the coordinator's is the one to append to.
    if (this.#log === undefined || this.#log.finished) this.#log = this.#logs.logOf(this.#tenantId, this.#executionId);
    this.#logs.push(this.#log, this.#executionId, id, event);
  }
}
