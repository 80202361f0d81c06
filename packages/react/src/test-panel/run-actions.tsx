'use client';

import type { ExecutionMode } from '@agentry/core';
import type { InputState } from '@agentry/core/client';
import type { RefObject } from 'react';
import type { TestPanelLabels } from './labels';

/**
 * Run (Ctrl/⌘+Enter) or, while a run is in flight, Cancel (Escape), and the mode's hint. A render
 * function, not a component: a props object's names survive minification, and the panel's first
 * download has no bytes to spare (docs/performance.md).
 */
export function runActions(
  active: boolean,
  effectiveMode: ExecutionMode,
  inputState: InputState,
  startRun: () => Promise<void>,
  stop: () => void,
  runButton: RefObject<HTMLButtonElement | null>,
  cancelButton: RefObject<HTMLButtonElement | null>,
  focused: { current: 'run' | 'cancel' | undefined },
  labels: TestPanelLabels,
) {
  return (
    <div className="agentry-actions">
      {active ? (
        <button
          ref={cancelButton}
          type="button"
          className="agentry-button agentry-button--secondary agentry-run"
          aria-keyshortcuts="Escape"
          onClick={stop}
          onFocus={() => {
            focused.current = 'cancel';
          }}
          onBlur={(event) => {
            // Blur without a new target is the button being replaced: keep following it.
            if (event.relatedTarget !== null) focused.current = undefined;
          }}
        >
          <span className="agentry-stop-icon" aria-hidden="true" />
          {labels.cancel}
        </button>
      ) : (
        <button
          ref={runButton}
          type="button"
          className="agentry-button agentry-button--primary agentry-run"
          aria-keyshortcuts="Control+Enter Meta+Enter"
          data-input-state={inputState}
          onClick={() => {
            focused.current = 'run';
            void startRun();
          }}
          onFocus={() => {
            focused.current = 'run';
          }}
          onBlur={(event) => {
            if (event.relatedTarget !== null) focused.current = undefined;
          }}
        >
          <span className="agentry-run-icon" aria-hidden="true" />
          {labels.run}
          <span className="agentry-kbd" aria-hidden="true">
            {labels.runShortcut}
          </span>
        </button>
      )}
      <span className="agentry-actions__mode" data-mode={effectiveMode}>
        {effectiveMode === 'live' ? labels.liveHint : labels.mockHint}
      </span>
    </div>
  );
}
