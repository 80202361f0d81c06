import { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { ProviderAdapter, ProviderEvent, ProviderRequest } from '../providers';
import type { TenantContext } from '../tenant';
import { now } from './clock';
import { applyEvent, type OutputSink, type RunState, responseEvents } from './run-state';
import type { TimeoutOptions } from './types';

/** One call to a provider. */
export interface AttemptCall {
  provider: ProviderAdapter;
  request: ProviderRequest;
  tenant: TenantContext;
  logger: Logger;
  /** Call `stream()` (the caller reads events) rather than `execute()`. */
  streaming: boolean;
  /** The run's signal: cancel and the total deadline. */
  runSignal: AbortSignal;
  timeouts: TimeoutOptions;
  state: RunState;
  sink: OutputSink;
}

/**
 * A promise that rejects with the signal's reason when it aborts (never resolves). Racing each
 * step's model call against it costs one listener per run (per step with `stepMs`), not an add
 * and remove per call; it is cached on the state, not in a WeakMap, which would cost the GC.
 */
function whenAborted(state: RunState, signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const cached = state.abortRace;
  if (cached?.signal === signal) return cached.rejection;
  const rejection = new Promise<never>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  // Nobody may be racing it when it fires.
  rejection.catch(() => {});
  state.abortRace = { signal, rejection };
  return rejection;
}

/**
 * Runs one attempt to its end, feeding every provider event into the state. Throws why it
 * stopped: the abort reason (cancel, a deadline) when the signal fired, else what was thrown.
 */
export async function attempt(call: AttemptCall): Promise<void> {
  const { provider, request, state, sink, runSignal, timeouts } = call;
  // Phase deadlines abort this attempt alone (a retry may follow), so they need their own
  // signal; without them the run's signal is the attempt's, and no controller is armed.
  const phased = timeouts.firstOutputMs !== undefined || timeouts.idleMs !== undefined;
  const controller = phased ? new AbortController() : undefined;
  const signal = controller ? controller.signal : runSignal;
  const onRunAbort = () => controller?.abort(runSignal.reason);
  let phaseTimer: ReturnType<typeof setTimeout> | undefined;
  const armPhase = (ms: number | undefined, what: string, kind: 'first_output_time' | 'idle_time') => {
    if (!controller) return;
    if (phaseTimer !== undefined) clearTimeout(phaseTimer);
    if (ms === undefined) return;
    phaseTimer = setTimeout(
      () =>
        controller.abort(
          new AgentryError('timeout', `${what} did not arrive within ${ms} ms.`, {
            executionId: state.executionId,
            provider: provider.id,
            limit: { kind, value: ms, unit: 'ms' },
          }),
        ),
      ms,
    );
  };
  if (controller) {
    if (runSignal.aborted) onRunAbort();
    else runSignal.addEventListener('abort', onRunAbort, { once: true });
  }
  const context = { signal, tenant: call.tenant, logger: call.logger };
  try {
    armPhase(timeouts.firstOutputMs, 'The first output', 'first_output_time');
    if (call.streaming) {
      const iterator = (provider.stream as NonNullable<ProviderAdapter['stream']>)(request, context)[
        Symbol.asyncIterator
      ]();
      // One abort listener for the whole stream (not one per chunk): it rejects the chunk awaited.
      let next: Promise<IteratorResult<ProviderEvent>> | undefined;
      let rejectStep: ((reason: unknown) => void) | undefined;
      const onAbort = () => {
        next?.catch(() => {}); // it may still settle after the abort
        rejectStep?.(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        while (true) {
          if (signal.aborted) throw signal.reason;
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
        signal.removeEventListener('abort', onAbort);
      }
    } else {
      const response = await Promise.race([provider.execute(request, context), whenAborted(state, signal)]);
      const at = now();
      for (const event of responseEvents(response)) applyEvent(state, event, sink, true, at);
    }
  } catch (thrown) {
    // Why did it stop? Our own signals know better than the provider's error.
    throw signal.aborted ? signal.reason : thrown;
  } finally {
    if (phaseTimer !== undefined) clearTimeout(phaseTimer);
    if (controller) runSignal.removeEventListener('abort', onRunAbort);
  }
}
