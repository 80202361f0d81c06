// Finds what is wrong with JSON text, and where, in the same words in every browser and
// runtime (engines' JSON.parse messages differ, and V8's often carry no position). The scanner
// keeps its own stack of open arrays and objects instead of recursing, so no document, however
// deeply nested, can exhaust the call stack; and it stops at `maxDepth`.

/** What the scanner found: an offset into the text, a message, and the issue code. */
export interface JsonTextProblem {
  /** 0-based offset of the character where the problem is. */
  offset: number;
  message: string;
  code: 'json_syntax' | 'json_too_deep' | 'json_number_too_large';
}

const OPEN_ARRAY = 0;
const OPEN_OBJECT = 1;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const ESCAPABLE = '"\\/bfnrt';
/** Characters a person cannot see or tell apart in a message: named by code point instead. */
function isInvisible(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0xa0) ||
    code === 0xad ||
    (code >= 0x2000 && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202f) ||
    (code >= 0x205f && code <= 0x206f) ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

function describeCharacter(text: string, at: number): string {
  if (at >= text.length) return 'the end of the input';
  const code = text.codePointAt(at) as number;
  if (!isInvisible(code)) return JSON.stringify(String.fromCodePoint(code));
  const name =
    code === 0xfeff
      ? ' (a byte order mark)'
      : code === 0
        ? ' (NUL)'
        : code >= 0xd800 && code <= 0xdfff
          ? ' (a lone surrogate)'
          : '';
  return `invisible character U+${code.toString(16).toUpperCase().padStart(4, '0')}${name}`;
}

const EXPECTED_VALUE =
  'expected a value (string, number, object, array, true, false or null). Strings need double quotes.';
const ENDS_EARLY = 'The JSON ends too early: close every string, object and array.';

/**
 * Scans JSON text and answers its first problem in text order, or `undefined` when it is a
 * valid JSON document that nests at most `maxDepth` arrays and objects and whose numbers
 * all fit in a double. Never recurses and never throws.
 */
export function findJsonTextProblem(text: string, maxDepth: number): JsonTextProblem | undefined {
  const length = text.length;
  let index = 0;
  const open: number[] = [];

  const syntax = (message: string, at = index): JsonTextProblem => ({
    offset: at,
    message: at >= length ? ENDS_EARLY : message,
    code: 'json_syntax',
  });
  const skipSpace = () => {
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return;
      index += 1;
    }
  };
  /** Reads a string starting at its opening quote. */
  const readString = (): JsonTextProblem | undefined => {
    const start = index;
    index += 1;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index += 1;
        return undefined;
      }
      if (code === 0x5c) {
        const next = text[index + 1];
        if (next === 'u') {
          HEX4.lastIndex = index + 2;
          if (!HEX4.test(text)) return syntax('Invalid \\u escape: expected four hex digits.');
          index += 6;
        } else if (next !== undefined && ESCAPABLE.includes(next)) index += 2;
        else return syntax(`Invalid escape "\\${next ?? ''}" in a string.`);
        continue;
      }
      if (code < 0x20) return syntax('Unescaped line break or control character in a string: use \\n.');
      index += 1;
    }
    return syntax('Unterminated string: add the closing double quote.', start);
  };
  /** Reads a property name and its colon, after `{` or `,` inside an object. */
  const readKey = (): JsonTextProblem | undefined => {
    skipSpace();
    if (text.charCodeAt(index) !== 0x22) {
      return syntax(
        text[index] === '}'
          ? 'Trailing comma before "}": remove the last comma.'
          : text[index] === "'"
            ? 'Strings and property names need double quotes, not single quotes.'
            : `Unexpected ${describeCharacter(text, index)}: expected a property name in double quotes.`,
      );
    }
    const problem = readString();
    if (problem) return problem;
    skipSpace();
    if (text[index] !== ':')
      return syntax(`Unexpected ${describeCharacter(text, index)}: expected ":" after the property name.`);
    index += 1;
    return undefined;
  };

  // Each turn reads one value; containers push themselves and the loop goes on inside them.
  while (true) {
    skipSpace();
    const char = text[index];
    if (char === '{' || char === '[') {
      if (open.length >= maxDepth) {
        return {
          offset: index,
          code: 'json_too_deep',
          message: `Arrays and objects are nested more than ${maxDepth} levels deep here. Flatten the JSON: at most ${maxDepth} levels are accepted.`,
        };
      }
      index += 1;
      skipSpace();
      const close = char === '{' ? '}' : ']';
      if (text[index] === close) {
        index += 1;
      } else {
        open.push(char === '{' ? OPEN_OBJECT : OPEN_ARRAY);
        if (char === '{') {
          const problem = readKey();
          if (problem) return problem;
        }
        continue;
      }
    } else if (char === '"') {
      const problem = readString();
      if (problem) return problem;
    } else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = index;
      const match = NUMBER.exec(text);
      if (!match) return syntax(`Invalid number at ${describeCharacter(text, index)}.`);
      const token = match[0];
      if (!Number.isFinite(Number(token))) {
        const shown = token.length > 24 ? `${token.slice(0, 20)}…` : token;
        return {
          offset: index,
          code: 'json_number_too_large',
          message: `The number ${shown} is too large: JSON numbers must fit in a double (at most about 1.8e308). Send it as a string.`,
        };
      }
      index += token.length;
    } else if (char === 't' || char === 'f' || char === 'n') {
      const word = char === 't' ? 'true' : char === 'f' ? 'false' : 'null';
      if (!text.startsWith(word, index))
        return syntax(`Unexpected ${describeCharacter(text, index)}: ${EXPECTED_VALUE}`);
      index += word.length;
    } else if (char === "'") {
      return syntax('Strings and property names need double quotes, not single quotes.');
    } else if (char === undefined) {
      return syntax(ENDS_EARLY);
    } else if (char === ']' && open.at(-1) === OPEN_ARRAY) {
      return syntax('Trailing comma before "]": remove the last comma.');
    } else {
      return syntax(`Unexpected ${describeCharacter(text, index)}: ${EXPECTED_VALUE}`);
    }

    // A value ended: close every container it completes, then expect the next item or the end.
    while (true) {
      skipSpace();
      const container = open.at(-1);
      if (container === undefined) {
        if (index < length)
          return syntax(`Unexpected ${describeCharacter(text, index)} after the end of the JSON value.`);
        return undefined;
      }
      const close = container === OPEN_OBJECT ? '}' : ']';
      if (text[index] === close) {
        open.pop();
        index += 1;
        continue;
      }
      if (text[index] !== ',') {
        return syntax(
          container === OPEN_OBJECT
            ? `Unexpected ${describeCharacter(text, index)}: expected "," or "}" after a property.`
            : `Unexpected ${describeCharacter(text, index)}: expected "," or "]" after an item.`,
        );
      }
      index += 1;
      if (container === OPEN_OBJECT) {
        const problem = readKey();
        if (problem) return problem;
      }
      break;
    }
  }
}
