import { toAgentryError } from '../../errors';
import type { AgentService, ExecutionResult } from '../../executor/types';

/**
 * Waits before each new read of a stopped run's record (client mode): the server writes it
 * once it notices the disconnect, usually at once. Five reads within 1.5 s, then it goes without.
 */
const RECORD_RETRY_MS = [100, 200, 400, 800] as const;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Reads the record of a run that started but ended without it (client mode: stopping aborts
 * the request, so the final event never arrives; so does a broken connection), retrying
 * while the server answers `not_found` because it has not written it yet. Resolves
 * `undefined` when it gives up or `signal` aborts.
 */
export async function readRecord(
  service: AgentService,
  executionId: string,
  signal: AbortSignal,
): Promise<ExecutionResult | undefined> {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      const result = await service.getExecution(executionId, { signal });
      return signal.aborted ? undefined : result;
    } catch (thrown) {
      const error = toAgentryError(thrown);
      const wait = RECORD_RETRY_MS[attempt];
      // Only "not written yet" is worth waiting for: other failures would not heal in 1.5 s.
      if (wait === undefined || error.code !== 'not_found') return undefined;
      await pause(wait, signal);
    }
  }
  return undefined;
}
