'use client';

import type { AgentryError, ExecutionResult } from '@agentry/core';
import { createStaleCheck, type JsonSchema } from '@agentry/core/client';
import type { HistoryStatus } from '@agentry/core/client/history';
import { lazy, Suspense, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatDuration } from '../format';
import { inputPreview, runName } from './entry-summary';
import { type HistoryViewLabels, historyViewLabels } from './view-labels';

// The compare view (JSON diff, metric deltas) is its own chunk, loaded when two runs are compared.
const CompareView = lazy(() => import('./compare-view').then((module) => ({ default: module.CompareView })));

const defaultViewLabels = historyViewLabels();

/** Props of {@link RunHistory}. */
export interface RunHistoryProps {
  /** The server-kept records, newest first (`listExecutions`). */
  items: readonly ExecutionResult[];
  status: HistoryStatus;
  error?: AgentryError | undefined;
  /** More pages on the server: a sentinel loads the next one on scroll, "Load more" on demand. */
  hasMore: boolean;
  onLoadMore: () => void;
  /** Loads the first page again after an error. */
  onRetry: () => void;
  /** The editor's text: entries run with other input are marked stale. */
  inputText?: string;
  /** The agent's input schema: fields left to their default do not count as a change. */
  inputSchema?: JsonSchema;
  /** The execution shown in the run area. */
  selectedId?: string | undefined;
  /** Shows a run's output and metrics in the run area. */
  onSelect: (record: ExecutionResult) => void;
  /** Puts a run's input in the editor (undoable there). */
  onRestore: (record: ExecutionResult) => void;
  /** Runs a run's input again, in its mode. */
  onRerun: (record: ExecutionResult) => void;
  /** While a run is in flight: no re-run, no switching the shown run. */
  busy?: boolean;
  locale?: string;
  labels?: HistoryViewLabels;
}

/** Today's runs show the time; older ones the date too. */
function runTime(iso: string, locale: string | undefined): string {
  const date = new Date(iso);
  const today = date.toDateString() === new Date().toDateString();
  return date.toLocaleString(
    locale,
    today
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  );
}

/**
 * The agent's runs as the server keeps them (so they survive a reload and belong to the
 * tenant): name, status, mode, duration, time and an input preview, a mark on runs made with
 * other input than the editor's, Restore input, Re-run, and two picked runs compared side by side.
 */
