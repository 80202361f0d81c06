// Small helpers for play functions: they find things the way a user (or a screen reader) does.
import { defaultLabels } from '@agentry/react';
import { expect, userEvent, waitFor, within } from 'storybook/test';

/**
 * The panel's own strings: plays find things by the labels users read, taken from
 * `defaultLabels` so a reworded label does not break the stories.
 */
export const L = defaultLabels;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HOLE = '\u0000';

/**
 * A RegExp for a label built by a function, with its variable part matched by `hole`:
 * `labelPattern(L.completedIn, '.+')` matches "Completed in 1.2 s".
 */
export function labelPattern(label: (value: string) => string, hole = '.+'): RegExp {
  return new RegExp(`^${escapeRegExp(label(HOLE)).replace(HOLE, hole)}$`);
}

/** "Line 3, column 7": where a JSON syntax error is. */
export const JSON_ERROR_AT = new RegExp(
  `^${escapeRegExp(L.jsonErrorAt(1111, 2222)).replace('1111', '\\d+').replace('2222', '\\d+')}$`,
);

type Canvas = ReturnType<typeof within>;

/** user-event reads `{` and `[` as key names: doubling them types them literally. */
export function literal(text: string): string {
  return text.replaceAll('{', '{{').replaceAll('[', '[[');
}

/** The JSON editor, by its label. */
export function editor(canvas: Canvas): Promise<HTMLTextAreaElement> {
  return canvas.findByRole('textbox', { name: L.input }) as Promise<HTMLTextAreaElement>;
}

/** Waits until the agents list has loaded and the panel shows its Run button. */
export function runButton(canvas: Canvas): Promise<HTMLElement> {
  return canvas.findByRole('button', { name: L.run }, { timeout: 5000 });
}

/** Replaces the editor's text as a user would: select all, then type. */
export async function replaceInput(canvas: Canvas, text: string): Promise<HTMLTextAreaElement> {
  const textarea = await editor(canvas);
  await userEvent.clear(textarea);
  await userEvent.type(textarea, literal(text));
  return textarea;
}

/**
 * Replaces the editor's text in one paste: for plays that need another input, not the typing
 * itself (typing a line of JSON key by key costs seconds on a busy machine).
 */
export async function pasteInput(canvas: Canvas, text: string): Promise<HTMLTextAreaElement> {
  const textarea = await editor(canvas);
  await userEvent.clear(textarea);
  await userEvent.click(textarea);
  await userEvent.paste(text);
  return textarea;
}

/** Lets a run held by `executorMode({ holdAfterChunks })` go on. */
export function releaseHeldRun(loaded: Record<string, unknown>): void {
  const gate = loaded.gate as { release(): void } | undefined;
  if (!gate) throw new Error('releaseHeldRun: the story has no held run; use executorMode({ holdAfterChunks }).');
  gate.release();
}

/** The output area's polite status line ("Running…", "Completed in 1.2 s", "Stopped after …"). */
export function outputStatus(canvas: Canvas): HTMLElement {
  const output = canvas.getByRole('log');
  const section = output.closest('section');
  if (!section) throw new Error('The output log is not inside its section.');
  return within(section).getByRole('status');
}

/** "Completed in 1.2 s". */
export const COMPLETED = labelPattern(L.completedIn);
/** "Failed after 1.2 s", or "Failed" when the run was refused before it started. */
export const FAILED = new RegExp(`^${escapeRegExp(L.status.failed)}$|${labelPattern(L.failedAfter).source}`);
/** "Stopped after 1.2 s", or "Stopped" when no record came back. */
export const STOPPED = new RegExp(`^${escapeRegExp(L.status.cancelled)}$|${labelPattern(L.stoppedAfter).source}`);

/** Clicks Run and waits for the run to finish with `status` text (a RegExp). */
export async function runAndWait(canvas: Canvas, status: RegExp = COMPLETED, timeout = 8000): Promise<void> {
  await userEvent.click(await runButton(canvas));
  await waitFor(() => expect(outputStatus(canvas)).toHaveTextContent(status), { timeout });
}

export { expect, userEvent, waitFor, within };
