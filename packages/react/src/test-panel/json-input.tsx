'use client';

import type { ValidationIssue } from '@agentry/core';
import { formatIssuePath } from '@agentry/core/client';
import { type KeyboardEvent, type Ref, useId, useImperativeHandle, useMemo, useRef } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link JsonInput}. */
export interface JsonInputProps {
  value: string;
  onValueChange: (value: string) => void;
  /** Problems to show under the editor: syntax errors (with line and column) or schema errors (with a path). */
  issues?: readonly ValidationIssue[];
  /** `server` shows the issues as the server's answer to the last run. @default 'client' */
  issueSource?: 'client' | 'server';
  /** Pretty-prints the JSON; the button is hidden without it. */
  onFormat?: () => void;
  /** Restores the example (or defaults); the button is hidden without it. */
  onReset?: () => void;
  /** Label of the reset button. @default labels.resetToExample */
  resetLabel?: string;
  disabled?: boolean;
  /** Called on keys pressed in the editor (the panel uses it for Ctrl/⌘+Enter). */
  onKeyDown?: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  /** Focus and caret control for the panel. */
  handleRef?: Ref<JsonInputHandle>;
  labels?: Pick<
    TestPanelLabels,
    'input' | 'inputHint' | 'format' | 'resetToExample' | 'jsonErrorAt' | 'issueCount' | 'serverIssues'
  >;
}

/** Imperative handle of {@link JsonInput}. */
export interface JsonInputHandle {
  focus(): void;
  /** Moves the caret to a 1-based line and column. */
  goTo(line: number, column: number): void;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, text.length);
}

function moveCaret(textarea: HTMLTextAreaElement | null, line: number, column: number): void {
  if (!textarea) return;
  const offset = offsetOf(textarea.value, line, column);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
}

/** A JSON editor: a plain textarea with line numbers, Format and Reset, and its problems listed below. */
export function JsonInput({
  value,
  onValueChange,
  issues = [],
  issueSource = 'client',
  onFormat,
  onReset,
  resetLabel,
  disabled = false,
  onKeyDown,
  handleRef,
  labels = defaultLabels,
}: JsonInputProps) {
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLPreElement>(null);
  const lineCount = useMemo(() => {
    let count = 1;
    for (let index = value.indexOf('\n'); index !== -1; index = value.indexOf('\n', index + 1)) count += 1;
    return count;
  }, [value]);
  const gutter = useMemo(() => Array.from({ length: lineCount }, (_, index) => index + 1).join('\n'), [lineCount]);

  useImperativeHandle(
    handleRef,
    () => ({
      focus: () => textareaRef.current?.focus(),
      goTo: (line: number, column: number) => moveCaret(textareaRef.current, line, column),
    }),
    [],
  );

  const invalid = issues.length > 0;
  const issuesId = `${id}-issues`;
  const hintId = `${id}-hint`;
  return (
    <div className="agentry-json" data-state={invalid ? 'invalid' : 'valid'}>
      <div className="agentry-json__toolbar">
        <label className="agentry-label" htmlFor={id}>
          {labels.input}
        </label>
        <div className="agentry-json__actions">
          {onFormat ? (
            <button
              type="button"
              className="agentry-button agentry-button--ghost"
              onClick={onFormat}
              disabled={disabled}
            >
              {labels.format}
            </button>
          ) : null}
          {onReset ? (
            <button
              type="button"
              className="agentry-button agentry-button--ghost"
              onClick={onReset}
              disabled={disabled}
            >
              {resetLabel ?? labels.resetToExample}
            </button>
          ) : null}
        </div>
      </div>
      <div className="agentry-json__editor">
        <pre ref={gutterRef} className="agentry-json__gutter" aria-hidden="true">
          {gutter}
        </pre>
        <textarea
          ref={textareaRef}
          id={id}
          className="agentry-json__textarea"
          value={value}
          disabled={disabled}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          wrap="off"
          rows={Math.min(Math.max(lineCount, 6), 18)}
          aria-invalid={invalid || undefined}
          aria-describedby={`${hintId} ${issuesId}`}
          onChange={(event) => onValueChange(event.currentTarget.value)}
          onScroll={(event) => {
            if (gutterRef.current) gutterRef.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <p id={hintId} className="agentry-json__hint">
        {labels.inputHint}
      </p>
      <div id={issuesId} className="agentry-json__issues" aria-live="polite">
        {invalid ? (
          <>
            <p className="agentry-json__issues-title">
              {issueSource === 'server' ? labels.serverIssues : labels.issueCount(issues.length)}
            </p>
            <ul className="agentry-json__issue-list">
              {issues.slice(0, 50).map((issue, index) => (
                <li key={index} className="agentry-json__issue">
                  {issue.line !== undefined && issue.column !== undefined ? (
                    <button
                      type="button"
                      className="agentry-json__issue-where"
                      onClick={() => moveCaret(textareaRef.current, issue.line ?? 1, issue.column ?? 1)}
                    >
                      {labels.jsonErrorAt(issue.line, issue.column)}
                    </button>
                  ) : (
                    <code className="agentry-json__issue-where">{formatIssuePath(issue.path)}</code>
                  )}{' '}
                  <span className="agentry-json__issue-message">{issue.message}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
