/**
 * A signal that aborts when `signal` aborts or after `timeoutMs`, whichever comes first.
 * A plain timer rather than `AbortSignal.timeout`, so fake timers drive it in tests.
 * Call `dispose` when done so neither the timer nor the listener outlives the call.
 */
export function boundedSignal(
  signal: AbortSignal,
  timeoutMs: number,
  timeoutReason = 'timed out',
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(timeoutReason)), timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
