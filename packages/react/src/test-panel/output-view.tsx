'use client';

import type { ExecutionResult } from '@agentry/core';
import type { RunStatus } from '@agentry/core/client';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatBytes, formatDuration } from './format';
import { defaultLabels, type TestPanelLabels } from './labels';

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

/** The output area: a live log while streaming, then the final result with Copy and "Show all" for large results. */
export function OutputView({
  status,
  output,
  result,
  previewChars = 20_000,
  locale,
  labels = defaultLabels,
}: OutputViewProps) {
  const id = useId();
  const { text, kind } = useMemo(() => outputContent(output, result), [output, result]);
  const [expanded, setExpanded] = useState(false);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(copyTimer.current), []);

  const active = status === 'running' || status === 'streaming';
  const large = text.length > previewChars;
  const collapsed = large && !expanded;
  // While streaming, follow the newest text; once finished, show the beginning.
  const shown = !collapsed ? text : active ? `…${text.slice(-previewChars)}` : text.slice(0, previewChars);

  const duration = result ? formatDuration(result.metrics.durationMs, locale) : undefined;
  let statusText = '';
  if (status === 'running' || status === 'streaming') statusText = labels.status[status];
  else if (status === 'succeeded') statusText = duration ? labels.completedIn(duration) : labels.status.succeeded;
  else if (status === 'failed') statusText = duration ? labels.failedAfter(duration) : labels.status.failed;
  else if (status === 'cancelled') statusText = duration ? labels.stoppedAfter(duration) : labels.status.cancelled;

  const title =
    status === 'succeeded'
      ? labels.result
      : (status === 'failed' || status === 'cancelled') && text
        ? labels.partialOutput
        : labels.output;

  async function copyText() {
    clearTimeout(copyTimer.current);
    try {
      await globalThis.navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
    copyTimer.current = setTimeout(() => setCopy('idle'), 2000);
  }

  return (
    <section className="agentry-output" data-state={status} data-kind={kind} aria-labelledby={`${id}-title`}>
      <div className="agentry-output__header">
        <h3 id={`${id}-title`} className="agentry-output__title">
          {title}
        </h3>
        <p role="status" className="agentry-output__status" data-state={status}>
          {active ? <span className="agentry-spinner" aria-hidden="true" /> : null}
          {statusText}
        </p>
        {text && !active ? (
          <button
            type="button"
            className="agentry-button agentry-button--ghost agentry-output__copy"
            onClick={copyText}
          >
            {copy === 'copied' ? labels.copied : copy === 'failed' ? labels.copyFailed : labels.copy}
          </button>
        ) : null}
      </div>
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
          <pre className="agentry-output__text">
            {shown}
            {status === 'streaming' ? <span className="agentry-caret" aria-hidden="true" /> : null}
          </pre>
        ) : (
          <p className="agentry-output__empty">{active ? '' : result ? labels.outputNone : labels.outputEmpty}</p>
        )}
      </div>
      {large ? (
        <div className="agentry-output__more">
          {collapsed ? (
            <span>{labels.truncated(formatBytes(previewChars, locale), formatBytes(text.length, locale))}</span>
          ) : null}
          <button
            type="button"
            className="agentry-button agentry-button--ghost"
            aria-expanded={expanded}
            onClick={() => setExpanded((value) => !value)}
          >
            {expanded ? labels.showLess : labels.showAll(formatBytes(text.length, locale))}
          </button>
        </div>
      ) : null}
    </section>
  );
}
