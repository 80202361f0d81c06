import { deserializeError } from '../../errors';
import type { ExecutionEvent } from '../../executor/types';
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
      ? { ...entry, result: event.result }
      : entry;
  }
  const events = appendEvent(entry.events, event);
  switch (event.type) {
    case 'execution-start':
      return { ...entry, executionId: event.executionId, events };
    case 'output-delta':
      return {
        ...entry,
        status: 'streaming',
        output: entry.output + event.delta,
        events,
        firstOutputAt: entry.firstOutputAt ?? now,
      };
    case 'usage':
    case 'step-start':
    case 'tool-call':
    case 'tool-result':
    case 'step-finish':
      return { ...entry, events };
    case 'execution-finish':
      return {
        ...entry,
        status: 'succeeded',
        result: event.result,
        events,
        endedAt: entry.endedAt ?? now,
      };
    case 'execution-error':
      return {
        ...entry,
        status: event.result.status === 'cancelled' ? 'cancelled' : 'failed',
        result: event.result,
        error: deserializeError(event.error),
        events,
        endedAt: entry.endedAt ?? now,
      };
    default:
      return event satisfies never;
  }
}
