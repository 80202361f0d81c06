import type { Logger } from '../logging';
import type { ProviderContext } from '../providers';
import type { TenantContext } from '../tenant';

/**
 * A run's (or a step's, or an attempt's) cancellation, without an `AbortSignal` until someone
 * asks for one. The pipeline itself listens here (plain callbacks); providers and tools that
 * read `signal` get a real one, created on first read and aborted with the same reason.
 *
 * Why not an `AbortController` per run: on Node 20 a signal with an `abort` listener (even one
 * removed again) keeps kilobytes of internals alive across young-generation collections, so
 * every run's signal was promoted and collected in the old generation — most of a mock run's
 * garbage-collection time. A mock run, or a tool that never reads its signal, now makes none.
 */
export class RunAbort {
  /** Whether {@link abort} was called. */
  aborted = false;
  /** The reason given to {@link abort} (an `AgentryError`: cancelled, timeout). */
  reason: unknown = undefined;
  private controller: AbortController | undefined = undefined;
  private listeners: (() => void)[] | undefined = undefined;
  private rejection: Promise<never> | undefined = undefined;

  /** A real `AbortSignal` that follows this one (created on first read; aborted at once if this already is). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts with `reason` (the first call wins) and calls the listeners, in the order they were added. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  /** Calls `listener` once, on abort (not if it already happened: check {@link aborted} first). */
  onAbort(listener: () => void): void {
    if (this.aborted) return;
    if (this.listeners === undefined) this.listeners = [listener];
    else this.listeners.push(listener);
  }

  /** Removes a listener added with {@link onAbort}. */
  offAbort(listener: () => void): void {
    const listeners = this.listeners;
    if (listeners === undefined) return;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /**
   * A promise that rejects with the reason on abort and never resolves: race a call against it.
   * One per abort (cached), however many calls race it.
   */
  whenAborted(): Promise<never> {
    if (this.rejection === undefined) {
      this.rejection = this.aborted
        ? Promise.reject(this.reason)
        : new Promise<never>((_resolve, reject) => this.onAbort(() => reject(this.reason)));
      // Nobody may be racing it when it fires.
      this.rejection.catch(() => {});
    }
    return this.rejection;
  }

  /**
   * A child: aborted with this one's reason when this one aborts (or at once if it has), and on
   * its own (a step's or an attempt's deadline) without touching this one. Give it back with
   * {@link release} when it is done, so this one does not keep it.
   */
  child(): RunAbort {
    const child = new RunAbort();
    if (this.aborted) child.abort(this.reason);
    else {
      child.parent = this;
      child.follow = () => child.abort(this.reason);
      this.onAbort(child.follow);
    }
    return child;
  }

  /** Stops following the parent (see {@link child}). */
  release(): void {
    if (this.parent !== undefined && this.follow !== undefined) this.parent.offAbort(this.follow);
    this.parent = undefined;
    this.follow = undefined;
  }

  private parent: RunAbort | undefined = undefined;
  private follow: (() => void) | undefined = undefined;
}

/**
 * The context of a provider call, whose `signal` is made when the provider reads it. A class,
 * not an object literal with a getter: such a literal makes V8 build a new hidden class per
 * call, which outlives the call and is collected with the old generation.
 */
export class ProviderCallContext implements ProviderContext {
  readonly #abort: RunAbort;
  readonly tenant: TenantContext;
  readonly logger: Logger;

  constructor(abort: RunAbort, tenant: TenantContext, logger: Logger) {
    this.#abort = abort;
    this.tenant = tenant;
    this.logger = logger;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}
