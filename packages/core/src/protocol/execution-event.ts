import type { ExecutionMode } from '../agent';
import type { SerializedAgentryError } from '../errors';
import type { Usage } from '../metrics';
import type { CancelledExecution, FailedExecution, SucceededExecution } from './execution-record';

/** Events of a streamed execution, in order: start, deltas and usage, then exactly one finish or error. */
export type ExecutionEvent<TOutput = unknown> =
  | {
      type: 'execution-start';
      executionId: string;
      agentId: string;
      mode: ExecutionMode;
      requestedMode: ExecutionMode;
      provider: string;
      model: string;
      startedAt: string;
    }
  | { type: 'output-delta'; executionId: string; delta: string }
  | { type: 'usage'; executionId: string; usage: Usage }
  | { type: 'execution-finish'; executionId: string; result: SucceededExecution<TOutput> }
  | {
      type: 'execution-error';
      executionId: string;
      error: SerializedAgentryError;
      result: FailedExecution | CancelledExecution;
    };

/** The `type` of every {@link ExecutionEvent}: also the SSE `event:` field each one is sent under. */
export const EXECUTION_EVENT_TYPES: ReadonlySet<ExecutionEvent['type']> = new Set<ExecutionEvent['type']>([
  'execution-start',
  'output-delta',
  'usage',
  'execution-finish',
  'execution-error',
]);

/** The one event that ends a stream: `execution-finish` or `execution-error`. */
export function isTerminalEvent<TOutput>(
  event: ExecutionEvent<TOutput>,
): event is Extract<ExecutionEvent<TOutput>, { type: 'execution-finish' | 'execution-error' }> {
  return event.type === 'execution-finish' || event.type === 'execution-error';
}

/**
 * One event of an execution with its id: the event's position in the execution, counted from 1
 * (the first event is 1, each next one is one more). Sent as the SSE `id:` line on both event
 * routes, and given back as `Last-Event-ID` to resume after it.
 */
export interface ExecutionEventEntry<TOutput = unknown> {
  id: number;
  event: ExecutionEvent<TOutput>;
}

/** The largest event id accepted (ids are counted per execution, so this is never reached). */
const MAX_EVENT_ID = Number.MAX_SAFE_INTEGER;

/**
 * Reads a `Last-Event-ID` header: absent or empty → 0 (from the start); a decimal integer from 0
 * → that id; anything else → `undefined` (the caller answers 400).
 */
export function parseLastEventId(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined) return 0;
  const value = header.trim();
  if (value === '') return 0;
  if (!/^\d{1,16}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_EVENT_ID ? id : undefined;
}
