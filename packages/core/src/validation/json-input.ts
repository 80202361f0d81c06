import type { ValidationIssue } from '../errors';

/** The outcome of {@link parseJsonInput}. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; issue: ValidationIssue };

interface SyntaxProblem {
  offset: number;
  message: string;
}

/**
 * Finds the first syntax error in JSON text and says what was expected there. Engines'
 * JSON.parse messages differ (V8 often gives no position at all), so the location comes
 * from this scanner, the same in every browser and runtime.
 */
function findSyntaxProblem(text: string): SyntaxProblem {
  let index = 0;
  const describe = (at: number) => (at >= text.length ? 'the end of the input' : JSON.stringify(text[at]));
  const fail = (message: string, at = index): never => {
    const ended = at >= text.length ? 'The JSON ends too early: close every string, object and array.' : message;
    throw { offset: at, message: ended } satisfies SyntaxProblem;
  };
  const skipSpace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index += 1;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, index)) index += word.length;
    else
      fail(
        `Unexpected ${describe(index)}: expected a value (string, number, object, array, true, false or null). Strings need double quotes.`,
      );
  };
  const string = () => {
    const start = index;
    index += 1;
    while (index < text.length) {
      const char = text[index] as string;
      if (char === '"') {
        index += 1;
        return;
      }
      if (char === '\\') {
        const next = text[index + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6)))
            fail('Invalid \\u escape: expected four hex digits.');
          index += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) index += 2;
        else fail(`Invalid escape "\\${next ?? ''}" in a string.`);
        continue;
      }
      if (char === '\n' || char.charCodeAt(0) < 0x20)
        fail('Unescaped line break or control character in a string: use \\n.');
      index += 1;
    }
    fail('Unterminated string: add the closing double quote.', start);
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index));
    if (!match) fail(`Invalid number at ${describe(index)}.`);
    index += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    skipSpace();
    const char = text[index];
    if (char === '{') {
      index += 1;
      skipSpace();
      if (text[index] === '}') {
        index += 1;
        return;
      }
      while (true) {
        skipSpace();
        if (text[index] !== '"') {
          fail(
            text[index] === '}'
              ? 'Trailing comma before "}": remove the last comma.'
              : `Unexpected ${describe(index)}: expected a property name in double quotes.`,
          );
        }
        string();
        skipSpace();
        if (text[index] !== ':') fail(`Unexpected ${describe(index)}: expected ":" after the property name.`);
        index += 1;
        value();
        skipSpace();
        if (text[index] === ',') {
          index += 1;
          continue;
        }
        if (text[index] === '}') {
          index += 1;
          return;
        }
        fail(`Unexpected ${describe(index)}: expected "," or "}" after a property.`);
      }
    }
    if (char === '[') {
      index += 1;
      skipSpace();
      if (text[index] === ']') {
        index += 1;
        return;
      }
      while (true) {
        skipSpace();
        if (text[index] === ']') fail('Trailing comma before "]": remove the last comma.');
        value();
        skipSpace();
        if (text[index] === ',') {
          index += 1;
          continue;
        }
        if (text[index] === ']') {
          index += 1;
          return;
        }
        fail(`Unexpected ${describe(index)}: expected "," or "]" after an item.`);
      }
    }
    if (char === '"') {
      string();
      return;
    }
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      number();
      return;
    }
    const word = char === 't' ? 'true' : char === 'f' ? 'false' : char === 'n' ? 'null' : undefined;
    if (word !== undefined) {
      literal(word);
      return;
    }
    if (char === "'") fail('Strings and property names need double quotes, not single quotes.');
    if (char === undefined) fail('The JSON ends too early: close every string, object and array.');
    fail(
      `Unexpected ${describe(index)}: expected a value (string, number, object, array, true, false or null). Strings need double quotes.`,
    );
  };
  try {
    value();
    skipSpace();
    if (index < text.length) fail(`Unexpected ${describe(index)} after the end of the JSON value.`);
  } catch (problem) {
    if (typeof problem === 'object' && problem !== null && 'offset' in problem) return problem as SyntaxProblem;
    throw problem;
  }
  return { offset: text.length, message: 'Invalid JSON.' };
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

/**
 * Parses JSON text typed by a person. On failure, answers one issue with the 1-based
 * line and column and a message that says what to fix.
 */
export function parseJsonInput(text: string): JsonParseResult {
  if (text.trim() === '') {
    return {
      ok: false,
      issue: {
        path: [],
        code: 'json_syntax',
        message: 'The input is empty. Type a JSON value, e.g. {}.',
        line: 1,
        column: 1,
      },
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const problem = findSyntaxProblem(text);
    const { line, column } = lineColumn(text, problem.offset);
    return { ok: false, issue: { path: [], code: 'json_syntax', message: problem.message, line, column } };
  }
}
