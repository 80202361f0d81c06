'use client';

import { useEffect, useRef, useState } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  /** What is copied; a function is called at click time (for text built on demand). */
  text: string | (() => string);
  /** The button's name (`Copy`, `Copy as cURL`, …). */
  label: string;
  /** A small icon-sized button next to a value. @default false */
  compact?: boolean;
  labels?: Pick<TestPanelLabels, 'copied' | 'copyFailed'>;
}

/** A button that copies text and says so for two seconds ("Copied" or "Copy failed"), politely announced. */
export function CopyButton({ text, label, compact = false, labels = defaultLabels }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    clearTimeout(timer.current);
    try {
      await globalThis.navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setState('copied');
    } catch {
      setState('failed');
    }
    timer.current = setTimeout(() => setState('idle'), 2000);
  }

  const shown = state === 'copied' ? labels.copied : state === 'failed' ? labels.copyFailed : label;
  return (
    <button
      type="button"
      className={`agentry-button agentry-button--ghost agentry-copy${compact ? ' agentry-copy--compact' : ''}`}
      data-state={state}
      onClick={copy}
    >
      {compact && state === 'idle' ? <span className="agentry-copy__icon" aria-hidden="true" /> : null}
      <span className={compact && state === 'idle' ? 'agentry-visually-hidden' : undefined} aria-live="polite">
        {shown}
      </span>
    </button>
  );
}
