import type { ValidationIssue } from '../errors';
import { DEFAULT_MAX_DEPTH } from './json-depth';

// The quick half of reading JSON text: what a browser needs on every keystroke. Locating a
// problem (line, column, what to fix) is `json-scanner.ts`, loaded on demand in the browser with
// the rest of the input checks (`parseJsonInput`).

/**
 * A cheap first pass over valid-looking text: `true` when the text nests deeper than
 * `maxDepth` or holds a number that could overflow a double, so the full scan must decide.
 * It only counts brackets outside strings, which is enough to keep deep documents away from
 * engines whose JSON.parse recurses.
 */
export function mayExceedJsonLimits(text: string, maxDepth: number): boolean {
  const length = text.length;
  let depth = 0;
  let digits = 0;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      // Skip the string; an unterminated one ends the scan (JSON.parse will refuse it).
      index += 1;
      while (index < length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c) index += 2;
        else if (inner === 0x22) break;
        else index += 1;
      }
      digits = 0;
      continue;
    }
    if (code >= 0x30 && code <= 0x39) {
      // Over 308 digits can overflow to Infinity; so can any exponent (checked below).
      digits += 1;
      if (digits > 308) return true;
      continue;
    }
    if ((code === 0x65 || code === 0x45) && digits > 0) return true;
    if (code !== 0x2e) digits = 0;
    if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return false;
}

/**
 * `JSON.parse` for text that cannot exceed the limits: `{ ok: true, value }`; `{ ok: false }` with
 * an issue that has no position when it is not JSON; `undefined` when only the full scan
 * (`parseJsonInput`) can tell (deep nesting, a number that may overflow).
 */
export function parseJsonQuickly(
  text: string,
): { ok: true; value: unknown } | { ok: false; issue: ValidationIssue } | undefined {
  if (mayExceedJsonLimits(text, DEFAULT_MAX_DEPTH)) return undefined;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, issue: { path: [], code: 'json_syntax', message: 'The input is not valid JSON.' } };
  }
}
