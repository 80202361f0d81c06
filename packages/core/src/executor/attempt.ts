import { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { ProviderAdapter, ProviderEvent, ProviderRequest, ProviderResponse } from '../providers';
import { answerNowOf, ReadyEvents } from '../providers/ready-answer';
import type { TenantContext } from '../tenant';
import { now } from './clock';
import { ProviderCallContext, type RunAbort } from './run-abort';
import { applyEvent, emitResponseEvents, type OutputSink, type RunState } from './run-state';
import type { TimeoutOptions } from './types';

/** One call to a provider. */
export interface AttemptCall {
  provider: ProviderAdapter;
  request: ProviderRequest;
  tenant: TenantContext;
  logger: Logger;
  /** Call `stream()` (the caller reads events) rather than `execute()`. */
  streaming: boolean;
  /** The run's (or the step's) abort: cancel and the deadlines above this attempt. */
  runAbort: RunAbort;
  timeouts: TimeoutOptions;
  state: RunState;
  sink: OutputSink;
}

/**
 * Runs one attempt to its end, feeding every provider event into the state. Throws why it
 * stopped: the abort reason (cancel, a deadline) when the signal fired, else what was thrown.
 */
export function attempt(call: AttemptCall): Promise<void> | undefined {
  const { timeouts } = call;
  // Phase deadlines abort this attempt alone (a retry may follow), so they need their own
  // abort; without them the run's is the attempt's, and nothing is armed.
  const phased = timeouts.firstOutputMs !== undefined || timeouts.idleMs !== undefined;
  if (call.streaming && !phased) return attemptStream(call);
  return call.streaming || phased ? attemptWatched(call, phased, undefined) : attemptExecute(call);
}

/**
 * A streamed attempt with no phase deadlines: the mock's events known at once are read by
 * {@link readyStream} (no watcher, no timers), any other stream by {@link attemptWatched}.
 */
function attemptStream(call: AttemptCall): Promise<void> {
  const { runAbort } = call;
  const context = new ProviderCallContext(runAbort, call.tenant, call.logger);
  let iterator: AsyncIterator<ProviderEvent>;
  try {
    iterator = (call.provider.stream as NonNullable<ProviderAdapter['stream']>)(call.request, context)[
      Symbol.asyncIterator
    ]();
  } catch (thrown) {
    // As from attemptWatched: a rejection, with our own signal's reason when it fired.
    return Promise.reject(runAbort.aborted ? runAbort.reason : thrown);
  }
  if (!(iterator instanceof ReadyEvents)) return attemptWatched(call, false, { iterator, context });
  return readyStream(iterator, call).catch((thrown: unknown) => {
    throw runAbort.aborted ? runAbort.reason : thrown;
  });
}

/**
 * An `execute()` attempt with no phase deadlines: the common mock and tool-step case, lean. The
 * mock's answer known at once is applied at once: no promise, nothing to race (`undefined`).
 */
function attemptExecute(call: AttemptCall): Promise<void> | undefined {
  const { provider, runAbort } = call;
  const context = new ProviderCallContext(runAbort, call.tenant, call.logger);
  const answerNow = answerNowOf(provider);
  if (answerNow === undefined) return settleExecute(call, context, undefined);
  try {
    const answering = answerNow(call.request, context);
    if (answering instanceof Promise) return settleExecute(call, context, answering);
    // What racing an answer already settled against the abort gave: the answer.
    applyResponse(call, answering);
    return undefined;
  } catch (thrown) {
    throw runAbort.aborted ? runAbort.reason : thrown;
  }
}

/** The provider's `execute()` (or the mock's answer to come), raced against the run's abort. */
async function settleExecute(
  call: AttemptCall,
  context: ProviderCallContext,
  answering: Promise<ProviderResponse> | undefined,
): Promise<void> {
  const { runAbort } = call;
  try {
    const response = await Promise.race([
      answering ?? call.provider.execute(call.request, context),
      runAbort.whenAborted(),
    ]);
    applyResponse(call, response);
  } catch (thrown) {
    // Why did it stop? Our own signals know better than the provider's error.
    throw runAbort.aborted ? runAbort.reason : thrown;
  }
}

/** One event of a complete answer applied (`whole`: the attempt's `execute()` answered it). */
const applyWhole = (event: ProviderEvent, state: RunState, sink: OutputSink, at: number): void =>
  applyEvent(state, event, sink, true, at);

function applyResponse(call: AttemptCall, response: ProviderResponse): void {
  const at = now();
  emitResponseEvents(response, applyWhole, call.state, call.sink, at);
}

/** A streamed attempt, or one with phase deadlines (first output, idle) armed around it. */
async function attemptWatched(
  call: AttemptCall,
  phased: boolean,
  started: { iterator: AsyncIterator<ProviderEvent>; context: ProviderCallContext } | undefined,
): Promise<void> {
  const { provider, request, state, sink, runAbort, timeouts } = call;
  const abort = phased ? runAbort.child() : runAbort;
  let phaseTimer: ReturnType<typeof setTimeout> | undefined;
  const armPhase = (ms: number | undefined, what: string, kind: 'first_output_time' | 'idle_time') => {
    if (!phased) return;
    if (phaseTimer !== undefined) clearTimeout(phaseTimer);
    if (ms === undefined) return;
    phaseTimer = setTimeout(
      () =>
        abort.abort(
          new AgentryError('timeout', `${what} did not arrive within ${ms} ms.`, {
            executionId: state.executionId,
            provider: provider.id,
            limit: { kind, value: ms, unit: 'ms' },
          }),
        ),
      ms,
    );
  };
  // The provider's signal is made when it reads it (a mock without latency never does).
  const context = started?.context ?? new ProviderCallContext(abort, call.tenant, call.logger);
  try {
    armPhase(timeouts.firstOutputMs, 'The first output', 'first_output_time');
    if (call.streaming) {
      const iterator =
        started?.iterator ??
        (provider.stream as NonNullable<ProviderAdapter['stream']>)(request, context)[Symbol.asyncIterator]();
      if (iterator instanceof ReadyEvents) {
        // With phase deadlines: the idle deadline is re-armed after each chunk, as below.
        return await readyStream(iterator, call, abort, (chunk) => {
          if (chunk) armPhase(timeouts.idleMs, 'The next output chunk', 'idle_time');
        });
      }
      // One abort listener for the whole stream (not one per chunk): it rejects the chunk awaited.
      let next: Promise<IteratorResult<ProviderEvent>> | undefined;
      let rejectStep: ((reason: unknown) => void) | undefined;
      const onAbort = () => {
        next?.catch(() => {}); // it may still settle after the abort
        rejectStep?.(abort.reason);
      };
      abort.onAbort(onAbort);
      try {
        while (true) {
          if (abort.aborted) throw abort.reason;
          const pending = iterator.next();
          next = pending;
          const step = await new Promise<IteratorResult<ProviderEvent>>((resolve, reject) => {
            rejectStep = reject;
            pending.then(resolve, reject);
          });
          if (step.done) break;
          applyEvent(state, step.value, sink, false, now());
          if (step.value.type === 'text-delta' && step.value.delta !== '')
            armPhase(timeouts.idleMs, 'The next output chunk', 'idle_time');
        }
      } catch (error) {
        // Close the provider's stream (and its HTTP request) without waiting on it.
        iterator.return?.()?.catch(() => {});
        throw error;
      } finally {
        abort.offAbort(onAbort);
      }
    } else {
      const response = await Promise.race([provider.execute(request, context), abort.whenAborted()]);
      const at = now();
      emitResponseEvents(response, applyWhole, state, sink, at);
    }
  } catch (thrown) {
    // Why did it stop? Our own signals know better than the provider's error.
    throw abort.aborted ? abort.reason : thrown;
  } finally {
    if (phaseTimer !== undefined) clearTimeout(phaseTimer);
    if (phased) abort.release();
  }
}

/**
 * The mock's stream of events known at once: each `next()` is settled already, so nothing is
 * raced against the abort; it is checked before each event, as the general loop does. One tick
 * per event, as a stream's `next()` would take: a cancel can land between events. `onChunk`
 * follows each event (`true` for a text chunk): the phase deadlines' hook.
 *
 * A resolved promise's reaction per event, not an async function's `await`: the same ticks, a
 * fraction of the objects (an `await` makes a promise and a suspended frame each time).
 */
const TICK = Promise.resolve();

function readyStream(
  iterator: ReadyEvents,
  call: AttemptCall,
  abort: RunAbort = call.runAbort,
  onChunk?: (chunk: boolean) => void,
): Promise<void> {
  call.sink.textAhead?.(iterator.textAhead());
  return new Promise<void>((resolve, reject) => {
    new ReadySteps(iterator, call, abort, onChunk, resolve, reject).next();
  });
}

class ReadySteps {
  readonly #step = () => this.#apply();

  constructor(
    readonly iterator: ReadyEvents,
    readonly call: AttemptCall,
    readonly abort: RunAbort,
    readonly onChunk: ((chunk: boolean) => void) | undefined,
    readonly resolve: () => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** Applies the next event at the next tick. */
  next(): void {
    void TICK.then(this.#step);
  }

  #apply(): void {
    const { iterator, call } = this;
    try {
      if (this.abort.aborted) throw this.abort.reason;
      const event = iterator.shift();
      if (event === undefined) {
        this.resolve();
        return;
      }
      const { state } = call;
      // The time matters only for the first output (the only thing it is read for).
      const at = event.type === 'text-delta' && state.firstOutputAt === null ? now() : 0;
      applyEvent(state, event, call.sink, false, at);
      this.onChunk?.(event.type === 'text-delta' && event.delta !== '');
      this.next();
    } catch (error) {
      void iterator.return();
      this.reject(error);
    }
  }
}
