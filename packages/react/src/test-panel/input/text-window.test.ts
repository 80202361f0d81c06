import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRows, placeWindow, rowOf, rowStart, visibleLineNumbers } from './text-window';

// Text with short and long lines (long ones wrap over several rows), as a JSON view shows it.
const text = fc
  .array(fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: 20, maxLength: 200 })), { maxLength: 60 })
  .map((lines) => lines.map((line) => line.replace(/\n/g, ' ')).join('\n'));
const columns = fc.integer({ min: 1, max: 40 });

describe('text-window', () => {
  it('rowStart and rowOf agree: every row starts where rowOf says it is', () => {
    fc.assert(
      fc.property(text, columns, (value, width) => {
        const rows = countRows(value, width);
        for (let row = 0; row < rows; row += 1) {
          const { offset, line, startsLine } = rowStart(value, row, width);
          expect(rowOf(value, offset, width)).toBe(row);
          expect(value.slice(0, offset).split('\n').length).toBe(line);
          expect(startsLine).toBe(offset === 0 || value[offset - 1] === '\n');
        }
      }),
    );
  });

  it('a window starts at a row boundary, and numbers each line that starts in view at its row', () => {
    fc.assert(
      fc.property(text, columns, fc.nat(300), fc.integer({ min: 1, max: 40 }), (value, width, first, rows) => {
        const place = placeWindow(value, first, first + rows, width);
        const end = value.length - place.after;
        expect(place.start).toBeLessThanOrEqual(end);
        if (place.start < value.length) expect(rowOf(value, place.start, width)).toBe(place.rowsBefore);
        expect(place.rowsBefore + countRows(value.slice(place.start, end), width) + place.rowsAfter).toBe(
          countRows(value, width),
        );
        const numbers = visibleLineNumbers(value.slice(place.start, end), place, first, first + rows, width);
        for (const { line, row } of numbers) {
          let offset = 0;
          for (let current = 1; current < line; current += 1) offset = value.indexOf('\n', offset) + 1;
          expect(rowOf(value, offset, width)).toBe(row);
          expect(row).toBeGreaterThanOrEqual(first);
          expect(row).toBeLessThan(first + rows);
        }
      }),
    );
  });
});
