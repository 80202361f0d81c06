'use client';

import type { RunEntry } from '@agentry/core/client';
import { useId } from 'react';
import { formatDuration, formatTime } from './format';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link RunHistory}. */
export interface RunHistoryProps {
  /** This session's runs, newest first. */
  runs: readonly RunEntry[];
  /** The run shown in the panel. */
  selectedId?: string | undefined;
  onSelect: (run: RunEntry) => void;
  locale?: string;
  labels?: Pick<TestPanelLabels, 'history' | 'historyEmpty' | 'historyRun' | 'status' | 'mock' | 'live'>;
}

/** This session's runs; picking one shows its input, output and metrics again. */
export function RunHistory({ runs, selectedId, onSelect, locale, labels = defaultLabels }: RunHistoryProps) {
  const id = useId();
  return (
    <section className="agentry-history" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="agentry-history__title">
        {labels.history}
      </h3>
      {runs.length === 0 ? (
        <p className="agentry-history__empty">{labels.historyEmpty}</p>
      ) : (
        <ol className="agentry-history__list">
          {runs.map((run, index) => {
            const duration = run.result ? formatDuration(run.result.metrics.durationMs, locale) : undefined;
            return (
              <li key={run.id}>
                <button
                  type="button"
                  className="agentry-history__item"
                  data-state={run.status}
                  aria-current={run.id === selectedId ? 'true' : undefined}
                  onClick={() => onSelect(run)}
                >
                  <span className="agentry-history__name">{labels.historyRun(runs.length - index)}</span>
                  <span className="agentry-history__status" data-state={run.status}>
                    {labels.status[run.status]}
                  </span>
                  <span className="agentry-history__meta">
                    {run.mode === 'live' ? labels.live : labels.mock}
                    {duration ? ` · ${duration}` : ''} · {formatTime(run.startedAt, locale)}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
