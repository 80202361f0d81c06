// "Save as tape" needs the model calls of a run that already ended. A run capture keeps them, in
// memory and redacted, for the last runs of the providers it wraps, until a user saves one.
import { createRedactor } from '../logging';
import type { ProviderAdapter } from '../providers';
import { type RecordTapesOptions, recordingWrapper } from './record-tapes';
import { checkKeyFields } from './tape-key';
import type { TapeEntry } from './tape-types';

/** Options of {@link createRunCapture}. */
export interface RunCaptureOptions {
  /**
   * How many runs' calls are kept (the oldest are forgotten first). A run saved after it was
   * forgotten answers that it can no longer be saved as a tape.
   * @default 200
   */
  maxRuns?: number;
}

/** A run's captured calls. */
export interface CapturedRun {
  agentId: string;
  entries: TapeEntry[];
}

/** Keeps the recorded calls of recent runs for "save as tape" (see {@link createRunCapture}). */
export interface RunCapture {
  /**
   * Wraps a live provider so that its calls are kept per run (redacted as on a tape; nothing is
   * written anywhere). Wrap the providers whose runs may be saved from the TestPanel.
   */
  wrap(provider: ProviderAdapter, options?: RecordTapesOptions): ProviderAdapter;
  /** The calls of one run of this tenant, or `undefined` (never captured, forgotten, or another tenant's). */
  runOf(tenantId: string, executionId: string): CapturedRun | undefined;
}

/**
 * A memory of recent runs' model calls, for saving a completed live run as a tape from the
 * TestPanel (`createRunSaver({ store, capture })`). Per instance: a run served by another
 * instance of the app is not here.
 *
 * @example
 * const capture = createRunCapture();
 * const executor = createExecutor({ agents, providers: { openai: capture.wrap(openaiProvider({ apiKey })) } });
 */
export function createRunCapture(options: RunCaptureOptions = {}): RunCapture {
  const { maxRuns = 200 } = options;
  if (!Number.isInteger(maxRuns) || maxRuns < 1) {
    throw new TypeError(`createRunCapture: maxRuns must be a positive integer, got ${String(maxRuns)}.`);
  }
  const runs = new Map<string, CapturedRun>();
  const runId = (tenantId: string, executionId: string) => JSON.stringify([tenantId, executionId]);

  return {
    wrap(provider, recordOptions = {}) {
      if (provider === null || typeof provider !== 'object' || typeof provider.execute !== 'function') {
        throw new TypeError('capture.wrap: pass a provider adapter (with execute()).');
      }
      return recordingWrapper(provider, {
        redactor: createRedactor([...(provider.secrets ?? []), ...(recordOptions.secrets ?? [])]),
        keyFields: checkKeyFields(recordOptions.keyFields, 'capture.wrap'),
        providerId: provider.id,
        onRecorded(entry, address, executionId) {
          const id = runId(address.tenantId, executionId);
          const run = runs.get(id) ?? { agentId: address.agentId, entries: [] };
          run.entries.push(entry);
          runs.delete(id);
          runs.set(id, run);
          if (runs.size > maxRuns) runs.delete(runs.keys().next().value as string);
        },
      });
    },
    runOf(tenantId, executionId) {
      const run = runs.get(runId(tenantId, executionId));
      return run === undefined ? undefined : { agentId: run.agentId, entries: [...run.entries] };
    },
  };
}