export function RunHistory({
  items,
  status,
  error,
  hasMore,
  onLoadMore,
  onRetry,
  inputText,
  inputSchema,
  selectedId,
  onSelect,
  onRestore,
  onRerun,
  busy = false,
  locale,
  labels = defaultViewLabels,
}: RunHistoryProps) {
  const id = useId();
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [comparing, setComparing] = useState(false);
  // Typing stays smooth: the marks follow the editor a moment later.
  const text = useDeferredValue(inputText);
  const isStale = useMemo(
    () => (text === undefined ? undefined : createStaleCheck(text, inputSchema)),
    [text, inputSchema],
  );
  const byId = useMemo(() => new Map(items.map((item) => [item.id, item])), [items]);
  // Picks of runs no longer listed (another tenant or agent) are dropped, never shown.
  const pair = picked.map((pick) => byId.get(pick)).filter((item): item is ExecutionResult => !!item);
  const [before, after] = [...pair].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const showCompare = comparing && before !== undefined && after !== undefined;

  const sentinel = useRef<HTMLLIElement>(null);
  const canLoad = hasMore && status === 'ready';
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !canLoad || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onLoadMore();
      },
      { root: node.closest('.agentry-history__scroll'), rootMargin: '0px 0px 96px 0px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [canLoad, onLoadMore]);

  function toggle(recordId: string, checked: boolean) {
    // A third pick replaces the earlier of the two.
    setPicked((current) =>
      checked
        ? [...current.filter((pick) => pick !== recordId), recordId].slice(-2)
        : current.filter((pick) => pick !== recordId),
    );
  }

  return (
    <section className="agentry-history" aria-labelledby={`${id}-title`} aria-busy={status === 'loading'}>
      <div className="agentry-history__head">
        <h3 id={`${id}-title`} className="agentry-history__title">
          {labels.history}
        </h3>
        {items.length > 1 ? (
          <button
            type="button"
            className="agentry-button agentry-button--secondary"
            disabled={pair.length < 2}
            aria-expanded={showCompare}
            aria-controls={`${id}-compare`}
            onClick={() => setComparing(true)}
          >
            {labels.historyCompare(pair.length)}
          </button>
        ) : null}
      </div>
      {status === 'error' && error ? (
        <p className="agentry-history__error" role="alert">
          {labels.historyFailed} {error.userMessage}{' '}
          <button
            type="button"
            className="agentry-button agentry-button--ghost"
            onClick={items.length > 0 ? onLoadMore : onRetry}
          >
            {labels.historyRetry}
          </button>
        </p>
      ) : null}
      {items.length === 0 ? (
        status === 'ready' ? (
          <p className="agentry-history__empty">{labels.historyEmpty}</p>
        ) : status === 'loading' ? (
          <p className="agentry-history__empty" role="status">
            <span className="agentry-spinner" aria-hidden="true" />
            {labels.historyLoading}
          </p>
        ) : null
      ) : (
        <div className="agentry-history__scroll">
          <ol className="agentry-history__list">
            {items.map((record) => {
              const name = runName(record.input) ?? labels.historyUntitled(runTime(record.startedAt, locale));
              const stale = isStale?.(record) ?? false;
              const nameId = `${id}-${record.id}`;
              return (
                <li
                  key={record.id}
                  className="agentry-history__entry"
                  data-state={record.status}
                  data-stale={stale || undefined}
                >
                  <input
                    type="checkbox"
                    className="agentry-history__pick"
                    checked={picked.includes(record.id)}
                    onChange={(event) => toggle(record.id, event.currentTarget.checked)}
                    aria-label={labels.historyPick(name)}
                  />
                  <button
                    type="button"
                    className="agentry-history__item"
                    aria-current={record.id === selectedId ? 'true' : undefined}
                    disabled={busy}
                    onClick={() => onSelect(record)}
                  >
                    <span id={nameId} className="agentry-history__name">
                      {name}
                    </span>
                    <span className="agentry-history__status" data-state={record.status}>
                      {labels.historyStatus[record.status]}
                    </span>
                    <span className="agentry-history__meta">
                      {record.mode === 'live' ? labels.live : labels.mock} ·{' '}
                      {formatDuration(record.metrics.durationMs, locale)} ·{' '}
                      <time dateTime={record.startedAt}>{runTime(record.startedAt, locale)}</time>
                    </span>
                    <code className="agentry-history__preview">{inputPreview(record.input)}</code>
                    {stale ? (
                      <span className="agentry-history__stale" title={labels.historyStaleHint}>
                        {labels.historyStale}
                      </span>
                    ) : null}
                  </button>
                  <span className="agentry-history__actions">
                    <button
                      type="button"
                      className="agentry-button agentry-button--ghost"
                      aria-describedby={nameId}
                      onClick={() => onRestore(record)}
                    >
                      {labels.historyRestore}
                    </button>
                    <button
                      type="button"
                      className="agentry-button agentry-button--ghost"
                      aria-describedby={nameId}
                      disabled={busy}
                      onClick={() => onRerun(record)}
                    >
                      {labels.historyRerun}
                    </button>
                  </span>
                </li>
              );
            })}
            {hasMore ? (
              <li ref={sentinel} className="agentry-history__more">
                <button
                  type="button"
                  className="agentry-button agentry-button--secondary"
                  disabled={status === 'loading'}
                  onClick={onLoadMore}
                >
                  {status === 'loading' ? labels.historyLoading : labels.historyLoadMore}
                </button>
              </li>
            ) : null}
          </ol>
        </div>
      )}
      <div id={`${id}-compare`}>
        {showCompare ? (
          <Suspense
            fallback={
              <p className="agentry-history__empty" role="status">
                {labels.compareLoading}
              </p>
            }
          >
            <CompareView
              before={before}
              after={after}
              name={(record) => runName(record.input) ?? labels.historyUntitled(runTime(record.startedAt, locale))}
              onClose={() => setComparing(false)}
              locale={locale}
              labels={labels}
            />
          </Suspense>
        ) : null}
      </div>
    </section>
  );
}
