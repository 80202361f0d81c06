'use client';

import type { ValidationIssue } from '@agentry/core';
import {
  type KeyboardEvent,
  type Ref,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { jsonHighlightModule, textWindowModule, useLazyModule } from '../lazy-parts';
import type { EditKind, EditState } from './edit-history';
import { defaultInputLabels, type InputLabels } from './input-labels';
import type { WindowController, WindowLayout } from './window-controller';

/** Above this many characters the view drops colours and marks and numbers only the visible lines. */
export const LARGE_INPUT_CHARS = 100_000;

/** Props of {@link JsonView}. */
export interface JsonViewProps {
  value: string;
  /** A change made in the editor: the new text and selection, and whether it was typing or an action. */
  onEdit: (next: EditState, kind: EditKind) => void;
  /** Ctrl/⌘+Z (and the browser's Undo) in the editor. */
  onUndo?: () => void;
  /** Ctrl/⌘+Shift+Z, Ctrl+Y (and the browser's Redo). */
  onRedo?: () => void;
  /** Problems to mark in the text: syntax errors at their line and column, schema issues at their path. */
  issues?: readonly ValidationIssue[];
  disabled?: boolean;
  id?: string;
  /** Ids of the elements that describe the editor (its hint, its issue list). */
  describedBy?: string;
  handleRef?: Ref<JsonViewHandle>;
  labels?: InputLabels;
}

/** Imperative handle of {@link JsonView}. */
export interface JsonViewHandle {
  focus(): void;
  /** Moves the caret to a 1-based line and column. */
  goTo(line: number, column: number): void;
  /** Selects a range once the next text is shown (after an undo, say). */
  select(start: number, end: number): void;
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

/**
 * The JSON view: a textarea that wraps, with colours and issue marks drawn by an overlay behind
 * it, line numbers, Tab to indent (Escape, then Tab, leaves), and undo that survives Format.
 * Large text (over {@link LARGE_INPUT_CHARS}) is shown plain, and the textarea holds only the rows
 * around the view (window-controller.ts, a lazy chunk): a key then costs the same at 1 MB as at 10 kB.
 */
export function JsonView({
  value,
  onEdit,
  onUndo,
  onRedo,
  issues = [],
  disabled = false,
  id,
  describedBy,
  handleRef,
  labels = defaultInputLabels,
}: JsonViewProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const pending = useRef<[number, number] | undefined>(undefined);
  const [tabLeaves, setTabLeaves] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const large = value.length > LARGE_INPUT_CHARS;
  // The window on large text (window-controller.ts, a lazy chunk): `control` once the chunk is
  // here; `windowed` while the text is large and the textarea holds only the rows around the view.
  const windowing = useLazyModule(textWindowModule, large);
  const [layout, setLayout] = useState<WindowLayout | undefined>(undefined);
  const controlRef = useRef<WindowController | undefined>(undefined);
  if (typeof windowing === 'object') controlRef.current ??= windowing.createWindowController(textarea, box, setLayout);
  const control = controlRef.current;
  const windowed = large && control !== undefined;
  // The text last shown in (or typed into) the textarea: the whole document.
  const shown = useRef<string | undefined>(undefined);
  // The colours are a chunk of their own: until it is here, the lines show plain (still numbered).
  const highlighter = useLazyModule(jsonHighlightModule, !large);
  const html = useMemo(
    () =>
      large || typeof highlighter !== 'object'
        ? undefined
        : highlighter.highlightJson(value, highlighter.locateIssues(value, issues)),
    [large, value, issues, highlighter],
  );

  useImperativeHandle(
    handleRef,
    () => ({
      focus: () => textarea.current?.focus(),
      goTo(line, column) {
        const text = shown.current ?? '';
        const offset = offsetOf(text, line, column);
        textarea.current?.focus();
        if (control) control.select(text, offset, offset);
        else textarea.current?.setSelectionRange(offset, offset);
      },
      select(start, end) {
        pending.current = [start, end];
      },
    }),
    [control],
  );

  // The textarea is uncontrolled: React keeps a controlled one's `defaultValue` (its text node) in
  // step on every render, which re-lays out all of a 1 MB text on each key (about 150 ms in
  // Chromium). The text is set here only when it did not come from typing in it.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    const replaced = shown.current !== value;
    shown.current = value;
    const selection = pending.current;
    pending.current = undefined;
    if (control?.show(value, replaced, selection, large)) return;
    if (replaced) element.value = value;
    if (selection) {
      const [start, end] = selection;
      // Typing already left the caret there; setting it again costs a layout of the whole text.
      if (element.selectionStart !== start || element.selectionEnd !== end) element.setSelectionRange(start, end);
    }
  }, [value, large, control]);

  // The browser's own Undo/Redo (Edit menu, context menu) go through the panel's history too.
  const history = useRef({ onUndo, onRedo });
  history.current = { onUndo, onRedo };
  useEffect(() => {
    const element = textarea.current;
    const listener = (event: InputEvent) => {
      if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
      event.preventDefault();
      (event.inputType === 'historyUndo' ? history.current.onUndo : history.current.onRedo)?.();
    };
    element?.addEventListener('beforeinput', listener);
    return () => element?.removeEventListener('beforeinput', listener);
  }, []);

  function replace(
    start: number,
    end: number,
    insert: string,
    caret = start + insert.length,
    kind: EditKind = 'action',
  ) {
    const text = value.slice(0, start) + insert + value.slice(end);
    pending.current = [caret, caret];
    onEdit({ text, selectionStart: caret, selectionEnd: caret }, kind);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    const mod = event.ctrlKey || event.metaKey;
    if (windowed && control?.key(event, value)) return;
    const element = event.currentTarget;
    const base = control?.base() ?? 0;
    const start = base + element.selectionStart;
    const end = base + element.selectionEnd;
    if (event.key === 'Escape') {
      setTabLeaves(true);
      return;
    }
    if (event.key === 'Tab' && !mod && !event.altKey) {
      if (tabLeaves) return;
      event.preventDefault();
      const lineStart = value.lastIndexOf('\n', start - 1) + 1;
      if (start === end && !event.shiftKey) {
        replace(start, end, '  ');
        return;
      }
      // Indent or outdent every selected line.
      const block = value.slice(lineStart, end);
      const next = event.shiftKey ? block.replace(/^ {1,2}/gm, '') : block.replace(/^/gm, '  ');
      const text = value.slice(0, lineStart) + next + value.slice(end);
      pending.current = [
        start === end ? Math.max(lineStart, start + next.length - block.length) : lineStart,
        lineStart + next.length,
      ];
      onEdit({ text, selectionStart: lineStart, selectionEnd: lineStart + next.length }, 'action');
      return;
    }
    setTabLeaves(false);
    if (mod && (event.key === 'z' || event.key === 'Z' || event.key === 'y')) {
      event.preventDefault();
      if (event.key === 'y' || event.shiftKey) onRedo?.();
      else onUndo?.();
      return;
    }
    if (event.key === 'Enter' && !mod && !event.shiftKey && !event.altKey) {
      // Keep the line's indentation; one level more after an opening bracket.
      const lineStart = value.lastIndexOf('\n', start - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, start))?.[0] ?? '';
      const opens = /[[{]\s*$/.test(value.slice(lineStart, start));
      event.preventDefault();
      replace(start, end, `\n${indent}${opens ? '  ' : ''}`, undefined, 'type');
    }
  }

  return (
    <div
      className="agentry-jv"
      data-large={large || undefined}
      data-windowed={windowed || undefined}
      data-disabled={disabled || undefined}
      onScroll={windowed ? () => control?.onScroll(value) : undefined}
    >
      {large ? (
        <div
          ref={box}
          className="agentry-jv__gutter"
          aria-hidden="true"
          style={layout ? { blockSize: layout.total } : undefined}
        >
          {layout?.lines.map((entry) => (
            <span key={entry.line} style={{ top: entry.top }}>
              {entry.line}
            </span>
          ))}
        </div>
      ) : html === undefined ? (
        <pre className="agentry-jv__code" aria-hidden="true">
          {value.split('\n').map((line, index, lines) => (
            <span key={index} className="agentry-jv__line">
              {index < lines.length - 1 ? `${line}\n` : `${line}\u200b`}
            </span>
          ))}
        </pre>
      ) : (
        // The overlay's HTML is the user's own text, escaped by highlightJson (& and <).
        <pre className="agentry-jv__code" aria-hidden="true" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      <textarea
        ref={textarea}
        id={id}
        className="agentry-jv__textarea"
        style={layout ? { insetBlockStart: layout.top, blockSize: layout.height } : undefined}
        disabled={disabled}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        autoCorrect="off"
        aria-invalid={issues.length > 0 || undefined}
        aria-describedby={describedBy}
        aria-multiline="true"
        onChange={(event) => {
          const element = event.currentTarget;
          const next = control?.typed(element.value) ?? element.value;
          const base = control?.base() ?? 0;
          shown.current = next;
          onEdit(
            { text: next, selectionStart: base + element.selectionStart, selectionEnd: base + element.selectionEnd },
            'type',
          );
        }}
        onPointerDown={control?.forget}
        onKeyDown={onKeyDown}
        onBlur={() => setTabLeaves(false)}
      />
      <span className="agentry-visually-hidden" aria-live="polite">
        {tabLeaves ? labels.tabLeaves : ''}
      </span>
    </div>
  );
}
