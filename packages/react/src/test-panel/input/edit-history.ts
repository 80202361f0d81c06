// The input's undo history, kept by the panel rather than the browser: a textarea's own undo
// stack is lost (or joins two documents) when the text is set from code, as Format, Reset and
// restoring a run do. Typing within a second is one step; actions are a step each.

/** The text and the selection, as one undo step restores them. */
export interface EditState {
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

/** How a change was made: `type` steps that follow each other quickly merge into one. */
export type EditKind = 'type' | 'action';

export interface EditHistory {
  /** Records that the text is about to change from `before`. */
  record(before: EditState, kind: EditKind): void;
  /** The state before the last step, or `undefined`; `current` becomes redoable. */
  undo(current: EditState): EditState | undefined;
  redo(current: EditState): EditState | undefined;
}

/**
 * Creates an undo history. It keeps at most `maxSteps` steps and about `maxChars` characters of
 * text in all (the oldest go first), so a 1 MB input cannot pile up hundreds of megabytes.
 */
export function createEditHistory(maxSteps = 100, maxChars = 16_000_000, now = () => Date.now()): EditHistory {
  const past: EditState[] = [];
  let future: EditState[] = [];
  let last: { kind: EditKind; at: number } | undefined;
  const trim = () => {
    let chars = past.reduce((sum, state) => sum + state.text.length, 0);
    while (past.length > maxSteps || (past.length > 1 && chars > maxChars)) chars -= past.shift()?.text.length ?? 0;
  };
  return {
    record(before, kind) {
      const at = now();
      const merge = kind === 'type' && last?.kind === 'type' && at - last.at < 1000 && past.length > 0;
      last = { kind, at };
      future = [];
      if (merge) return;
      past.push(before);
      trim();
    },
    undo(current) {
      const state = past.pop();
      if (state) future.push(current);
      last = undefined;
      return state;
    },
    redo(current) {
      const state = future.pop();
      if (state) past.push(current);
      last = undefined;
      return state;
    },
  };
}
