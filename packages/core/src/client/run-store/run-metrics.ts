import type { ExecutionMetrics } from '../../metrics/types';
import type { RunEntry } from './types';

/**
 * A run's metrics as known at `now`: the final record's once it has arrived; before that, the
 * provider, model and tokens from its events, the time since it was sent (frozen when it ended)
 * and the time to its first output once that has arrived.
 */
export function runMetrics(entry: RunEntry | undefined, now: number): Partial<ExecutionMetrics> | undefined {
  if (!entry) return undefined;
  if (entry.result) return entry.result.metrics;
  const metrics: Partial<ExecutionMetrics> = {
    durationMs: Math.max(0, (entry.endedAt ?? now) - entry.startedAt),
  };
  if (entry.firstOutputAt !== undefined) metrics.timeToFirstOutputMs = entry.firstOutputAt - entry.startedAt;
  for (const event of entry.events) {
    if (event.type === 'execution-start') {
      metrics.provider = event.provider;
      metrics.model = event.model;
      metrics.simulated = event.mode === 'mock';
    } else if (event.type === 'usage') {
      metrics.inputTokens = event.usage.inputTokens;
      metrics.outputTokens = event.usage.outputTokens;
    }
  }
  return metrics;
}
