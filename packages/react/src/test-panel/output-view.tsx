'use client';

import type { ExecutionResult, ValidationIssue } from '@agentry/core';
import type { RunStatus } from '@agentry/core/client';
import { type ReactNode, useDeferredValue, useId, useMemo, useState } from 'react';
import { CopyButton } from './copy-button';
import { formatBytes, formatDuration } from './format';
import { defaultLabels, type TestPanelLabels } from './labels';
import { jsonTreeModule, snippetsModule, useLazyModule } from './lazy-parts';
import { highlight } from './search-highlight';
import type { RunRequestSnippet } from './snippets';

/** How a JSON output is shown: indented, as sent, or as a tree. */
export type OutputViewMode = 'pretty' | 'raw' | 'tree';

/** Props of {@link OutputView}. */
export interface OutputViewProps {
  status: RunStatus;
  /** The text streamed so far. */
  output: string;
  /** The final record, when it has arrived. */
  result?: ExecutionResult | undefined;
  /**
   * Characters rendered before the output is collapsed behind "Show all"; keeps a 1 MB
   * result from freezing the page. @default 20_000
   */
  previewChars?: number;
  locale?: string;
  /** Problems found in the output (`output_invalid` issues): their fields are marked in the tree. */
  issues?: readonly ValidationIssue[];
  /** The execution id, for "Copy execution ID". */
  executionId?: string;
  /** The client is resuming the run's dropped stream: the status line says so. @default false */
  reconnecting?: boolean;
  /** The run as a request, for "Copy as cURL" and "Copy as code"; without it those are hidden. */
  request?: RunRequestSnippet;
  /** Shown under the title: the run's figures as chips (the panel passes its `MetricsBar`). */
  summary?: ReactNode;
  labels?: Pick<
    TestPanelLabels,
    | 'output'
    | 'outputEmpty'
    | 'outputNone'
    | 'result'
    | 'partialOutput'
    | 'status'
    | 'completedIn'
    | 'failedAfter'
    | 'stoppedAfter'
    | 'copy'
    | 'copied'
    | 'copyFailed'
    | 'showAll'
    | 'showLess'
    | 'truncated'
    | 'viewPretty'
    | 'viewRaw'
    | 'viewTree'
    | 'outputView'
    | 'search'
    | 'searchMatches'
    | 'copyExecutionId'
    | 'copyAsCurl'
    | 'copyAsCode'
    | 'treeItems'
    | 'treeShowMore'
    | 'invalidField'
    | 'reconnecting'
  >;
}

/** What the output area shows: the final result (text or pretty JSON), else the streamed text. */
export function outputContent(
  output: string,
  result: ExecutionResult | undefined,
): { text: string; kind: 'text' | 'json' } {
  if (result?.status === 'succeeded') {
    return typeof result.output === 'string'
      ? { text: result.output, kind: 'text' }
      : { text: JSON.stringify(result.output, null, 2) ?? '', kind: 'json' };
  }
  if (output === '' && typeof result?.output === 'string') return { text: result.output, kind: 'text' };
  return { text: output, kind: 'text' };
}

/** Counts case-insensitive occurrences, stopping at `cap`. */
function countMatches(text: string, query: string, cap = 10_000): number {
  if (!query) return 0;
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let count = 0;
  for (let at = lower.indexOf(needle); at !== -1 && count < cap; at = lower.indexOf(needle, at + needle.length))
    count += 1;
  return count;
}

/**
 * The output area: a live log while streaming, then the result: prose in the reading font; JSON
 * as Pretty, Raw or Tree (fields with problems marked), with search, copy, and "Show all" for
 * large results.
 */
