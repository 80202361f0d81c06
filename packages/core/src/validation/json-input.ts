import type { ValidationIssue } from '../errors';
import { DEFAULT_MAX_DEPTH } from './json-depth';
import { mayExceedJsonLimits } from './json-limits';
import { findJsonTextProblem } from './json-scanner';

/** The outcome of {@link parseJsonInput}. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; issue: ValidationIssue };

/** Options for {@link parseJsonInput}. */
export interface ParseJsonInputOptions {
  /**
   * The deepest nesting of arrays and objects accepted: `1` is `{}` or `[]`, `2` is `[[]]`.
   * Deeper text answers `{ ok: false }` with the issue code `json_too_deep` at the bracket that
   * goes one level too far. The limit keeps deeply nested input away from everything that
   * recurses on it (zod, `JSON.stringify`, engines whose `JSON.parse` recurses); it matches the
   * executor's `limits.maxDepth` default.
   * @default 256
   * @example parseJsonInput(text, { maxDepth: 32 })
   */
  maxDepth?: number;
}

/** Converts a 0-based character offset into a 1-based line and column. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function failure(text: string, offset: number, code: string, message: string): JsonParseResult {
  const { line, column } = lineColumn(text, offset);
  return { ok: false, issue: { path: [], code, message, line, column } };
}

/**
 * Parses JSON text typed by a person. On failure, answers one issue with the 1-based
 * line and column and a message that says what to fix; it never throws, whatever the text.
 *
 * Issue codes: `json_syntax` (not JSON), `json_too_deep` (nested deeper than `maxDepth`),
 * `json_number_too_large` (a number that would become `Infinity`).
 *
 * @example
 * parseJsonInput('{"text": "hi"}') // → { ok: true, value: { text: 'hi' } }
 * parseJsonInput('{"text": hi}')   // → { ok: false, issue: { line: 1, column: 10, code: 'json_syntax', … } }
 */
export function parseJsonInput(text: string, options: ParseJsonInputOptions = {}): JsonParseResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new TypeError(`parseJsonInput: maxDepth must be an integer >= 1, got ${String(options.maxDepth)}.`);
  }
  if (typeof text !== 'string') {
    return failure('', 0, 'json_syntax', `Expected JSON text (a string), got ${text === null ? 'null' : typeof text}.`);
  }
  if (text.trim() === '') return failure(text, 0, 'json_syntax', 'The input is empty. Type a JSON value, e.g. {}.');
  // Deep or overflowing text never reaches JSON.parse: the iterative scanner answers it.
  if (!mayExceedJsonLimits(text, maxDepth)) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      // Located below, in the same words in every engine.
    }
  }
  const problem = findJsonTextProblem(text, maxDepth);
  if (problem === undefined) {
    // Only reachable when the quick pass was cautious and the text is in fact fine.
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return failure(text, text.length, 'json_syntax', 'Invalid JSON.');
    }
  }
  return failure(text, problem.offset, problem.code, problem.message);
}
