import { describe, expect, it } from 'vitest';
import { formatIssuePath } from './index';
import { parseJsonInput } from './json-input';

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

  it('locates a syntax error at the end of 600 KB of numbers', () => {
    const text = `[${Array.from({ length: 300_000 }, () => '1').join(',')}`;
    const result = parseJsonInput(text);
    expect(result).toMatchObject({ ok: false, issue: { code: 'json_syntax', line: 1, column: text.length + 1 } });
  });
});

/** `depth` nested containers, closed or left open. */
function nested(depth: number, open: string, close: string, closed: boolean): string {
  return open.repeat(depth) + (closed ? `1${close.repeat(depth)}` : '');
}

describe('parseJsonInput on deeply nested text', () => {
  it.each([
    ['10k unclosed arrays', nested(10_000, '[', ']', false), 257],
    ['10k unclosed objects', nested(10_000, '{"a":', '}', false), 256 * 5 + 1],
    ['100k closed arrays', nested(100_000, '[', ']', true), 257],
    ['100k closed objects', nested(100_000, '{"a":', '}', true), 256 * 5 + 1],
    ['100k unclosed objects', nested(100_000, '{"a":', '}', false), 256 * 5 + 1],
  ])('%s: answers json_too_deep at the bracket past the limit, naming the limit', (_name, text, column) => {
    const result = parseJsonInput(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ code: 'json_too_deep', line: 1, column, path: [] });
    expect(result.issue.message).toContain('256 levels');
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    expect(parseJsonInput(nested(256, '[', ']', true))).toMatchObject({ ok: true });
    expect(parseJsonInput(nested(257, '[', ']', true))).toMatchObject({ ok: false, issue: { code: 'json_too_deep' } });
    expect(parseJsonInput(nested(8, '{"a":', '}', true), { maxDepth: 8 })).toMatchObject({ ok: true });
    const refused = parseJsonInput(nested(9, '{"a":', '}', true), { maxDepth: 8 });
    expect(refused).toMatchObject({ ok: false, issue: { code: 'json_too_deep', column: 41 } });
    expect(refused.ok || refused.issue.message).toContain('8 levels');
  });

  it('reports a syntax error that comes before the depth limit first', () => {
    const result = parseJsonInput(`[[[x${'['.repeat(5000)}`);
    expect(result).toMatchObject({ ok: false, issue: { code: 'json_syntax', column: 4 } });
  });

  it('refuses a maxDepth that is not a positive integer', () => {
    expect(() => parseJsonInput('[]', { maxDepth: 0 })).toThrow(/maxDepth must be an integer >= 1/);
    expect(() => parseJsonInput('[]', { maxDepth: 1.5 })).toThrow(TypeError);
  });
});

describe('parseJsonInput on adversarial text', () => {
  it.each([
    ['1e999', 'json_number_too_large', 1, /too large.*Send it as a string/],
    ['{"a": -1e400}', 'json_number_too_large', 7, /-1e400 is too large/],
    [`[${'9'.repeat(400)}]`, 'json_number_too_large', 2, /9999…/],
    ['\uFEFF{}', 'json_syntax', 1, /U\+FEFF \(a byte order mark\)/],
    ['{}\u0000', 'json_syntax', 3, /U\+0000 \(NUL\) after the end/],
    ['{"a": 1}}', 'json_syntax', 9, /Unexpected "}" after the end/],
    ['\ud800', 'json_syntax', 1, /U\+D800 \(a lone surrogate\)/],
    ['{"a": 1} 😀', 'json_syntax', 10, /Unexpected "😀"/],
  ])('%j answers %s at column %i', (text, code, column, message) => {
    const result = parseJsonInput(text);
    expect(result).toMatchObject({ ok: false, issue: { code, line: 1, column } });
    expect(result.ok || result.issue.message).toMatch(message);
  });

  it('keeps lone surrogates inside strings, as JSON.parse does', () => {
    expect(parseJsonInput('"\ud800"')).toEqual({ ok: true, value: '\ud800' });
    expect(parseJsonInput('1e308')).toEqual({ ok: true, value: 1e308 });
  });

  it('answers a non-string argument from JavaScript callers instead of throwing', () => {
    expect(parseJsonInput(undefined as unknown as string)).toMatchObject({ ok: false, issue: { code: 'json_syntax' } });
  });
});
