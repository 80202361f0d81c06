import { describe, expect, it } from 'vitest';
import { formatIssuePath, parseJsonInput } from '../index';

describe('parseJsonInput', () => {
  it('parses valid JSON', () => {
    expect(parseJsonInput('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it.each([
    ['{\n  "text": "hi",\n  "style": brief\n}', 3, 12, /Unexpected "b": expected a value/],
    ['{\n  "a": 1,\n}', 3, 1, /Trailing comma before "}"/],
    ['{"a": 1', 1, 8, /ends too early/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{"a": "x\n"}', 1, 9, /Unescaped line break/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
    ['[1, 2,]', 1, 7, /Trailing comma before "]"/],
    ['{"a" 1}', 1, 6, /expected ":"/],
    ['', 1, 1, /empty/],
  ])('points at line and column of a syntax error in %j', (text, line, column, message) => {
    const result = parseJsonInput(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ code: 'json_syntax', line, column, path: [] });
    expect(result.issue.message).toMatch(message);
  });

  it('formats paths as JSON paths', () => {
    expect(formatIssuePath(['items', 0, 'first name'])).toBe('$.items[0]["first name"]');
    expect(formatIssuePath([])).toBe('$');
  });
});
