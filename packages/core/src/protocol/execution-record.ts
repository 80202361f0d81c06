import type { ExecutionMode } from '../agent';
import type { SerializedAgentryError } from '../errors';
import type { ExecutionMetrics } from '../metrics';
import type { ExecutionStep } from './execution-step';

/** How an execution ended. */
export type ExecutionStatus = 'succeeded' | 'failed' | 'cancelled';

interface ExecutionRecordBase {
  /** Unique id (`exe_…`). */
  id: string;
  agentId: string;
  /** The mode that ran. */
  mode: ExecutionMode;
  /** The mode the caller asked for; differs from `mode` when the kill switch fell back to mock. */
  requestedMode: ExecutionMode;
  tenantId: string;
  userId?: string;
  /** The validated input (defaults applied). */
  input: unknown;
  /** Metrics of the whole run: a tool-using run's usage and cost sum every step. */
  metrics: ExecutionMetrics;
  /** A tool-using agent's steps, in order, also those made before a failure or cancel; absent for agents without tools. */
  steps?: ExecutionStep[];
  /** ISO 8601 timestamps. */
  startedAt: string;
  finishedAt: string;
}

/** A run that produced valid output. */
export interface SucceededExecution<TOutput = unknown> extends ExecutionRecordBase {
  status: 'succeeded';
  output: TOutput;
}

/** A run that failed: `error` says why; `output` holds any text streamed before the failure. */
export interface FailedExecution extends ExecutionRecordBase {
  status: 'failed';
  output: string | null;
  error: SerializedAgentryError;
}

/** A run stopped by its caller: `output` keeps the partial text. */
export interface CancelledExecution extends ExecutionRecordBase {
  status: 'cancelled';
  output: string | null;
  error: SerializedAgentryError;
}

/** The one record every execution ends in, whatever the outcome. Discriminated on `status`. */
export type ExecutionResult<TOutput = unknown> = SucceededExecution<TOutput> | FailedExecution | CancelledExecution;

/**
 * Whether a value has the shape of an {@link ExecutionResult} (an id and a status): enough to
 * tell a record from another server's JSON, not a full validation.
 */
export function isExecutionRecord(value: unknown): value is ExecutionResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}
