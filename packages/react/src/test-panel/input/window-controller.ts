import {
  countRows,
  measureText,
  placeWindow,
  rowOf,
  type TextMetrics,
  type TextWindow,
  visibleLineNumbers,
} from './text-window';

// The JSON view's window on large text, driven from the view (json-view.tsx):
// the textarea holds only the rows around the view (text-window.ts says why and how rows are
// counted). Part of the lazy `text-window` chunk: the view shows large text unwindowed until it is here.

/** What the windowed view draws: the textarea's place, the box's height, the visible line numbers. */
export interface WindowLayout {
  top: number;
  height: number;
  total: number;
  lines: { line: number; top: number }[];
}

/** The window of one JSON view. Offsets are in the whole document unless said otherwise. */
export interface WindowController {
  /** Offset in the document of the textarea's first character (0 when not windowed). */
  base(): number;
  /** The document after typing in the textarea. */
  typed(windowText: string): string;
  /**
   * Shows `value`: large text is cut to the window around `selection` when it is new
   * (`replaced`), else only re-measured; text that is no longer `large` gets the whole textarea
   * back. Answers whether the view is windowed (the caller then sets nothing itself).
   */
  show(value: string, replaced: boolean, selection: [number, number] | undefined, large: boolean): boolean;
  /** Selects a range of the document, moving the window to it. */
  select(value: string, start: number, end: number): void;
  /**
   * A key in the windowed textarea, before the browser applies it: Ctrl/⌘+A puts the whole
   * document in the textarea (once), so copy, cut and paste see it all (answers true: handled);
   * any other key first brings back a caret left outside the window by scrolling.
   */
  key(event: { key: string; ctrlKey: boolean; metaKey: boolean; preventDefault(): void }, value: string): boolean;
  /** A click places a new caret: the one left outside the window is forgotten. */
  forget(): void;
  onScroll(value: string): void;
}

