// Saving a completed live run from the TestPanel: who may (the host decides), and where it goes
// (the configured store, per tenant; never a path from the request).
import { AgentryError } from '../errors';
import type { ProviderContext } from '../providers';
import type { RunCapture } from './run-capture';
import { type SavableRun, savedMockOf } from './saved-mock';
import type { TapeStore } from './tape-store';

type TenantContext = ProviderContext['tenant'];

/** Who asks to save, about which agent: what `canSave` decides on. */
export interface SaveRunPermissionContext {
  tenant: TenantContext;
  agentId: string;
  /** The HTTP request (read your session or roles from it). */
  request: Request;
}

/** Options of {@link createRunSaver}. */
export interface RunSaverOptions {
  /** Where saved tapes and mocks go, per tenant: `createPostgresTapeStore`, a directory store, … */
  store: TapeStore;
  /** The capture the live providers are wrapped with: "save as tape" writes its calls. Without it, only mocks can be saved. */
  capture?: RunCapture;
  /**
   * Whether this user may save runs of this agent (and see the buttons). The host decides.
   * @default () => false (nobody)
   */
  canSave?: (context: SaveRunPermissionContext) => boolean | Promise<boolean>;
}

/** What `createHandler({ saveRuns })` calls. */
export interface RunSaver {
  canSave(context: SaveRunPermissionContext): Promise<boolean>;
  /** Writes the run (already checked by the handler: this tenant's, succeeded, live). */
  save(context: {
    tenant: TenantContext;
    run: SavableRun;
    as: 'tape' | 'mock';
  }): Promise<{ where: string; entries?: number }>;
}

/**
 * Saving completed live runs as tapes or mocks, for `createHandler({ saveRuns })`. Off for
 * everyone unless `canSave` says otherwise.
 *
 * @example
 * const capture = createRunCapture();
 * const saveRuns = createRunSaver({
 *   store: createPostgresTapeStore({ pool }),
 *   capture,
 *   canSave: ({ tenant }) => tenant.roles?.includes('admin') ?? false,
 * });
 * createHandler({ executor, resolveTenant, saveRuns });
 */
export function createRunSaver(options: RunSaverOptions): RunSaver {
  const { store, capture, canSave } = options;
  if (store === null || typeof store !== 'object' || typeof store.write !== 'function') {
    throw new TypeError('createRunSaver: store must be a TapeStore.');
  }
  return {
    async canSave(context) {
      if (canSave === undefined) return false;
      return (await canSave(context)) === true;
    },
    async save({ tenant, run, as }) {
      const address = { tenantId: tenant.tenantId, agentId: run.agentId };
      if (as === 'mock') {
        if (store.saveMock === undefined) {
          throw new AgentryError('validation_failed', 'This tape store cannot hold mocks: save the run as a tape.');
        }
        return { where: await store.saveMock(address, savedMockOf(run, tenant)) };
      }
      const captured = capture?.runOf(tenant.tenantId, run.id);
      if (captured === undefined || captured.entries.length === 0) {
        throw new AgentryError(
          'not_found',
          `The model calls of run ${run.id} are not held by this server (it was not captured, was forgotten after newer runs, or ran on another instance), so it cannot be saved as a tape. Run it again and save it, or save it as a mock.`,
        );
      }
      await store.write(address, captured.entries);
      return { where: store.describe(address), entries: captured.entries.length };
    },
  };
}
