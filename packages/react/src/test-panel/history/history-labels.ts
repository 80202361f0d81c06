import type { ExecutionStatus } from '@agentry/core';

/** The strings of the server-kept history and the compare view (part of `TestPanelLabels`). */
export interface HistoryLabels {
  history: string;
  historyEmpty: string;
  historyLoading: string;
  historyFailed: string;
  historyRetry: string;
  historyLoadMore: string;
  /** A run's name when its input has no text to name it by. */
  historyUntitled: (time: string) => string;
  historyStatus: Record<ExecutionStatus, string>;
  /** Shown on an entry whose input differs from the editor's. */
  historyStale: string;
  historyStaleHint: string;
  historyRestore: string;
  historyRerun: string;
  /** The checkbox that picks a run for the compare view; gets the run's name. */
  historyPick: (name: string) => string;
  /** The button that opens the compare view; gets how many runs are picked (0–2). */
  historyCompare: (picked: number) => string;
  compareTitle: string;
  compareClose: string;
  compareLoading: string;
  compareMetric: string;
  compareDelta: string;
  compareOutput: string;
  compareInput: string;
  compareSame: string;
  compareChanges: (count: number) => string;
  compareAdded: string;
  compareRemoved: string;
  compareChanged: string;
  /** The compare table's rows. */
  compareRows: {
    durationMs: string;
    timeToFirstOutputMs: string;
    inputTokens: string;
    outputTokens: string;
    costUsd: string;
  };
  /** Units after a change: `+12 ms`, `−40 tokens`, `+0.0001 USD`. */
  compareUnits: { ms: string; tokens: string; usd: string };
}

export const defaultHistoryLabels: HistoryLabels = {
  history: 'History',
  historyEmpty: 'No runs of this agent yet. Runs are kept by the server, so they stay after a reload.',
  historyLoading: 'Loading runs…',
  historyFailed: 'The history could not be loaded.',
  historyRetry: 'Try again',
  historyLoadMore: 'Load more',
  historyUntitled: (time) => `Run at ${time}`,
  historyStatus: { succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Stopped' },
  historyStale: 'Input changed',
  historyStaleHint: 'The input in the editor differs from this run’s input.',
  historyRestore: 'Restore input',
  historyRerun: 'Re-run',
  historyPick: (name) => `Compare “${name}”`,
  historyCompare: (picked) => (picked === 2 ? 'Compare 2 runs' : `Compare (pick ${2 - picked} more)`),
  compareTitle: 'Compare runs',
  compareClose: 'Close compare',
  compareLoading: 'Loading the compare view…',
  compareMetric: 'Metric',
  compareDelta: 'Change (B − A)',
  compareOutput: 'Output',
  compareInput: 'Input',
  compareSame: 'Identical',
  compareChanges: (count) => (count === 1 ? '1 difference' : `${count} differences`),
  compareAdded: 'Added',
  compareRemoved: 'Removed',
  compareChanged: 'Changed',
  compareRows: {
    durationMs: 'Duration',
    timeToFirstOutputMs: 'Time to first output',
    inputTokens: 'Tokens in',
    outputTokens: 'Tokens out',
    costUsd: 'Cost',
  },
  compareUnits: { ms: 'ms', tokens: 'tokens', usd: 'USD' },
};
