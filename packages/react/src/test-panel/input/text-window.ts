// The arithmetic of the JSON view's window on large text. A textarea lays out all of its text on
// every key (about 150 ms for 1 MB in Chromium, the browser's own cost), so above
// LARGE_INPUT_CHARS the textarea holds only the rows around the view, placed in a box as tall as
// the whole text. Rows are counted in monospace columns: the view wraps anywhere (`word-break:
// break-all`), so a line of n characters takes ceil(n / columns) rows and a window may start
// mid-line at a row boundary without changing how anything wraps. A lazy chunk (lazy-parts.ts).

/** The view's metrics, read from the textarea and its scroller. */
export interface TextMetrics {
  lineHeight: number;
  /** Characters per row (Infinity when they cannot be measured, as in jsdom). */
  columns: number;
  /** The padding above the first row. */
  padding: number;
}

/** Where the window sits in the text, and how many rows lie around it. */
export interface TextWindow {
  /** Offset of the window's first character in the text. */
  start: number;
  /** Characters after the window (unchanged by typing inside it). */
  after: number;
  /** Rows before the window. */
  rowsBefore: number;
  /** Rows after the window. */
  rowsAfter: number;
  /** The number of the window's first line (1-based), and whether the window starts on it. */
  line: number;
  startsLine: boolean;
}

/** Rows of the view kept above and below the visible ones: the window's margin. */
export const WINDOW_MARGIN_ROWS = 150;

/** The view's metrics: the textarea's font and width, the padding of the box the rows are placed in. */
export function measureText(textarea: HTMLTextAreaElement, box: HTMLElement): TextMetrics {
  const style = getComputedStyle(textarea);
  const lineHeight = Number.parseFloat(style.lineHeight) || 20;
  const padding = Number.parseFloat(getComputedStyle(box).paddingTop) || 0;
  const width =
    textarea.clientWidth - (Number.parseFloat(style.paddingLeft) || 0) - (Number.parseFloat(style.paddingRight) || 0);
  const context = document.createElement('canvas').getContext?.('2d');
  let columns = Number.POSITIVE_INFINITY;
  if (context) {
    context.font = style.font;
    const charWidth = context.measureText('0').width;
    if (charWidth > 0 && width > 0) columns = Math.max(1, Math.floor(width / charWidth));
  }
  return { lineHeight, columns, padding };
}

const rowsOfLine = (length: number, columns: number) => Math.max(1, Math.ceil(length / columns));

/** Rows of `text` (a final empty line counts: the textarea shows it). */
export function countRows(text: string, columns: number): number {
  let rows = 0;
  for (let start = 0; ; ) {
    const end = text.indexOf('\n', start);
    rows += rowsOfLine((end === -1 ? text.length : end) - start, columns);
    if (end === -1) return rows;
    start = end + 1;
  }
}

/** The start of row `row` (or the text's end): its offset, its line, whether a line starts there. */
export function rowStart(
  text: string,
  row: number,
  columns: number,
): { offset: number; line: number; startsLine: boolean } {
  let rows = 0;
  let line = 1;
  for (let start = 0; ; line += 1) {
    const end = text.indexOf('\n', start);
    const lineRows = rowsOfLine((end === -1 ? text.length : end) - start, columns);
    if (rows + lineRows > row) {
      const within = row - rows;
      const offset = within === 0 ? start : Math.min(start + within * columns, text.length);
      return { offset, line, startsLine: within === 0 };
    }
    rows += lineRows;
    if (end === -1) return { offset: text.length, line, startsLine: false };
    start = end + 1;
  }
}

/** The row `offset` is on, counted from the start of `text`. */
export function rowOf(text: string, offset: number, columns: number): number {
  let rows = 0;
  for (let start = 0; ; ) {
    const end = text.indexOf('\n', start);
    if (end === -1 || end >= offset) return rows + Math.floor((offset - start) / columns);
    rows += rowsOfLine(end - start, columns);
    start = end + 1;
  }
}

/** The window around rows [first, last) of `text`, with its margin. */
export function placeWindow(text: string, first: number, last: number, columns: number): TextWindow {
  const total = countRows(text, columns);
  // A view below the text's end (the text just got shorter) starts the window at its last row.
  const rowsBefore = Math.min(Math.max(0, first - WINDOW_MARGIN_ROWS), total - 1);
  const from = rowStart(text, rowsBefore, columns);
  const to = rowStart(text, Math.max(last + WINDOW_MARGIN_ROWS, rowsBefore + 1), columns);
  const inside = countRows(text.slice(from.offset, to.offset), columns);
  return {
    start: from.offset,
    after: text.length - to.offset,
    rowsBefore,
    rowsAfter: Math.max(0, total - rowsBefore - inside),
    line: from.line,
    startsLine: from.startsLine,
  };
}

/** Line numbers to draw for rows [first, last) of the view, with their row, from the window's text. */
export function visibleLineNumbers(
  windowText: string,
  place: TextWindow,
  first: number,
  last: number,
  columns: number,
): { line: number; row: number }[] {
  const out: { line: number; row: number }[] = [];
  let row = place.rowsBefore;
  let line = place.line;
  for (let start = 0; row < last; line += 1) {
    const end = windowText.indexOf('\n', start);
    if (row >= first && (start > 0 || place.startsLine)) out.push({ line, row });
    row += rowsOfLine((end === -1 ? windowText.length : end) - start, columns);
    if (end === -1) break;
    start = end + 1;
  }
  return out;
}
