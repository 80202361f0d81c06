'use client';

import type { ExecutionResult } from '@agentry/core';
import { formatIssuePath } from '@agentry/core/client';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef } from 'react';
import { formatCount, formatDurations, formatUsd } from '../format';
import { type JsonChange, jsonDiff } from '../json-diff';
import { compareOutputs, metricRows, type OutputComparison } from './compare-model';
import { type HistoryViewLabels, historyViewLabels } from './view-labels';

const defaultViewLabels = historyViewLabels();

/** Props of {@link CompareView}. */
export interface CompareViewProps {
  /** Run A: the earlier one. */
  before: ExecutionResult;
  /** Run B: the later one; deltas read B − A. */
  after: ExecutionResult;
  /** A run's name, as the history shows it. */
  name: (record: ExecutionResult) => string;
  onClose: () => void;
  locale?: string;
  labels?: HistoryViewLabels;
}

const SYMBOL: Record<JsonChange['kind'], string> = { added: '+', removed: '−', changed: '~' };
const MAX_VALUE_CHARS = 120;

function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** The changes of a JSON diff as a list that reads without colour: a word and a sign for each. */
function ChangeList({ changes, labels }: { changes: readonly JsonChange[]; labels: HistoryViewLabels }) {
  const word = { added: labels.compareAdded, removed: labels.compareRemoved, changed: labels.compareChanged };
  return (
    <ul className="agentry-compare__changes">
      {changes.map((change) => (
        <li
          key={`${change.kind}${formatIssuePath(change.path)}`}
          className="agentry-compare__change"
          data-kind={change.kind}
        >
          <span className="agentry-compare__sign" aria-hidden="true">
            {SYMBOL[change.kind]}
          </span>
          <span className="agentry-compare__kind">{word[change.kind]}</span> <code>{formatIssuePath(change.path)}</code>
          {change.kind !== 'added' ? (
            <del className="agentry-compare__before">
              <code>{valueText(change.before)}</code>
            </del>
          ) : null}
          {change.kind !== 'added' && change.kind !== 'removed' ? <span aria-hidden="true"> → </span> : null}
          {change.kind !== 'removed' ? (
            <ins className="agentry-compare__after">
              <code>{valueText(change.after)}</code>
            </ins>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function OutputDiff({ comparison, labels }: { comparison: OutputComparison; labels: HistoryViewLabels }) {
  if (comparison.kind === 'json') {
    return comparison.changes.length === 0 ? null : <ChangeList changes={comparison.changes} labels={labels} />;
  }
  if (comparison.kind === 'too-large') return null;
  if (comparison.lines.every((line) => line.kind === 'same')) return null;
  return (
    <pre className="agentry-compare__lines">
      {comparison.lines.map((line, index) => {
        const sign = line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '− ' : '  ';
        const Tag = line.kind === 'added' ? 'ins' : line.kind === 'removed' ? 'del' : 'span';
        return (
          // Lines repeat: the index is their identity.
          <Tag key={index} className="agentry-compare__line" data-kind={line.kind}>
            {sign}
            {line.text}
            {'\n'}
          </Tag>
        );
      })}
    </pre>
  );
}

/**
 * Two runs side by side: every metric with its change (B − A, with a sign and a unit; "—" when
 * either is unknown), both outputs, a JSON-aware diff of them (or a line diff for text), and what
 * changed in the input. Differences are written out (a sign and a word), never colour alone.
 */
export function CompareView({ before, after, name, onClose, locale, labels = defaultViewLabels }: CompareViewProps) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const output = useMemo(() => compareOutputs(before, after), [before, after]);
  const inputChanges = useMemo(() => jsonDiff(before.input, after.input), [before.input, after.input]);
  const rows = metricRows(before.metrics, after.metrics);
  const units = labels.compareUnits;

  function cell(row: (typeof rows)[number], value: number | null, other: number | null): string {
    if (value === null) return '—';
    if (row.unit === 'ms') return formatDurations([value, other], locale)[0] ?? '—';
    if (row.unit === 'usd') return formatUsd(value, locale);
    return formatCount(value, locale);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  const changeCount = (count: number) => (count === 0 ? labels.compareSame : labels.compareChanges(count));
  const outputCount =
    output.kind === 'json'
      ? output.changes.length
      : output.kind === 'text'
        ? output.lines.filter((line) => line.kind !== 'same').length
        : undefined;

  return (
    <section className="agentry-compare" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <div className="agentry-compare__head">
        <h4 id={`${id}-title`} ref={heading} tabIndex={-1} className="agentry-compare__title">
          {labels.compareTitle}
        </h4>
        <button type="button" className="agentry-button agentry-button--secondary" onClick={onClose}>
          {labels.compareClose}
        </button>
      </div>
      <table className="agentry-compare__metrics">
        <caption className="agentry-visually-hidden">{labels.metrics}</caption>
        <thead>
          <tr>
            <th scope="col">{labels.compareMetric}</th>
            {[before, after].map((record, index) => (
              <th key={record.id} scope="col">
                <span className="agentry-compare__side">{index === 0 ? 'A' : 'B'}</span> {name(record)}
                <span className="agentry-compare__run">
                  {record.mode === 'live' ? labels.live : labels.mock} · {labels.historyStatus[record.status]} ·{' '}
                  {record.metrics.model}
                </span>
              </th>
            ))}
            <th scope="col">{labels.compareDelta}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{labels.compareRows[row.key]}</th>
              <td>{cell(row, row.before, row.after)}</td>
              <td>{cell(row, row.after, row.before)}</td>
              <td className="agentry-compare__delta" data-sign={row.sign}>
                {row.delta === undefined ? '—' : `${row.delta} ${units[row.unit]}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h5 className="agentry-compare__subtitle">
        {labels.compareOutput}:{' '}
        <span className="agentry-compare__count">{outputCount === undefined ? '' : changeCount(outputCount)}</span>
      </h5>
      <div className="agentry-compare__sides">
        {[before, after].map((record, index) => (
          <figure key={record.id} className="agentry-compare__output">
            <figcaption>
              {index === 0 ? 'A' : 'B'} · {labels.historyStatus[record.status]}
            </figcaption>
            <pre
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
              tabIndex={0}
            >
              {output.texts[index]}
            </pre>
          </figure>
        ))}
      </div>
      <OutputDiff comparison={output} labels={labels} />

      <h5 className="agentry-compare__subtitle">
        {labels.compareInput}: <span className="agentry-compare__count">{changeCount(inputChanges.length)}</span>
      </h5>
      {inputChanges.length > 0 ? <ChangeList changes={inputChanges} labels={labels} /> : null}
    </section>
  );
}
