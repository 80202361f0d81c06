'use client';

import type { ValidationIssue } from '@agentry/core';
import { formatIssuePath, type InputState, type JsonSchema } from '@agentry/core/client';
import { lazy, type Ref, Suspense, useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { formatBytes } from '../format';
import { defaultLabels, type TestPanelLabels } from '../labels';
import { createEditHistory, type EditKind, type EditState } from './edit-history';
import type { InputLabels } from './input-labels';
import { JsonView, type JsonViewHandle, LARGE_INPUT_CHARS } from './json-view';

// The form is its own chunk, loaded when it is first shown: the JSON view needs none of it.
const SchemaForm = lazy(() => import('./schema-form').then((module) => ({ default: module.SchemaForm })));

/** Which editor shows the input. */
export type InputView = 'form' | 'json';

/** Props of {@link InputEditor}. */
export interface InputEditorProps {
  /** The input text (JSON). */
  value: string;
  onValueChange: (value: string) => void;
  /** The text's check: `valid`, `invalid-json` or `schema-invalid`. */
  state?: InputState;
  /** The parsed value of `value`, when it is JSON. */
  parsed?: unknown;
  /** Problems with the input: a syntax error (line and column) or schema issues (paths). */
  issues?: readonly ValidationIssue[];
  /** `server` shows the issues as the server's answer to the last run. @default 'client' */
  issueSource?: 'client' | 'server';
  /** The agent's input JSON Schema: the form is generated from it. */
  schema?: JsonSchema;
  /** The text Reset puts back (the example or the schema's defaults); no Reset button without it. */
  resetText?: string;
  resetLabel?: string;
  /** The service's input limit in bytes (`AgentSummary.maxInputBytes`), for the size counter. */
  maxInputBytes?: number;
  /** The view shown first. @default 'form' when the schema is an object the form can show, else 'json' */
  defaultView?: InputView;
  disabled?: boolean;
  locale?: string;
  handleRef?: Ref<InputEditorHandle>;
  labels?: InputLabels &
    Pick<
      TestPanelLabels,
      'input' | 'inputHint' | 'format' | 'resetToExample' | 'jsonErrorAt' | 'issueCount' | 'serverIssues'
    >;
}

/** Imperative handle of {@link InputEditor}. */
export interface InputEditorHandle {
  focus(): void;
  /** Shows the JSON view with the caret at a 1-based line and column. */
  goTo(line: number, column: number): void;
  /** Sends text still waiting for a pause in typing (large input) to `onValueChange` now. */
  flush(): void;
}

const DEBOUNCE_MS = 300;

/**
 * UTF-8 bytes of a string. The regular expression drops ASCII runs in native code, so 1 MB of
 * mostly ASCII costs about a millisecond per key (a character loop was the panel's largest
 * JavaScript cost of a key at 1 MB). Characters outside the BMP are 2 UTF-16 units and 4 bytes.
 */
function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (const char of text.replace(/[\0-\x7f]+/g, '')) bytes += (char.codePointAt(0) ?? 0) < 0x800 ? 1 : 2;
  return bytes;
}

/**
 * The TestPanel's input: a form generated from the agent's JSON Schema and a JSON view, both
 * editing the same text, with Format, Reset, one undo history for every change (Ctrl/⌘+Z also
 * after Format, Reset or a restored run), and a size counter against the service's limit.
 */
