import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPEN, OPEN_FIRST_CHARS } from './compile-shapes';
import { createMatcher, SHAPES_LOOK_BEHIND } from './matcher';
import { composeRedactors, createRedactor, type Redactor } from './redact';
import { chunk, configured, cuts, documents, lineDocuments, MARK } from './redaction-generators.test-support';
import { createStreamRedactor } from './stream-redactor';

function streamed(redactor: Redactor, chunks: readonly string[]): { released: string[]; held: number[] } {
  const stream = createStreamRedactor(redactor);
  const released: string[] = [];
  const held: number[] = [];
  for (const piece of chunks) {
    released.push(stream.push(piece));
    held.push(stream.held);
  }
  released.push(stream.flush());
  return { released, held };
}

const RUNS = { numRuns: 400 };

describe('stream redaction (property-based; fast-check prints the seed and the shrunk case on failure)', () => {
  it('for any text and any chunking, the released chunks join to exactly redactString(text)', () => {
    fc.assert(
      fc.property(documents, cuts, (document, points) => {
        const redactor = createRedactor(document.configured);
        const { released } = streamed(redactor, chunk(document.text, points));
        expect(released.join('')).toBe(redactor.redactString(document.text));
      }),
      RUNS,
    );
  });

  it('no prefix of the released text ever shows a secret on a line of its own, configured or shaped', () => {
    fc.assert(
      fc.property(lineDocuments, cuts, (document, points) => {
        const redactor = createRedactor(document.configured);
        const { released } = streamed(redactor, chunk(document.text, points));
        let prefix = '';
        for (const piece of released) {
          prefix += piece;
          expect(prefix).not.toContain(MARK);
          for (const secret of document.secrets) expect(prefix).not.toContain(secret);
        }
      }),
      RUNS,
    );
  });

  it("a matcher's look-behind: the shapes' bound, or the longest configured value but one character", () => {
    expect(createMatcher().lookBehind).toBe(SHAPES_LOOK_BEHIND);
    expect(createMatcher(['configured-1', 'a-longer-configured-value', 'short-1']).lookBehind).toBe(24);
    expect(createMatcher([]).lookBehind).toBe(0);
  });

  it('holds back at most the look-behind bound (or the longest configured secret)', () => {
    // Longer than the bound, so a stream that held everything would fail.
    const padding = 'Plain words, the basic idea, nothing more. '.repeat(40);
    fc.assert(
      fc.property(documents, cuts, (document, points) => {
        const redactor = createRedactor(document.configured);
        const bound = Math.max(SHAPES_LOOK_BEHIND, ...document.configured.map((value) => value.length - 1));
        const text = padding + document.text + padding;
        for (const held of streamed(redactor, chunk(text, [...points, ...points.map((point) => point * 7)])).held) {
          expect(held).toBeLessThanOrEqual(bound);
        }
      }),
      RUNS,
    );
  });

  it('releases as early as the text so far allows, whatever the chunking: the same as a fresh stream given that text whole', () => {
    // The upper bound above says a stream holds at most so much; this says it holds no more than
    // the text itself requires (a stream that held back more after some chunkings would fail).
    fc.assert(
      fc.property(documents, cuts, (document, points) => {
        const redactor = createRedactor(document.configured);
        const stream = createStreamRedactor(redactor);
        let released = '';
        let received = '';
        for (const piece of chunk(document.text, points)) {
          released += stream.push(piece);
          received += piece;
          const whole = createStreamRedactor(redactor);
          const wholeReleased = whole.push(received);
          expect({ released, held: stream.held }).toEqual({ released: wholeReleased, held: whole.held });
        }
      }),
      RUNS,
    );
  });

  it('after text that no secret can start or continue, nothing is held (fast-check)', () => {
    // `~` and newlines are in no shape and in none of the configured values generated here.
    const plain = '\n~~~~ ~~~~\n';
    fc.assert(
      fc.property(documents, cuts, (document, points) => {
        const redactor = createRedactor(document.configured);
        const stream = createStreamRedactor(redactor);
        let released = '';
        for (const piece of chunk(document.text, points)) released += stream.push(piece);
        released += stream.push(plain);
        expect(stream.held).toBe(0);
        expect(released).toBe(redactor.redactString(document.text + plain));
      }),
      RUNS,
    );
  });

  it('a configured value that begins with another is redacted whole, in a string and in a stream cut between them', () => {
    const short = 'tenant-key-4471';
    const long = 'tenant-key-4471-rotated-b';
    for (const secrets of [
      [short, long],
      [long, short],
    ]) {
      const redactor = createRedactor(secrets);
      const text = `old ${short}, new ${long}.`;
      expect(redactor.redactString(text)).toBe('old [REDACTED], new [REDACTED].');
      for (let cut = 0; cut <= text.length; cut += 1) {
        const stream = createStreamRedactor(redactor);
        const released = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut)) + stream.flush();
        expect({ cut, released }).toEqual({ cut, released: 'old [REDACTED], new [REDACTED].' });
      }
    }
  });

  it('one character at a time, the held tail is released as soon as it cannot be a secret', () => {
    const redactor = createRedactor();
    const stream = createStreamRedactor(redactor);
    expect(stream.push('Your key: sk-')).toBe('Your key: ');
    expect(stream.held).toBe(3);
    expect(stream.push('1')).toBe('');
    expect(stream.push(' is short. A')).toBe('sk-1 is short. ');
    // `A` could start `AKIA…` or `AIza…`; `Ab` cannot.
    expect(stream.push('b')).toBe('Ab');
    expect(stream.flush()).toBe('');
  });

  it('a Bearer or authorization value that arrives in the next chunk is still redacted', () => {
    const redactor = createRedactor();
    for (const [first, second] of [
      ['curl -H "Authorization: Bearer', ' abcdefgh12345678"'],
      ['Authorization:', ' Bearer abcdefgh12345678\n'],
      ['token: Bearer', ' abcdefgh12345678.'],
    ] as const) {
      const stream = createStreamRedactor(redactor);
      const out = stream.push(first) + stream.push(second) + stream.flush();
      expect(out).not.toContain('abcdefgh12345678');
      expect(out).toBe(redactor.redactString(first + second));
    }
  });

  it('a token run longer than the look-behind is redacted whole, never released in parts', () => {
    const redactor = createRedactor();
    const long = `ey${'A'.repeat(5000)}.eyB.sig`;
    const stream = createStreamRedactor(redactor);
    let out = '';
    for (let index = 0; index < long.length; index += 7) out += stream.push(long.slice(index, index + 7));
    out += stream.push(' after') + stream.flush();
    expect(out).toBe('[REDACTED] after');
    expect(redactor.redactString(`${long} after`)).toBe('[REDACTED] after');
    expect(createRedactor().redactString(`sk-${'x'.repeat(9000)} after`)).toBe('[REDACTED] after');
  });

  it('a token is redacted as soon as its fixed part is complete: none of its run is held, however long', () => {
    const redactor = createRedactor();
    for (const [start, run] of [
      ['key: sk-abcdefgh', 'x'],
      ['jwt eyJhbGciOiJIUzI1NiJ9.ey', 'J'],
      [`gh ghp_${'a'.repeat(36)}`, 'b'],
    ] as const) {
      const stream = createStreamRedactor(redactor);
      expect(stream.push(start)).toBe(`${start.slice(0, start.indexOf(' ') + 1)}[REDACTED]`);
      expect(stream.held).toBe(0);
      for (let index = 0; index < 50; index += 1) {
        expect(stream.push(run.repeat(100))).toBe('');
        expect(stream.held).toBe(0);
      }
      expect(stream.push(' done') + stream.flush()).toBe(' done');
    }
  });

  it('text after a configured value is released at once, also when the value ends the way another begins', () => {
    // `…-xy` ends in the first characters of the other value: the scan goes on after the match,
    // where `-be` can start neither.
    const stream = createStreamRedactor(createRedactor(['alpha-key-xy', 'xy-beta-secret']));
    expect(stream.push('alpha-key-xy-be')).toBe('[REDACTED]-be');
    expect(stream.held).toBe(0);
    expect(stream.push('ta') + stream.flush()).toBe('ta');
  });

  it('a complete key whose next character may still refuse it is held until that character comes', () => {
    const redactor = createRedactor();
    // A key id is not one when a letter or digit follows it.
    let stream = createStreamRedactor(redactor);
    expect(stream.push('id AKIALALEMEL33243OLIB')).toBe('id ');
    expect(stream.held).toBe(20);
    expect(stream.push('X more') + stream.flush()).toBe('AKIALALEMEL33243OLIBX more');
    stream = createStreamRedactor(redactor);
    expect(stream.push('id AKIALALEMEL33243OLIB')).toBe('id ');
    expect(stream.push(' ok') + stream.flush()).toBe('[REDACTED] ok');
    // So is a Google API key (exactly 35 characters after `AIza`).
    const google = `AIza${'SyNHxIf32IQ1a1yjl3ZJIqKZqzLAK1XhDk'.padEnd(35, '-')}`;
    stream = createStreamRedactor(redactor);
    expect(stream.push(`key=${google}`)).toBe('key=');
    expect(stream.held).toBe(39);
    expect(stream.push('X') + stream.flush()).toBe(`${google}X`);
    stream = createStreamRedactor(redactor);
    expect(stream.push(`key=${google}`) + stream.push('&x=1') + stream.flush()).toBe('key=[REDACTED]&x=1');
    // One character more and it is no key, whatever follows: released at once.
    stream = createStreamRedactor(redactor);
    expect(stream.push(`key=${google}1`)).toBe(`key=${google}1`);
    expect(stream.held).toBe(0);
    // URL credentials are complete at their `@`: nothing after it can change them.
    stream = createStreamRedactor(redactor);
    expect(stream.push('db: postgres://app:pw1secret@')).toBe('db: postgres://[REDACTED]@');
    expect(stream.held).toBe(0);
  });

  it('a key-like run glued to a word released in an earlier chunk stays as it is, as in one string', () => {
    const redactor = createRedactor();
    const stream = createStreamRedactor(redactor);
    expect(stream.push('password')).toBe('password');
    expect(stream.push('sk-abcdefghijk more') + stream.flush()).toBe('sk-abcdefghijk more');
    expect(redactor.redactString('passwordsk-abcdefghijk more')).toBe('passwordsk-abcdefghijk more');
  });

  it('a private key block is redacted from its BEGIN line to its END line, whatever the chunks', () => {
    const redactor = createRedactor();
    const pem = `note:\n-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAA\n'.repeat(60)}-----END OPENSSH PRIVATE KEY-----\nbye`;
    const { released } = streamed(redactor, chunk(pem, [5, 20, 31, 400, 1000, 1479, 1490]));
    expect(released.join('')).toBe('note:\n[REDACTED]\nbye');
  });

  // Cases fast-check found (seeds in the commit history), kept so they run every time.
  it.each([
    [
      'a shape glued after a match',
      '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----sk-eyJhbGciOiJIUzI1NiJ9. x',
      [],
    ],
    ['a redaction mark is not a password', 'postgres://user:apostgres://user:a@ x', []],
    ['a scheme that is itself a key', 'xapp-1-postgres://user:a@ x', []],
    [
      'a value is not a redaction mark',
      'x-api-key=-----BEGIN RSA PRIVATE KEY-----\n xoxb-Q7AAAAAA -----END PRIVATE KEY-----=',
      [],
    ],
    ['a configured value wins over an earlier shape', 'bearer\t AAAAAAAAAAAAAAA:Q7 ', ['AAAAAAAAAAAAAAA:Q7']],
  ])('found by fast-check: %s', (_name, text, values) => {
    const redactor = createRedactor(values);
    const once = redactor.redactString(text);
    expect(redactor.redactString(once)).toBe(once);
    expect(once).not.toContain('Q7');
    expect(streamed(redactor, [...text]).released.join('')).toBe(once);
  });

  it('is idempotent: redacting twice is redacting once', () => {
    fc.assert(
      fc.property(documents, (document) => {
        const redactor = createRedactor(document.configured);
        const once = redactor.redactString(document.text);
        expect(redactor.redactString(once)).toBe(once);
      }),
      RUNS,
    );
  });

  it('the one-pass pre-check never skips a text that holds a match', () => {
    fc.assert(
      fc.property(documents, (document) => {
        for (const matcher of [createMatcher(), createMatcher(document.configured)]) {
          if (!matcher.maybe(document.text)) expect(matcher.firstMatch(document.text, 0, false)).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('the pre-check does skip: text with no first literal of any shape is not looked at', () => {
    expect(createMatcher().maybe('The capital of France is Paris.')).toBe(false);
    expect(createMatcher().maybe('The capital of France is Paris, sk-')).toBe(true);
  });

  it('a composed redactor (executor + server secrets) streams exactly too', () => {
    fc.assert(
      fc.property(documents, configured, cuts, (document, extra, points) => {
        const composed = composeRedactors(createRedactor(extra), createRedactor(document.configured));
        const { released } = streamed(composed, chunk(document.text, points));
        expect(released.join('')).toBe(composed.redactString(document.text));
      }),
      { numRuns: 200 },
    );
  });

  it('a secret added to a composed redactor later is redacted in strings, values and streams', () => {
    const composed = composeRedactors(createRedactor(), createRedactor(['inner-secret-value']));
    const late = 'late-added-secret-42';
    expect(composed.redactString(`key ${late}`)).toBe(`key ${late}`);
    composed.addSecrets([late]);
    expect(composed.redactString(`key ${late} and inner-secret-value`)).toBe('key [REDACTED] and [REDACTED]');
    expect(composed.redactValue({ note: late })).toEqual({ note: '[REDACTED]' });
    const { released } = streamed(composed, ['key late-', 'added-sec', 'ret-42 done']);
    expect(released.join('')).toBe('key [REDACTED] done');
  });

  it('a redactor without createStream is still safe: it holds everything until flush', () => {
    const inner = createRedactor(['configured-secret-1']);
    const plain: Redactor = {
      redactString: (value) => inner.redactString(value),
      redactValue: (value) => inner.redactValue(value),
      addSecrets: () => {},
    };
    const stream = createStreamRedactor(plain);
    expect(stream.push('configured-')).toBe('');
    expect(stream.push('secret-1 ok')).toBe('');
    expect(stream.held).toBe('configured-secret-1 ok'.length);
    expect(stream.flush()).toBe('[REDACTED] ok');
    expect(stream.held).toBe(0);
    // Flushed means empty: the next message starts afresh.
    expect(stream.push('next')).toBe('');
    expect(stream.flush()).toBe('next');
  });

  it('a stream used again after flush starts afresh: nothing of the last message stays in front', () => {
    const stream = createStreamRedactor(createRedactor(['configured-secret-1']));
    expect(stream.push('')).toBe('');
    expect(stream.push('word') + stream.flush()).toBe('word');
    // `dAKIA…` would not be a key id (it starts mid-word); `AKIA…` at the start of a new message is.
    expect(stream.push('AKIALALEMEL33243OLIB ') + stream.flush()).toBe('[REDACTED] ');
    expect(stream.push('configured-') + stream.push('secret-1 ok') + stream.flush()).toBe('[REDACTED] ok');
  });
});

describe('the open-stretch pre-check', () => {
  it('OPEN never matches where the character cannot begin a shape (the table the stream skips by)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          documents.map((document) => document.text),
          fc.string({ maxLength: 60 }),
        ),
        (text) => {
          for (let at = 0; at < text.length; at += 1) {
            const code = text.charCodeAt(at);
            if (code >= 128 || OPEN_FIRST_CHARS[code] === 1) continue;
            OPEN.lastIndex = at;
            expect(OPEN.test(text), `OPEN matched at ${at} of ${JSON.stringify(text)}`).toBe(false);
          }
        },
      ),
      RUNS,
    );
    // And exactly: a character is in the table when OPEN matches it alone, in either case.
    for (let code = 0; code < 128; code += 1) {
      const char = String.fromCharCode(code);
      const opens = [char.toLowerCase(), char.toUpperCase()].some((form) => {
        OPEN.lastIndex = 0;
        return OPEN.test(form);
      });
      expect({ char, inTable: OPEN_FIRST_CHARS[code] === 1 }).toEqual({ char, inTable: opens });
    }
    // And the table is not all ones: it does skip.
    expect(OPEN_FIRST_CHARS.filter((value) => value === 0).length).toBeGreaterThan(32);
  });
});
