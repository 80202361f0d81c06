import { deserializeError } from '../../errors';
import type { ExecutionResult } from '../../protocol';
import type { RunEntry } from './types';

/** A stored record (from the history) as a run entry the run area can show: finished, no events. */
export function recordEntry(record: ExecutionResult): RunEntry {
  const startedAt = Date.parse(record.startedAt);
  const entry: RunEntry = {
    id: record.id,
    executionId: record.id,
    agentId: record.agentId,
    mode: record.requestedMode ?? record.mode,
    input: record.input,
    status: record.status,
    output: typeof record.output === 'string' ? record.output : '',
    events: [],
    result: record,
    cancelledByUser: false,
    startedAt,
    endedAt: Date.parse(record.finishedAt),
  };
  if (record.status !== 'succeeded') entry.error = deserializeError(record.error);
  if (record.metrics.timeToFirstOutputMs !== null) entry.firstOutputAt = startedAt + record.metrics.timeToFirstOutputMs;
  return entry;
}
