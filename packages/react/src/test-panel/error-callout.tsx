'use client';

import { type AgentryErrorCode, errorFamily, type SerializedAgentryError } from '@agentry/core';
import { formatIssuePath } from '@agentry/core/client';
import { useId } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';

/** The error fields the callout shows (an `AgentryError` or its JSON form both fit). */
export type ErrorCalloutError = Pick<SerializedAgentryError, 'code' | 'message' | 'userMessage'> &
  Partial<
    Pick<
      SerializedAgentryError,
      'executionId' | 'requestId' | 'provider' | 'status' | 'retryable' | 'issues' | 'resetsAt'
    >
  >;

/** Props of {@link ErrorCallout}. */
export interface ErrorCalloutProps {
  error: ErrorCalloutError;
  /** The execution the error belongs to, when the error itself does not carry it. */
  executionId?: string;
  /** Shows a Retry button. */
  onRetry?: () => void;
  labels?: Pick<
    TestPanelLabels,
    | 'errorTitle'
    | 'errorAdvice'
    | 'budgetResets'
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
 * One callout per error family: what happened, what to do, the details support needs, and Retry.
 * The issues of `output_invalid` (paths into the model's output) are listed in the details; input
 * issues belong next to the input, where the panel shows them.
 */
export function ErrorCallout({ error, executionId, onRetry, labels = defaultLabels }: ErrorCalloutProps) {
  const id = useId();
  const family = errorFamily(error.code as AgentryErrorCode) ?? 'internal';
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
  const resetsAt = error.code === 'budget_exceeded' ? formatResetsAt(error.resetsAt) : undefined;
  return (
    <div
      className="agentry-callout"
      role="alert"
      data-family={family}
      data-code={error.code}
      aria-labelledby={`${id}-title`}
    >
      <span className="agentry-callout__icon" aria-hidden="true" />
      <div className="agentry-callout__content">
        <p id={`${id}-title`} className="agentry-callout__title">
          {labels.errorTitle[family]}
        </p>
        <p className="agentry-callout__message">{error.userMessage}</p>
        <p className="agentry-callout__advice">
          {resetsAt === undefined ? labels.errorAdvice[family] : labels.budgetResets(resetsAt)}
        </p>
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
      {onRetry ? (
        <button
          type="button"
          className="agentry-button agentry-button--secondary agentry-callout__retry"
          onClick={onRetry}
        >
          {family === 'cancelled' ? labels.runAgain : labels.retry}
        </button>
      ) : null}
    </div>
  );
}

/** When a spent budget resets, in the reader's locale and time zone; `undefined` when not a date. */
function formatResetsAt(resetsAt: string | undefined): string | undefined {
  if (resetsAt === undefined) return undefined;
  const date = new Date(resetsAt);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
