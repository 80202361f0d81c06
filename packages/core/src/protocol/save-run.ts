// `POST /executions/:id/tape`: save a completed live run as a tape or as a mock script.
import { AgentryError } from '../errors';

/** What a completed run is saved as: its model calls as a tape, or a mock script of the agent. */
export type SaveRunAs = 'tape' | 'mock';

/** The body of `POST /executions/:id/tape`. */
export interface SaveRunRequestBody {
  as: SaveRunAs;
}

/** The answer of `POST /executions/:id/tape` (201). */
export interface SaveRunResult {
  executionId: string;
  agentId: string;
  saved: SaveRunAs;
  /** Where it was written, for people (a tape file of the server's tape folder, a table and row): never a path the request chose. */
  where: string;
  /** With `saved: 'tape'`: how many model calls were written. */
  entries?: number;
}

/** Reads the body of `POST /executions/:id/tape`; anything else is `validation_failed` with the choices. */
export function parseSaveRunBody(value: unknown): SaveRunRequestBody {
  const as = value !== null && typeof value === 'object' ? (value as { as?: unknown }).as : undefined;
  if (as !== 'tape' && as !== 'mock') {
    throw new AgentryError(
      'validation_failed',
      `Send { "as": "tape" } or { "as": "mock" }, got ${JSON.stringify(value)?.slice(0, 80)}.`,
      {
        issues: [{ path: ['as'], message: 'Expected "tape" or "mock".' }],
      },
    );
  }
  // Nothing else is read: not a path, not a tenant.
  return { as };
}

/** `POST /executions/:id/tape` (checked by the client before it trusts it). */
export const SAVE_RUN_RESULT = {
  expected: 'a saved-run answer',
  is: (value: unknown): value is SaveRunResult =>
    value !== null &&
    typeof value === 'object' &&
    typeof (value as SaveRunResult).executionId === 'string' &&
    ((value as SaveRunResult).saved === 'tape' || (value as SaveRunResult).saved === 'mock') &&
    typeof (value as SaveRunResult).where === 'string',
};
