import { REDACTED } from './mark';
import { type Piece, SHAPES, type Shape } from './shapes';

/*
 * The shapes turned into regexes: for each, the whole shape, and the "open" test a stream
 * needs (can the text from here to its end still become this shape?), built from the same
 * pieces so that the two always agree.
 */

/** A shape's sticky regexes at one position. */
export interface ShapeVariant {
  /** The whole shape. */
  readonly full: RegExp;
  /** From here to the end of the text, this shape is still possible (or committed). */
  readonly open: RegExp;
  /** The bounded part is complete (with a tail: and the rest of the text is tail). */
  readonly committed?: RegExp;
}

/** A shape turned into regexes. */
export interface CompiledShape {
  readonly shape: Shape;
  /** Its group in the combined regex; its kept groups follow. */
  readonly layout: readonly ('keep' | 'secret')[];
  readonly group: number;
  /** At an ordinary position, and right after a match (where a redaction's end is a boundary). */
  readonly normal: ShapeVariant;
  readonly afterMatch: ShapeVariant;
  /** Global: a character outside the tail class. */
  readonly tailStop?: RegExp;
  /** Global: a complete `until` sequence; and one that could still become complete at the end. */
  readonly untilFull?: RegExp;
  readonly untilOpen?: RegExp;
}

function escapeChar(char: string, ignoreCase: boolean): string {
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  if (ignoreCase && lower !== upper) return `[${lower}${upper}]`;
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

export function escapeLiteral(value: string, ignoreCase = false): string {
  let out = '';
  for (const char of value) out += escapeChar(char, ignoreCase);
  return out;
}

/** A class matching what the class body `chars` does not. */
function outside(chars: string): string {
  return chars.startsWith('^') ? `[${chars.slice(1)}]` : `[^${chars}]`;
}

function quantifier(min: number, max: number): string {
  if (min === max) return min === 1 ? '' : `{${min}}`;
  return `{${min},${max}}`;
}

function pieceSource(piece: Piece): string {
  if ('literal' in piece) {
    const values = piece.literal.map((value) => escapeLiteral(value, piece.ignoreCase));
    return values.length === 1 ? (values[0] as string) : `(?:${values.join('|')})`;
  }
  return `[${piece.chars}]${quantifier(piece.min, piece.max)}`;
}

function sequenceSource(pieces: readonly Piece[]): string {
  return pieces.map(pieceSource).join('');
}

/**
 * A proper prefix of the piece, as a regex (`null` when it has none): what the text can end in
 * while this piece is still under way. `first`: the prefix must not be empty.
 */
function partialSource(piece: Piece, first: boolean, last: boolean): string | null {
  if ('literal' in piece) {
    const forms: string[] = [];
    for (const value of piece.literal) {
      const chars = [...value].map((char) => escapeChar(char, piece.ignoreCase ?? false));
      if (chars.length < 2) continue;
      let inner = '';
      for (let index = chars.length - 2; index >= 1; index -= 1) inner = `(?:${chars[index]}${inner})?`;
      forms.push(`${chars[0]}${inner}`);
    }
    if (forms.length === 0) return first ? null : '';
    const alternatives = `(?:${forms.join('|')})`;
    return first ? alternatives : `${alternatives}?`;
  }
  const low = first ? 1 : 0;
  // The last piece at its full length is a complete match, not a prefix.
  const high = last ? piece.max - 1 : piece.max;
  return high < low ? null : `[${piece.chars}]{${low},${high}}`;
}

/** Every proper prefix of the sequence, as regex alternatives (none empty). */
export function prefixForms(pieces: readonly Piece[]): string[] {
  const forms: string[] = [];
  for (let index = 0; index < pieces.length; index += 1) {
    const partial = partialSource(pieces[index] as Piece, index === 0, index === pieces.length - 1);
    if (partial === null) continue;
    forms.push(`${sequenceSource(pieces.slice(0, index))}${partial}`);
  }
  return forms;
}

function maxLength(pieces: readonly Piece[]): number {
  let total = 0;
  for (const piece of pieces) {
    total += 'literal' in piece ? Math.max(...piece.literal.map((value) => value.length)) : piece.max;
  }
  return total;
}

/** The shape's pieces, kept ones captured (runs of kept pieces as one group), and its output layout. */
function capturedSource(shape: Shape): { source: string; layout: ('keep' | 'secret')[]; groups: number } {
  let source = '';
  const layout: ('keep' | 'secret')[] = [];
  let groups = 0;
  let index = 0;
  while (index < shape.pieces.length) {
    const keep = shape.pieces[index]?.keep === true;
    let end = index;
    while (end < shape.pieces.length && (shape.pieces[end]?.keep === true) === keep) end += 1;
    const run = sequenceSource(shape.pieces.slice(index, end));
    if (keep) {
      source += `(${run})`;
      groups += 1;
      layout.push('keep');
    } else {
      source += run;
      layout.push('secret');
    }
    index = end;
  }
  return { source, layout, groups };
}

interface ShapeSources {
  shape: Shape;
  layout: ('keep' | 'secret')[];
  groups: number;
  /** The whole shape with captured kept pieces, for the combined regex. */
  combined: string;
  open: string;
  /** The bounded part complete (with a tail: and the rest of the text is tail). */
  committed: string | undefined;
  maxOpen: number;
}

/**
 * Right after an escape sequence of JSON or a string literal (`\\n`, `\\t`, `\\u000a`, `\\x0A`, …):
 * a boundary, although its last character is a letter or digit. In `"line\\nsk-…"` the key starts
 * a line of the value, not a word `nsk-…`. At most 6 characters back: within the stream's context.
 */
const AFTER_ESCAPE = String.raw`(?<=\\(?:[bfnrtv0]|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}))`;

/** The shape's regex sources; `boundary`: as if a boundary were before it (its `notAfter` ignored). */
function shapeSources(shape: Shape, boundary: boolean): ShapeSources {
  if ((shape.tail !== undefined || shape.until !== undefined) && shape.notBefore !== undefined) {
    throw new TypeError(`shape ${shape.id}: notBefore cannot follow a tail or an until`);
  }
  const behind = shape.notAfter === undefined || boundary ? '' : `(?:(?<![${shape.notAfter}])|${AFTER_ESCAPE})`;
  const ahead = shape.notBefore === undefined ? '' : `(?![${shape.notBefore}])`;
  const captured = capturedSource(shape);
  const tail = shape.tail === undefined ? '' : `[${shape.tail}]*`;
  const until = shape.until === undefined ? '' : `[\\s\\S]*?(?:${sequenceSource(shape.until)}|$)`;
  const bounded = sequenceSource(shape.pieces);
  const alternatives = prefixForms(shape.pieces).map((form) => `${form}$`);
  // Complete, but the character after it (not here yet) can still refuse it.
  if (shape.notBefore !== undefined) alternatives.push(`${bounded}$`);
  if (shape.tail !== undefined) alternatives.push(`${bounded}${tail}$`);
  if (shape.until !== undefined) alternatives.push(bounded);
  return {
    shape,
    layout: captured.layout,
    groups: captured.groups,
    combined: `${behind}${captured.source}${tail}${until}${ahead}`,
    open: `${behind}(?:${alternatives.join('|')})`,
    committed:
      shape.tail !== undefined
        ? `${behind}${captured.source}${tail}$`
        : shape.until !== undefined
          ? `${behind}${captured.source}`
          : undefined,
    maxOpen: maxLength(shape.pieces),
  };
}

function variant(sources: ShapeSources): ShapeVariant {
  return {
    full: new RegExp(sources.combined, 'y'),
    open: new RegExp(sources.open, 'y'),
    ...(sources.committed === undefined ? {} : { committed: new RegExp(sources.committed, 'y') }),
  };
}

const SOURCES = SHAPES.map((shape) => shapeSources(shape, false));
const AFTER_MATCH_SOURCES = SHAPES.map((shape) => shapeSources(shape, true));
/** Group 1 is the configured secrets; each shape's group follows. */
export const COMPILED: CompiledShape[] = [];
{
  let group = 2;
  for (const [index, sources] of SOURCES.entries()) {
    const { shape } = sources;
    COMPILED.push({
      shape,
      group,
      layout: sources.layout,
      normal: variant(sources),
      afterMatch: variant(AFTER_MATCH_SOURCES[index] as ShapeSources),
      ...(shape.tail === undefined ? {} : { tailStop: new RegExp(outside(shape.tail), 'g') }),
      ...(shape.until === undefined
        ? {}
        : {
            untilFull: new RegExp(sequenceSource(shape.until), 'g'),
            untilOpen: new RegExp(`(?:${prefixForms(shape.until).join('|')})$`, 'g'),
          }),
    });
    group += 1 + sources.groups;
  }
}
export const SHAPES_SOURCE = SOURCES.map((sources) => `(${sources.combined})`).join('|');
export const AFTER_MATCH_SOURCE = AFTER_MATCH_SOURCES.map((sources) => `(${sources.combined})`).join('|');
export const OPEN = new RegExp(SOURCES.map((sources) => sources.open).join('|'), 'y');
export const OPEN_AFTER_MATCH = new RegExp(AFTER_MATCH_SOURCES.map((sources) => sources.open).join('|'), 'y');
/** How long an open stretch of the built-in shapes can be: the stream's look-behind bound. */
export const SHAPES_LOOK_BEHIND = Math.max(...SOURCES.map((sources) => sources.maxOpen));

/** The longest first literal: a position closer than this to the end can hold one in part. */
export const LONGEST_FIRST_LITERAL = Math.max(
  ...SHAPES.flatMap((shape) => {
    const first = shape.pieces[0];
    return first !== undefined && 'literal' in first ? first.literal.map((value) => value.length) : [0];
  }),
);

/**
 * The ASCII characters a shape's first literal can start with, either case (1 = can): an open
 * stretch starts with one, so the stream redactor runs {@link OPEN} only where one is. A
 * character past ASCII is not in the table and is always tried.
 */
export const OPEN_FIRST_CHARS = (() => {
  const table = new Uint8Array(128);
  for (const shape of SHAPES) {
    const first = shape.pieces[0];
    if (first === undefined || !('literal' in first)) continue;
    for (const value of first.literal) {
      for (const char of [value.charAt(0).toLowerCase(), value.charAt(0).toUpperCase()]) {
        const code = char.charCodeAt(0);
        if (code < 128) table[code] = 1;
      }
    }
  }
  return table;
})();

/**
 * The shapes' first literals as a trie of lowercase character codes (`0` marks where a literal
 * ends), for {@link mayOpenAt}.
 */
type LiteralTrie = Map<number, LiteralTrie>;
const FIRST_LITERALS: LiteralTrie = (() => {
  const root: LiteralTrie = new Map();
  for (const shape of SHAPES) {
    const first = shape.pieces[0];
    if (first === undefined || !('literal' in first)) continue;
    for (const value of first.literal) {
      let node = root;
      for (const char of value.toLowerCase()) {
        const code = char.charCodeAt(0);
        let next = node.get(code);
        if (next === undefined) {
          next = new Map();
          node.set(code, next);
        }
        node = next;
      }
      node.set(0, new Map());
    }
  }
  return root;
})();

/**
 * A cheap test that {@link OPEN} cannot match at `at`: every open stretch begins with a shape's
 * first literal, whole, or with a proper prefix of one that runs to the end of the text (a shape's
 * open forms are its prefixes, each starting with the first literal's). So the text from `at`
 * must follow the trie of first literals (either case) until a literal is complete or the text
 * ends. False proves OPEN fails at `at`; true means "run OPEN". A character past ASCII answers true.
 */
export function mayOpenAt(text: string, at: number): boolean {
  let node = FIRST_LITERALS;
  for (let index = at; index < text.length; index += 1) {
    let code = text.charCodeAt(index);
    if (code >= 128) return true;
    if (code >= 65 && code <= 90) code += 32;
    const next = node.get(code);
    if (next === undefined) return false;
    if (next.has(0)) return true;
    node = next;
  }
  return true;
}

/**
 * Where a shape can start: every shape opens with a literal, so one case-insensitive scan for
 * those literals finds every candidate position (and, when it finds none, proves there is no
 * match: the pre-check). The shapes are then tried only there.
 */
export const TRIGGER = new RegExp(
  [
    ...new Set(
      SHAPES.flatMap((shape) => {
        const first = shape.pieces[0];
        if (first === undefined || !('literal' in first)) {
          throw new TypeError(`shape ${shape.id}: the first piece must be a literal`);
        }
        return first.literal.map((value) => escapeLiteral(value.toLowerCase()));
      }),
    ),
  ].join('|'),
  'gi',
);

export function outputOf(compiled: CompiledShape, match: RegExpExecArray, firstGroup: number): string {
  let out = '';
  let group = firstGroup;
  for (const part of compiled.layout) {
    if (part === 'keep') {
      out += match[group] ?? '';
      group += 1;
    } else {
      out += REDACTED;
    }
  }
  return out;
}