export function InputEditor({
  value,
  onValueChange,
  state = 'valid',
  parsed,
  issues = [],
  issueSource = 'client',
  schema,
  resetText,
  resetLabel,
  maxInputBytes,
  defaultView,
  disabled = false,
  locale,
  handleRef,
  labels = defaultLabels,
}: InputEditorProps) {
  const id = useId();
  const [history] = useState(createEditHistory);
  const [draft, setDraft] = useState(value);
  const [synced, setSynced] = useState(value);
  const [notice, setNotice] = useState(false);
  // The form shows objects (what agents take); anything else opens as JSON.
  const formable =
    typeof schema === 'object' && (schema.type === 'object' || (schema.type === undefined && 'properties' in schema));
  const [view, setView] = useState<InputView>(defaultView ?? (formable ? 'form' : 'json'));
  const jsonRef = useRef<JsonViewHandle>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(draft);
  latest.current = draft;

  // A new text from outside (Reset in the store, a restored run, another agent) replaces the draft,
  // as one undoable step.
  if (value !== synced) {
    setSynced(value);
    if (value !== draft) {
      if (draft.trim() !== '') {
        history.record({ text: draft, selectionStart: 0, selectionEnd: 0 }, 'action');
        setNotice(true);
      }
      setDraft(value);
    }
  }

  function send(text: string) {
    clearTimeout(timer.current);
    timer.current = undefined;
    setSynced(text);
    onValueChange(text);
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  function show(next: EditState, debounce: boolean) {
    setDraft(next.text);
    jsonRef.current?.select(next.selectionStart, next.selectionEnd);
    // Large text is checked when typing pauses: parsing and validating 1 MB on every key would block.
    if (debounce && next.text.length > LARGE_INPUT_CHARS) {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => send(latest.current), DEBOUNCE_MS);
    } else send(next.text);
  }

  function edit(next: EditState, kind: EditKind) {
    history.record({ text: draft, selectionStart: next.selectionStart, selectionEnd: next.selectionEnd }, kind);
    if (kind === 'action') setNotice(false);
    show(next, kind === 'type');
  }

  const current = (): EditState => ({ text: draft, selectionStart: draft.length, selectionEnd: draft.length });
  function undo() {
    const previous = history.undo(current());
    if (previous) show(previous, false);
    setNotice(false);
  }
  function redo() {
    const next = history.redo(current());
    if (next) show(next, false);
  }

  function goTo(line: number, column: number) {
    setView('json');
    // The JSON view mounts on the next render when the form was shown.
    setTimeout(() => jsonRef.current?.goTo(line, column));
  }

  function format() {
    let text: string | undefined;
    try {
      // A number too large for a double would be printed as null: refuse it, as the check does.
      const finite = (_key: string, item: unknown) => {
        if (typeof item === 'number' && !Number.isFinite(item)) throw new RangeError('Number too large.');
        return item;
      };
      text = JSON.stringify(JSON.parse(draft), finite, 2);
    } catch {
      // Not JSON: the input's check says where (it is the draft's own once the draft is sent).
      const first = draft === value ? issues[0] : undefined;
      if (draft !== value) send(draft);
      if (first?.line !== undefined) goTo(first.line, first.column ?? 1);
      else {
        setView('json');
        setTimeout(() => jsonRef.current?.focus());
      }
      return;
    }
    edit({ text, selectionStart: 0, selectionEnd: 0 }, 'action');
  }

  useImperativeHandle(handleRef, () => ({
    focus: () =>
      view === 'json'
        ? jsonRef.current?.focus()
        : document.getElementById(`${id}-form`)?.querySelector<HTMLElement>('input, textarea, select, button')?.focus(),
    goTo,
    flush: () => {
      if (timer.current !== undefined) send(latest.current);
    },
  }));

  // The size the service measures: the JSON as sent (compact), else the text.
  const bytes = useMemo(() => {
    if (draft !== value) return utf8Bytes(draft);
    return utf8Bytes(parsed !== undefined && state !== 'invalid-json' ? (JSON.stringify(parsed) ?? '') : value);
  }, [draft, value, parsed, state]);
  const over = maxInputBytes !== undefined && bytes > maxInputBytes;
  const limit = maxInputBytes === undefined ? undefined : formatBytes(maxInputBytes, locale);

  const invalid = issues.length > 0;
  const hintId = `${id}-hint`;
  const issuesId = `${id}-issues`;
  const textId = `${id}-json`;
  const formIssues = state === 'schema-invalid' || issueSource === 'server' ? issues : [];
  return (
    <div className="agentry-json agentry-input-editor" data-state={invalid ? 'invalid' : 'valid'} data-view={view}>
      <div className="agentry-json__toolbar">
        {view === 'json' ? (
          <label className="agentry-label" htmlFor={textId}>
            {labels.input}
          </label>
        ) : (
          <span className="agentry-label">{labels.input}</span>
        )}
        <div className="agentry-json__actions">
          {formable ? (
            // biome-ignore lint/a11y/useSemanticElements: a two-button toggle reads better than a fieldset here
            <div className="agentry-view-switch" role="group" aria-label={labels.inputView}>
              {(['form', 'json'] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  className="agentry-button agentry-button--ghost"
                  aria-pressed={view === option}
                  onClick={() => setView(option)}
                >
                  {option === 'form' ? labels.formView : labels.jsonView}
                </button>
              ))}
            </div>
          ) : null}
          {view === 'json' ? (
            <button
              type="button"
              className="agentry-button agentry-button--secondary"
              onClick={format}
              disabled={disabled}
            >
              {labels.format}
            </button>
          ) : null}
          {resetText !== undefined ? (
            <button
              type="button"
              className="agentry-button agentry-button--secondary"
              disabled={disabled || draft === resetText}
              onClick={() => {
                edit({ text: resetText, selectionStart: 0, selectionEnd: 0 }, 'action');
                setNotice(true);
              }}
            >
              {resetLabel ?? labels.resetToExample}
            </button>
          ) : null}
        </div>
      </div>
      {notice ? (
        <p className="agentry-input-editor__notice" role="status">
          {labels.replaced}{' '}
          <button type="button" className="agentry-button agentry-button--ghost" onClick={undo}>
            {labels.undo}
          </button>
        </p>
      ) : null}
      {view === 'form' && schema !== undefined ? (
        <div id={`${id}-form`}>
          {(state === 'invalid-json' || (state === 'checking' && parsed === undefined)) && draft === value ? (
            <p className="agentry-field__note" role="status">
              {labels.formNeedsJson}
            </p>
          ) : (
            <Suspense fallback={<p className="agentry-field__note">…</p>}>
              <SchemaForm
                schema={schema}
                value={parsed}
                onValueChange={(next) => {
                  const text = JSON.stringify(next, null, 2) ?? '';
                  edit({ text, selectionStart: 0, selectionEnd: 0 }, 'type');
                }}
                issues={formIssues}
                disabled={disabled}
                labels={labels}
              />
            </Suspense>
          )}
        </div>
      ) : (
        <JsonView
          id={textId}
          value={draft}
          onEdit={edit}
          onUndo={undo}
          onRedo={redo}
          issues={draft === value ? issues : []}
          disabled={disabled}
          describedBy={`${hintId} ${issuesId}`}
          handleRef={jsonRef}
          labels={labels}
        />
      )}
      <div className="agentry-input-editor__status">
        <p id={hintId} className="agentry-json__hint">
          {view === 'json' ? labels.jsonKeys : labels.inputHint}
          {draft.length > LARGE_INPUT_CHARS ? ` ${labels.largeInput}` : ''}
        </p>
        <p className="agentry-input-editor__size" data-state={over ? 'over' : undefined}>
          {labels.size(formatBytes(bytes, locale), limit)}
        </p>
      </div>
      {over && limit ? (
        // Not an alert: a run refused for its size raises the panel's one alert; this is the warning before.
        <p className="agentry-field__error">{labels.tooLarge(limit)}</p>
      ) : null}
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
                      onClick={() => goTo(issue.line ?? 1, issue.column ?? 1)}
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
