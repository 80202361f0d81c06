/** A one-line progress display for long phases; silent unless the output is a terminal. */
export interface Progress {
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

export interface ProgressOutput {
  write(text: string): void;
  isTTY?: boolean;
}

/** Redraws at most every 100 ms; nothing at all when `output` is not a TTY (CI logs, pipes, `--json`). */
export function createProgress(output: ProgressOutput, enabled: boolean, now: () => number): Progress {
  if (!enabled || output.isTTY !== true) return { update() {}, done() {} };
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(text) {
      const at = now();
      if (at - last < 100) return;
      last = at;
      shown = true;
      output.write(`\r\u001b[2K⏳ ${text}`);
    },
    done() {
      if (shown) output.write('\r\u001b[2K');
      shown = false;
      last = Number.NEGATIVE_INFINITY;
    },
  };
}
