// A credential right after an escape sequence of JSON (or a JS/C string): `"…\nsk-…"`. A text scan
// sees the escape's last character (`n`) glued to the key, so a shape that must not start inside
// a word (`notAfter`) skipped it. Found in tapes: a prompt holding `JSON.stringify(input)` with a
// multi-line value kept the key on the tape and in the logs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact';
import { chunk, cuts, MARK, shaped } from './redaction-generators.test-support';
import { createStreamRedactor } from './stream-redactor';

const KEY = `sk-proj-${'a1B2c3D4'.repeat(4)}`;
const GITHUB = `ghp_${'x9Y8'.repeat(9)}`;

/** The escape sequences JSON writes for control characters, plus JS's `\v`, `\0` and `\x..`. */
const ESCAPES = ['\\n', '\\r', '\\t', '\\b', '\\f', '\\v', '\\0', '\\u000a', '\\u2028', '\\x0A', '\\/'];
const escapeSequence = fc.constantFrom(...ESCAPES);
/** Text before the escape (never the marker). */
const words = fc.string({ unit: fc.constantFrom(...'abc xyz:=,.'.split('')), maxLength: 8 });

describe('a credential right after an escape sequence (JSON text, string literals)', () => {
  it('is redacted in JSON text of a multi-line value', () => {
    const text = JSON.stringify({ note: `first line\n${KEY}`, tabbed: `a\t${GITHUB}` });
    const redacted = createRedactor().redactString(text);
    expect(redacted).not.toContain(KEY);
    expect(redacted).not.toContain(GITHUB);
    // The escape itself is kept: only the credential goes.
    expect(redacted).toContain('first line\\n[REDACTED]');
  });

  it('after every escape JSON and JS write, shape by shape', () => {
    for (const sequence of ESCAPES) {
      const redacted = createRedactor().redactString(`{"a":"x${sequence}${KEY}"} and ${sequence}${GITHUB}`);
      expect(redacted, sequence).not.toContain(KEY.slice(3));
      expect(redacted, sequence).not.toContain(GITHUB.slice(4));
    }
  });

  it('a word before a key still keeps it as a word (the boundary rule is unchanged elsewhere)', () => {
    const redactor = createRedactor();
    expect(redactor.redactString(`task-${KEY.slice(3)}`)).toBe(`task-${KEY.slice(3)}`);
    expect(redactor.redactString(`xnsk-${KEY.slice(3)}`)).toBe(`xnsk-${KEY.slice(3)}`);
  });

  it('any shaped credential after any escape is redacted, as a whole text and as a stream cut anywhere (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(words, escapeSequence, shaped), { minLength: 1, maxLength: 4 }),
        cuts,
        (parts, points) => {
          const text = parts.map(([before, sequence, secret]) => `"${before}${sequence}${secret}" `).join('');
          const redactor = createRedactor();
          const whole = redactor.redactString(text);
          expect(whole).not.toContain(MARK);
          const stream = createStreamRedactor(redactor);
          let streamed = '';
          for (const piece of chunk(text, points)) streamed += stream.push(piece);
          streamed += stream.flush();
          expect(streamed).toBe(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('JSON.stringify of any value holding a credential after a control character leaks nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('\n', '\r', '\t', '\b', '\f', '\u2028', '\u0000'),
        shaped,
        words,
        (control, secret, before) => {
          const text = JSON.stringify({ value: `${before}${control}${secret}`, list: [`${control}${secret}`] });
          expect(createRedactor().redactString(text)).not.toContain(MARK);
        },
      ),
      { numRuns: 300 },
    );
  });
});
