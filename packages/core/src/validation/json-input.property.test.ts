// Properties of the JSON input parser over random and adversarial text. fast-check prints the
// seed and the shrunk counterexample on failure; replay with `{ seed, path }` in fc.assert.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonInput } from './json-input';

const RUNS = { numRuns: 300 };

/** The issue's line and column point at a character of the text, or just past its end. */
function expectLocationWithin(text: string, line: number | undefined, column: number | undefined): void {
  const lines = text.split('\n');
  expect(line).toBeGreaterThanOrEqual(1);
  expect(line).toBeLessThanOrEqual(lines.length);
  expect(column).toBeGreaterThanOrEqual(1);
  expect(column).toBeLessThanOrEqual((lines[(line as number) - 1] as string).length + 1);
}

/** What JSON.parse makes of the text, or `undefined` when it refuses it. */
function nativeParse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

// Pieces that make parsers trip: nesting, escapes, overflowing numbers, invisible characters.
const fragment = fc.constantFrom(
  '[',
  ']',
  '{',
  '}',
  '{"a":',
  '"',
  '\\',
  '\\u',
  '\\ud83d',
  ',',
  ':',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '1',
  '-',
  '0.5',
  '1e999',
  '-1e400',
  '9'.repeat(40),
  'true',
  'tru',
  'null',
  '\uFEFF',
  '\u0000',
  '\u2028',
  '\ud800',
  '\udfff',
  '😀',
  "'",
);
const adversarial = fc
  .array(fc.tuple(fragment, fc.integer({ min: 1, max: 4000 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.map(([piece, times]) => piece.repeat(times)).join(''));
const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) });

/** A valid document with one character inserted, deleted or replaced: mostly near-misses. */
const nearMiss = fc
  .tuple(fc.jsonValue({ maxDepth: 6 }), fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fragment)
  .map(([value, at, edit, piece]) => {
    const text = JSON.stringify(value, null, at % 3);
    const index = at % (text.length + 1);
    if (edit === 'insert') return text.slice(0, index) + piece + text.slice(index);
    if (edit === 'delete') return text.slice(0, index) + text.slice(index + 1);
    return text.slice(0, index) + piece + text.slice(index + 1);
  });

describe('parseJsonInput properties', () => {
  it('parses every JSON document to the value JSON.parse gives, whatever the indentation', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.constantFrom(0, 2, '\t', '  \r\n'), (value, indent) => {
        const text = JSON.stringify(value, null, indent === '  \r\n' ? undefined : indent);
        const result = parseJsonInput(text);
        expect(result).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      RUNS,
    );
  });

  it('never throws on any text, and locates every refusal within the text', () => {
    fc.assert(
      fc.property(fc.oneof(utf16, adversarial, nearMiss, fc.string({ unit: 'binary' })), (text) => {
        const result = parseJsonInput(text);
        if (!result.ok) {
          expectLocationWithin(text, result.issue.line, result.issue.column);
          // The scanner located the problem itself, rather than falling back to a generic answer.
          expect(result.issue.message).not.toBe('Invalid JSON.');
          expect(['json_syntax', 'json_too_deep', 'json_number_too_large']).toContain(result.issue.code);
        }
      }),
      RUNS,
    );
  });

  it('agrees with JSON.parse on what is JSON, refusing only what it says it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(nearMiss, adversarial), (text) => {
        const result = parseJsonInput(text);
        const native = nativeParse(text);
        if (result.ok) {
          expect(native).toEqual({ value: result.value });
        } else if (result.issue.code === 'json_syntax') {
          expect(native).toBeUndefined();
        }
        // json_too_deep and json_number_too_large refuse text JSON.parse may accept, by design.
      }),
      RUNS,
    );
  });

  it('refuses nesting past maxDepth at the first bracket past it, closed or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('[', '{"k":'), { minLength: 1, maxLength: 3000 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        (openers, closed, maxDepth) => {
          const closers = openers.map((opener) => (opener === '[' ? ']' : '}')).reverse();
          const text = openers.join('') + (closed ? `0${closers.join('')}` : '');
          const result = parseJsonInput(text, { maxDepth });
          if (openers.length > maxDepth) {
            const column = openers.slice(0, maxDepth).join('').length + 1;
            expect(result).toMatchObject({ ok: false, issue: { code: 'json_too_deep', line: 1, column } });
          } else if (closed) {
            expect(result).toEqual({ ok: true, value: JSON.parse(text) });
          } else {
            expect(result).toMatchObject({ ok: false, issue: { code: 'json_syntax' } });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
