import type { ExecutionResult } from '../protocol';

/** A finished mock record for store tests; `output` repeats the id so pages are easy to read. */
export function historyRecord(id: string, tenantId: string, agentId = 'echo'): ExecutionResult {
  return {
    id,
    agentId,
    tenantId,
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output: id,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    metrics: {
      durationMs: 1,
      timeToFirstOutputMs: 1,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: null,
      provider: 'mock',
      model: 'mock',
      attempts: 1,
      simulated: true,
    },
  };
}
