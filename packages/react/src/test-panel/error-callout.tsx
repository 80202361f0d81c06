'use client';

import { type AgentryErrorCode, type ExecutionMode, errorFamily } from '@agentry/core';
import { formatIssuePath } from '@agentry/core/client';
import { useId } from 'react';
import { CopyButton } from './copy-button';
import type { ErrorCalloutError, ErrorCopy } from './error-copy';
import { defaultLabels, type TestPanelLabels } from './labels';
import { errorCopyModule, useLazyModule } from './lazy-parts';

export type { ErrorCalloutError };

/** Props of {@link ErrorCallout}. */
export interface ErrorCalloutProps {
  error: ErrorCalloutError;
  /** The execution the error belongs to, when the error itself does not carry it. */
  executionId?: string;
  /**
   * Called by the Retry (or Run again) button. The button shows only when running again can
   * help: not for a deterministic mock's failure, bad input, a missing key or a spent budget.
   */
  onRetry?: () => void;
  /** The mode of the run that failed: the advice and whether Retry helps depend on it. @default 'live' */
  mode?: ExecutionMode;
  /**
   * Overrides whether Retry is offered (the copy's `action`): `retry` where trying again can help
   * whatever the code, e.g. loading the agent list again. @default from the copy
   */
  action?: ErrorCopy['action'];
  /** The run's stream dropped and could not be resumed: the copy says so. @default false */
  connectionLost?: boolean;
  /** Also show hints meant for the developer who set the panel up (which setting to fix). @default false */
  showDeveloperHints?: boolean;
  locale?: string;
  labels?: Pick<
    TestPanelLabels,
    | 'describeError'
    | 'developerHint'
    | 'copy'
    | 'copied'
    | 'copyFailed'
    | 'copyExecutionId'
    | 'errorDetails'
    | 'errorCode'
    | 'executionId'
    | 'requestId'
    | 'provider'
    | 'httpStatus'
    | 'errorMessage'
    | 'outputIssues'
    | 'retry'
    | 'runAgain'
  >;
}

/**
 * What happened, titled by its real cause; what to do, in words that fit the mode; the details
 * support needs (with the execution id to copy); and Retry only when running again can help.
 * The issues of `output_invalid` (paths into the model's output) are listed in the details; input
 * issues belong next to the input, where the panel shows them.
 */
export function ErrorCallout({
  error,
  executionId,
  onRetry,
  mode = 'live',
  action,
  connectionLost = false,
  showDeveloperHints = false,
  locale,
  labels = defaultLabels,
}: ErrorCalloutProps) {
  const id = useId();
  const family = errorFamily(error.code as AgentryErrorCode) ?? 'internal';
  const custom = labels.describeError?.(error, { mode, locale, connectionLost });
  // The built-in copy is a chunk of its own (see lazy-parts.ts), usually loaded by the time a run fails.
  const builtIn = useLazyModule(errorCopyModule, custom === undefined);
  const described =
    custom ??
    (builtIn === 'failed'
      ? // Its chunk could not be loaded (offline): the error's own words still say what happened.
        { title: error.userMessage, advice: '', action: error.retryable ? 'retry' : 'none' }
      : builtIn?.describeError(error, { mode, locale, connectionLost }));
  const execution = error.executionId ?? executionId;
  const details: [string, string | number | undefined][] = [
    [labels.errorCode, error.code],
    [labels.executionId, execution],
    [labels.httpStatus, error.status],
    [labels.provider, error.provider],
    [labels.requestId, error.requestId],
    [labels.errorMessage, error.message !== error.userMessage ? error.message : undefined],
  ];
  const outputIssues = error.code === 'output_invalid' ? (error.issues ?? []) : [];
  if (!described) return null;
  const copy: ErrorCopy = action ? { ...described, action } : described;
  return (
    <div
      className="agentry-callout"
      role="alert"
      data-family={family}
      data-code={error.code}
      data-action={copy.action}
      aria-labelledby={`${id}-title`}
    >
      <span className="agentry-callout__icon" aria-hidden="true" />
      <div className="agentry-callout__content">
        <p id={`${id}-title`} className="agentry-callout__title">
          {copy.title}
        </p>
        {error.userMessage !== copy.title ? <p className="agentry-callout__message">{error.userMessage}</p> : null}
        {copy.advice ? <p className="agentry-callout__advice">{copy.advice}</p> : null}
        {showDeveloperHints && copy.developerHint ? (
          <p className="agentry-callout__hint">
            <span className="agentry-callout__hint-label">{labels.developerHint}</span> {copy.developerHint}
          </p>
        ) : null}
        <details className="agentry-callout__details">
          <summary>{labels.errorDetails}</summary>
          <dl>
            {details
              .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
              .map(([term, value]) => (
                <div key={term}>
                  <dt>{term}</dt>
                  <dd>
                    <code>{value}</code>
                    {term === labels.executionId ? (
                      <CopyButton text={String(value)} label={labels.copyExecutionId} labels={labels} compact />
                    ) : null}
                  </dd>
                </div>
              ))}
            {outputIssues.length > 0 ? (
              <div>
                <dt>{labels.outputIssues}</dt>
                <dd>
                  <ul className="agentry-callout__issues">
                    {outputIssues.map((issue, index) => (
                      <li key={index}>
                        <code>{formatIssuePath(issue.path)}</code>: {issue.message}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
          </dl>
        </details>
      </div>
      {onRetry && copy.action !== 'none' ? (
        <button
          type="button"
          className="agentry-button agentry-button--secondary agentry-callout__retry"
          onClick={onRetry}
        >
          {copy.action === 'run-again' ? labels.runAgain : labels.retry}
        </button>
      ) : null}
    </div>
  );
}
