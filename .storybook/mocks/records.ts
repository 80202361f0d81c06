// Fixed execution records for the parts' stories: fixed numbers and timestamps, so the
// parts render the same text on every run (no clock, no randomness).
import type { ExecutionMetrics, ExecutionResult } from '@agentry/core';
import type { RunEntry } from '@agentry/react';

/** 25 Nov 2026, 09:30:00 UTC: every fixture starts from here. */
export const FIXED_START = Date.UTC(2026, 10, 25, 9, 30, 0);

export const liveMetrics: ExecutionMetrics = {
  durationMs: 2340,
  timeToFirstOutputMs: 412,
  inputTokens: 1284,
  outputTokens: 356,
  costUsd: 0.000_84,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  attempts: 1,
  simulated: false,
};

export const mockMetrics: ExecutionMetrics = {
  durationMs: 180,
  timeToFirstOutputMs: 150,
  inputTokens: 43,
  outputTokens: 28,
  costUsd: 0.000_062,
  provider: 'mock',
  model: 'gpt-4.1-mini',
  attempts: 1,
  simulated: true,
};

const SUMMARY =
  'In short: Agentry runs AI agents in mock and live mode inside multi-tenant apps, … one pipeline, mock or live.';

export function succeededResult(
  output: unknown = SUMMARY,
  metrics: ExecutionMetrics = liveMetrics,
  index = 1,
): ExecutionResult {
  return {
    id: `exe_story_${String(index).padStart(4, '0')}`,
    agentId: 'summarize',
    mode: metrics.simulated ? 'mock' : 'live',
    requestedMode: metrics.simulated ? 'mock' : 'live',
    tenantId: 'ws_design',
    userId: 'user_designer',
    input: { text: 'Agentry runs AI agents…', style: 'brief' },
    status: 'succeeded',
    output,
    metrics,
    startedAt: new Date(FIXED_START + index * 60_000).toISOString(),
    finishedAt: new Date(FIXED_START + index * 60_000 + metrics.durationMs).toISOString(),
  };
}

function entry(index: number, status: RunEntry['status'], result?: ExecutionResult): RunEntry {
  return {
    id: `run_${index}`,
    executionId: `exe_story_${String(index).padStart(4, '0')}`,
    agentId: 'summarize',
    mode: result?.mode ?? 'mock',
    input: { text: `Run number ${index}` },
    status,
    output: '',
    events: [],
    ...(result ? { result } : {}),
    cancelledByUser: status === 'cancelled',
    startedAt: FIXED_START + index * 60_000,
  };
}

/** A session's history, newest first: a live success, a stop, a failure, a mock success. */
export const historyRuns: RunEntry[] = [
  entry(4, 'succeeded', succeededResult(SUMMARY, liveMetrics, 4)),
  entry(3, 'cancelled', {
    ...succeededResult(null, { ...mockMetrics, durationMs: 403 }, 3),
    status: 'cancelled',
    output: 'In short:',
    error: {
      code: 'cancelled',
      message: 'Stopped.',
      userMessage: 'The run was stopped before it finished.',
      retryable: false,
      status: 499,
    },
  } as ExecutionResult),
  entry(2, 'failed', {
    ...succeededResult(null, { ...liveMetrics, durationMs: 1200, attempts: 3 }, 2),
    status: 'failed',
    output: null,
    error: {
      code: 'rate_limited',
      message: 'Rate limited.',
      userMessage: 'Too many requests right now.',
      retryable: true,
      status: 429,
    },
  } as ExecutionResult),
  entry(1, 'succeeded', succeededResult(SUMMARY, mockMetrics, 1)),
];

/** Pretty-printed JSON of `rows` rows, about 140 bytes each: the default is about 1.3 MB. */
export function bigJson(rows = 9000): unknown {
  return { rows: Array.from({ length: rows }, (_, id) => ({ id, text: `row ${id} `.padEnd(100, '·') })) };
}
