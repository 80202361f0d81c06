import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayOpenAt, OPEN, OPEN_AFTER_MATCH } from './compile-shapes';
import { documents, FRAGMENTS } from './redaction-generators.test-support';
import { SHAPES } from './shapes';

const RUNS = { numRuns: 400 };

// Every shape's first literals, in either case and cut anywhere: the texts that end in a shape's
// first literal in part, which is where the pre-check must answer "maybe".
const literalPieces = SHAPES.flatMap((shape) => {
  const first = shape.pieces[0];
  return first !== undefined && 'literal' in first ? first.literal : [];
}).flatMap((value) => [value, value.toUpperCase(), value.toLowerCase()]);
const cutLiteral = fc
  .tuple(fc.constantFrom(...literalPieces), fc.nat())
  .map(([value, cut]) => value.slice(0, 1 + (cut % value.length)));
const texts = fc.oneof(
  documents.map((document) => document.text),
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), cutLiteral, fc.string({ maxLength: 4 })), { maxLength: 8 })
    .map((parts) => parts.join('')),
  fc.string({ maxLength: 40 }),
);

describe('the open-stretch pre-check of the stream redactor (mayOpenAt)', () => {
  it('never answers "cannot" where OPEN (or OPEN after a match) matches', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (let at = 0; at < text.length; at += 1) {
          if (mayOpenAt(text, at)) continue;
          OPEN.lastIndex = at;
          expect(OPEN.test(text), `OPEN matched at ${at} of ${JSON.stringify(text)}`).toBe(false);
          OPEN_AFTER_MATCH.lastIndex = at;
          expect(OPEN_AFTER_MATCH.test(text), `OPEN_AFTER_MATCH matched at ${at} of ${JSON.stringify(text)}`).toBe(
            false,
          );
        }
      }),
      RUNS,
    );
  });

  it('answers "maybe" at a first literal cut by the end of the text, and "cannot" past a mismatch', () => {
    expect(mayOpenAt('a key: sk', 7)).toBe(true);
    expect(mayOpenAt('x-api-k', 2)).toBe(true);
    expect(mayOpenAt('Authoriz', 0)).toBe(true);
    expect(mayOpenAt('AUTHORIZ', 0)).toBe(true);
    // It does skip: ordinary prose near a delta's end has no open position.
    const prose = 'The capital of France is Paris.';
    expect([...prose].filter((_, at) => mayOpenAt(prose, at))).toEqual([]);
    expect(mayOpenAt('apple', 0)).toBe(false);
  });
});
