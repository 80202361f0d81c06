import { deserializeError } from '../../errors';
import type { ExecutionEvent } from '../../executor/types';
import { applyStepEvent, stepsAtEnd } from './run-steps';
import type { RunEntry } from './types';

function appendEvent(events: ExecutionEvent[], event: ExecutionEvent): ExecutionEvent[] {
  const last = events[events.length - 1];
  // Merging deltas keeps the event list short however long the output grows.
  if (event.type === 'output-delta' && last?.type === 'output-delta') {
    return [...events.slice(0, -1), { ...last, delta: last.delta + event.delta }];
  }
  return [...events, event];
}

/**
 * The run after one of its events, received at `now`. Events after a local cancel change
 * nothing shown, except the final record, which brings the stopped run's metrics.
 */
export function applyEvent(entry: RunEntry, event: ExecutionEvent, now: number): RunEntry {
  if (entry.status === 'cancelled' && entry.cancelledByUser) {
    return event.type === 'execution-error' || event.type === 'execution-finish'
      ? { ...entry, result: event.result, steps: stepsAtEnd(entry.steps ?? [], event.result) }
      : entry;
  }
  const events = appendEvent(entry.events, event);
  const steps = applyStepEvent(entry.steps ?? [], event, now);
  // An event means the stream is back (the client reports `connected` too; this covers any service).
  const connection = entry.connection === 'reconnecting' ? { connection: 'live' as const } : {};
  switch (event.type) {
    case 'execution-start':
      return { ...entry, ...connection, executionId: event.executionId, events };
    case 'output-delta':
      return {
        ...entry,
        ...connection,
        status: 'streaming',
        output: entry.output + event.delta,
        events,
        steps,
        firstOutputAt: entry.firstOutputAt ?? now,
      };
    case 'usage':
    case 'step-start':
    case 'tool-call':
    case 'tool-result':
    case 'step-finish':
      return { ...entry, ...connection, events, steps };
    case 'execution-finish':
      return {
        ...entry,
        ...connection,
        status: 'succeeded',
        result: event.result,
        events,
        steps,
        endedAt: entry.endedAt ?? now,
      };
    case 'execution-error':
      return {
        ...entry,
        ...connection,
        status: event.result.status === 'cancelled' ? 'cancelled' : 'failed',
        result: event.result,
        error: deserializeError(event.error),
        events,
        steps,
        endedAt: entry.endedAt ?? now,
      };
    default:
      return event satisfies never;
  }
}