export function createWindowController(
  textareaRef: { readonly current: HTMLTextAreaElement | null },
  boxRef: { readonly current: HTMLElement | null },
  setLayout: (layout: WindowLayout | undefined) => void,
): WindowController {
  const elements = {
    get current() {
      return { textarea: textareaRef.current, box: boxRef.current };
    },
  };
  let place: TextWindow | undefined;
  let before = '';
  let after = '';
  let detached: [number, number] | undefined;
  let all = false;
  let large = false;
  let cached: (TextMetrics & { width: number }) | undefined;
  // The width changed since the window was cut: its rows were counted in other columns.
  let resized = false;

  const view = () => {
    const { textarea: element, box } = elements.current;
    const scroller = element?.parentElement;
    if (!element || !box || !scroller) return undefined;
    // Measured again only when the width changed: a canvas and computed styles on every key add up.
    if (cached?.width !== element.clientWidth) {
      resized = cached !== undefined;
      cached = { ...measureText(element, box), width: element.clientWidth };
    }
    const { lineHeight, padding } = cached;
    const first = Math.max(0, Math.floor((scroller.scrollTop - padding) / lineHeight));
    const rows = Math.ceil(scroller.clientHeight / lineHeight) || 30;
    return { ...cached, element, scroller, first, rows };
  };
  type View = NonNullable<ReturnType<typeof view>>;

  /** Redraws the box and the line numbers for the window as it stands. */
  function draw({ element, lineHeight, columns, padding, first, rows }: View): WindowLayout | undefined {
    if (!place) return undefined;
    const inside = countRows(element.value, columns);
    const layout = {
      top: padding + place.rowsBefore * lineHeight,
      height: inside * lineHeight,
      total: (place.rowsBefore + inside + place.rowsAfter) * lineHeight,
      lines: visibleLineNumbers(element.value, place, first, first + rows + 1, columns).map(({ line, row }) => ({
        line,
        top: padding + row * lineHeight,
      })),
    };
    setLayout(layout);
    return layout;
  }

  /** Cuts the window from `value` around the view, or around `focus` when it is out of view. */
  function cut(value: string, around?: [number, number]): void {
    const current = view();
    if (!current) return;
    // A caret kept from before the text was replaced may lie past its end now.
    const focus: [number, number] | undefined = around && [
      Math.min(around[0], value.length),
      Math.min(around[1], value.length),
    ];
    const { element, scroller, columns, lineHeight, padding, rows } = current;
    // A caret already left outside the window comes first: the textarea's own selection then is
    // only where setting its value put it (the end), and taking it would move the caret there.
    const selection: [number, number] | undefined =
      focus ??
      detached ??
      (place && document.activeElement === element
        ? [place.start + element.selectionStart, place.start + element.selectionEnd]
        : undefined);
    let first = current.first;
    let scrollTo: number | undefined;
    if (focus) {
      const row = rowOf(value, focus[1], columns);
      if (row < first || row >= first + rows) {
        first = Math.max(0, row - Math.floor(rows / 2));
        scrollTo = padding + first * lineHeight;
      }
    }
    place = placeWindow(value, first, first + rows, columns);
    const end = value.length - place.after;
    before = value.slice(0, place.start);
    after = value.slice(end);
    all = false;
    resized = false;
    detached = undefined;
    element.value = value.slice(place.start, end);
    if (selection) {
      const [start, stop] = selection;
      if (start >= place.start && stop <= end) element.setSelectionRange(start - place.start, stop - place.start);
      else detached = selection;
    }
    const layout = draw({ ...current, first });
    const box = elements.current.box;
    if (scrollTo !== undefined && layout && box) {
      // The box gets its height now, not at React's next render: scrolling first would stop at
      // the old height (and the scroll event would cut the window there).
      box.style.blockSize = `${layout.total}px`;
      scroller.scrollTop = scrollTo;
    }
  }

  return {
    base: () => place?.start ?? 0,
    typed(windowText) {
      // An edit in the textarea (a paste from the browser's menu has no key first) left the caret
      // there: one kept outside the window is gone.
      detached = undefined;
      return place ? before + windowText + after : windowText;
    },
    show(value, replaced, selection, isLarge) {
      large = isLarge;
      const element = elements.current.textarea;
      if (!large) {
        if (place && element) {
          // Leaving the window (the text got small): the textarea gets the whole text back.
          const start = place.start;
          const range = [start + element.selectionStart, start + element.selectionEnd] as const;
          place = undefined;
          before = after = '';
          setLayout(undefined);
          element.value = value;
          if (!selection) element.setSelectionRange(range[0], range[1]);
        }
        return false;
      }
      const current = view();
      if (!current) return true;
      // A window that got large (select all, then paste) is cut again around the caret.
      const tooLarge = current.element.value.length > 4 * (current.rows + 300) * Math.min(current.columns, 200);
      if (replaced || !place || all || tooLarge || resized) {
        const start = place?.start ?? 0;
        const caret = selection ??
          detached ?? [start + current.element.selectionStart, start + current.element.selectionEnd];
        cut(value, caret);
      } else draw(current);
      return true;
    },
    select(value, start, end) {
      if (large) cut(value, [start, end]);
      else elements.current.textarea?.setSelectionRange(start, end);
    },
    key(event, value) {
      const element = elements.current.textarea;
      if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key) || !element) return false;
      if ((event.ctrlKey || event.metaKey) && event.key === 'a') {
        event.preventDefault();
        place = { start: 0, after: 0, rowsBefore: 0, rowsAfter: 0, line: 1, startsLine: true };
        before = after = '';
        all = true;
        // The selection is now the whole document: a caret left outside an earlier window is gone.
        detached = undefined;
        element.value = value;
        element.select();
        const current = view();
        if (current) draw(current);
        return true;
      }
      if (detached) cut(value, detached);
      else if (all && !(element.selectionStart === 0 && element.selectionEnd === value.length))
        cut(value, [element.selectionStart, element.selectionEnd]);
      return false;
    },
    forget() {
      detached = undefined;
    },
    onScroll(value) {
      const current = view();
      if (!current || !place || all) return;
      const inside = countRows(current.element.value, current.columns);
      const margin = 50;
      const nearTop = place.start > 0 && current.first < place.rowsBefore + margin;
      const nearEnd = place.after > 0 && current.first + current.rows > place.rowsBefore + inside - margin;
      if (nearTop || nearEnd || resized) cut(value);
      else draw(current);
    },
  };
}