export function OutputView({
  status,
  output,
  result,
  previewChars = 20_000,
  locale,
  issues,
  executionId,
  reconnecting,
  request,
  summary,
  labels = defaultLabels,
}: OutputViewProps) {
  const id = useId();
  const { text, kind } = useMemo(() => outputContent(output, result), [output, result]);
  // A failed run's output can still be JSON (an answer that did not match the schema): parse it for the tree.
  const parsed = useMemo((): { ok: true; value: unknown } | { ok: false } => {
    if (result?.status === 'succeeded' && typeof result.output !== 'string') return { ok: true, value: result.output };
    if (result && text && /^\s*[[{]/.test(text) && text.length <= 5_000_000) {
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false };
      }
    }
    return { ok: false };
  }, [result, text]);
  const hasIssues = (issues?.length ?? 0) > 0;
  const json =
    parsed.ok && (kind === 'json' || hasIssues || (parsed.value !== null && typeof parsed.value === 'object'));
  // The tree until the user picks a view when the output has problems to point at, else Pretty.
  const [picked, setView] = useState<OutputViewMode>();
  const view = picked ?? (hasIssues ? 'tree' : 'pretty');
  const [expanded, setExpanded] = useState(false);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);

  const active = status === 'running' || status === 'streaming';
  // Serialized once per output and view (a 1 MB output must not be re-serialized per render).
  const body = useMemo(() => {
    if (!json || !parsed.ok) return text;
    if (view === 'raw') return JSON.stringify(parsed.value) ?? '';
    // The succeeded JSON output is already pretty-printed text: reuse it.
    return kind === 'json' ? text : (JSON.stringify(parsed.value, null, 2) ?? '');
  }, [json, parsed, view, text, kind]);
  const large = body.length > previewChars;
  const collapsed = large && !expanded;
  // While streaming, follow the newest text; once finished, show the beginning.
  const shown = !collapsed ? body : active ? `…${body.slice(-previewChars)}` : body.slice(0, previewChars);
  const matches = useMemo(() => countMatches(body, deferredQuery), [body, deferredQuery]);
  // The tree and the snippets are chunks of their own: the text shows until the tree is here.
  const tree = useLazyModule(jsonTreeModule, json && view === 'tree');
  const done = !active && text !== '';
  const snippets = useLazyModule(snippetsModule, done && request !== undefined);

  const duration = result ? formatDuration(result.metrics.durationMs, locale) : undefined;
  let statusText = '';
  if (active) statusText = reconnecting ? labels.reconnecting : labels.status[status as 'running'];
  else if (status === 'succeeded') statusText = duration ? labels.completedIn(duration) : labels.status.succeeded;
  else if (status === 'failed') statusText = duration ? labels.failedAfter(duration) : labels.status.failed;
  else if (status === 'cancelled') statusText = duration ? labels.stoppedAfter(duration) : labels.status.cancelled;

  const title =
    status === 'succeeded'
      ? labels.result
      : (status === 'failed' || status === 'cancelled') && text
        ? labels.partialOutput
        : labels.output;
  const views: [OutputViewMode, string][] = [
    ['pretty', labels.viewPretty],
    ['raw', labels.viewRaw],
    ['tree', labels.viewTree],
  ];

  return (
    <section
      className="agentry-output"
      data-state={status}
      data-kind={json ? 'json' : 'text'}
      data-view={json ? view : undefined}
      aria-labelledby={`${id}-title`}
    >
      <div className="agentry-output__header">
        <h3 id={`${id}-title`} className="agentry-output__title">
          {title}
        </h3>
        <p
          role="status"
          className="agentry-output__status"
          data-state={status}
          data-connection={active && reconnecting ? 'reconnecting' : undefined}
        >
          {active ? <span className="agentry-spinner" aria-hidden="true" /> : null}
          {statusText}
        </p>
      </div>
      {summary}
      {done ? (
        <div className="agentry-output__toolbar">
          {json ? (
            <div className="agentry-segmented" role="radiogroup" aria-label={labels.outputView}>
              {views.map(([mode, label]) => (
                <label
                  key={mode}
                  className="agentry-segmented__option"
                  data-state={view === mode ? 'checked' : 'unchecked'}
                >
                  <input
                    type="radio"
                    className="agentry-segmented__input"
                    name={`${id}-view`}
                    value={mode}
                    checked={view === mode}
                    onChange={() => setView(mode)}
                  />
                  {label}
                </label>
              ))}
            </div>
          ) : null}
          <input
            type="search"
            className="agentry-output__search"
            aria-label={labels.search}
            placeholder={labels.search}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          {deferredQuery ? (
            <span className="agentry-output__matches" aria-live="polite">
              {labels.searchMatches(matches)}
            </span>
          ) : null}
          <div className="agentry-output__copies">
            <CopyButton text={body} label={labels.copy} labels={labels} />
            {executionId ? <CopyButton text={executionId} label={labels.copyExecutionId} labels={labels} /> : null}
            {request && typeof snippets === 'object' ? (
              <>
                <CopyButton
                  text={() => snippets.curlCommand(request, globalThis.location?.origin)}
                  label={labels.copyAsCurl}
                  labels={labels}
                />
                <CopyButton text={() => snippets.clientSnippet(request)} label={labels.copyAsCode} labels={labels} />
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      <div
        role="log"
        aria-live="polite"
        aria-busy={active}
        aria-labelledby={`${id}-title`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        className="agentry-output__body"
      >
        {text ? (
          json && view === 'tree' && parsed.ok && typeof tree === 'object' ? (
            <tree.JsonTree value={parsed.value} issues={issues} query={deferredQuery} labels={labels} />
          ) : (
            <pre
              className={
                json
                  ? 'agentry-output__text agentry-output__text--code'
                  : 'agentry-output__text agentry-output__text--prose'
              }
            >
              {active ? shown : highlight(shown, deferredQuery)}
              {status === 'streaming' ? <span className="agentry-caret" aria-hidden="true" /> : null}
            </pre>
          )
        ) : (
          <p className="agentry-output__empty">{active ? '' : result ? labels.outputNone : labels.outputEmpty}</p>
        )}
      </div>
      {large && !(json && view === 'tree') ? (
        <div className="agentry-output__more">
          {collapsed ? (
            <span>{labels.truncated(formatBytes(previewChars, locale), formatBytes(body.length, locale))}</span>
          ) : null}
          <button
            type="button"
            className="agentry-button agentry-button--ghost"
            aria-expanded={expanded}
            onClick={() => setExpanded((value) => !value)}
          >
            {expanded ? labels.showLess : labels.showAll(formatBytes(body.length, locale))}
          </button>
        </div>
      ) : null}
    </section>
  );
}
