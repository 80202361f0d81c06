// A redactor remembers the strings it found clean and does not scan them again (redact.ts). What
// it answers must be what a redactor that remembers nothing answers, whatever was redacted
// before, and a secret added later must be found in a string remembered clean before it.
// Property-based; fast-check prints the seed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CleanStrings } from './clean-strings';
import { createRedactor } from './redact';
import { documents, filler, MARK } from './redaction-generators.test-support';

/** Texts with and without secrets, each asked about more than once, in any order. */
const asked = fc
  .array(
    fc.oneof(
      documents.map((document) => document.text),
      filler.map((parts) => parts.join('')),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((texts) => fc.array(fc.constantFrom(...texts), { minLength: texts.length, maxLength: 3 * texts.length }));

/** Plain words: no credential shape. */
const words = fc.stringMatching(/^[a-z ]{0,30}$/);

describe('redactString, with the clean strings it remembers', () => {
  it('answers as a redactor that remembers nothing, for texts asked again in any order', () => {
    fc.assert(
      fc.property(asked, (texts) => {
        const remembering = createRedactor();
        for (const text of texts) expect(remembering.redactString(text)).toBe(createRedactor().redactString(text));
      }),
      { numRuns: 300 },
    );
  });

  it('finds a secret added after a text holding it was found clean, also through redactValue', () => {
    fc.assert(
      fc.property(words, words, fc.stringMatching(/^[a-z0-9]{6,20}$/), (before, after, tail) => {
        const secret = `conf-${MARK}-${tail}`;
        const text = `${before} ${secret} ${after}`;
        const redactor = createRedactor();
        expect(redactor.redactString(text)).toContain(MARK);
        expect(redactor.redactValue({ note: text }).note).toContain(MARK);
        redactor.addSecrets([secret]);
        expect(redactor.redactString(text)).not.toContain(MARK);
        expect(redactor.redactValue({ note: text }).note).not.toContain(MARK);
      }),
      { numRuns: 200 },
    );
  });

  it('answers the same for long texts past the budget of what it keeps, a key among them found every time', () => {
    const redactor = createRedactor();
    const long = (index: number) => `${String(index).padStart(6, '0')} ${'plain words '.repeat(1300)}`;
    for (let round = 0; round < 2; round += 1)
      for (let index = 0; index < 40; index += 1) expect(redactor.redactString(long(index))).toBe(long(index));
    const withKey = `${long(1)} sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6`;
    expect(redactor.redactString(withKey)).not.toContain('Q7');
    expect(redactor.redactString(withKey)).not.toContain('Q7');
  });
});

describe('CleanStrings: what a redactor keeps', () => {
  it('keeps strings of the lengths it keeps, within its budget, forgetting them all when full', () => {
    const kept = new CleanStrings(3, 10, 25);
    kept.add('ab');
    kept.add('x'.repeat(11));
    expect(kept.chars).toBe(0);
    expect(kept.has('ab')).toBe(false);
    for (const text of ['aaaaaaaaaa', 'bbbbbbbbbb', 'bbbbbbbbbb']) kept.add(text);
    expect(kept.chars).toBe(20);
    expect(kept.has('aaaaaaaaaa') && kept.has('bbbbbbbbbb')).toBe(true);
    kept.add('cccccccccc');
    // 30 would pass 25: the first two are forgotten, the new one kept.
    expect(kept.chars).toBe(10);
    expect([kept.has('aaaaaaaaaa'), kept.has('bbbbbbbbbb'), kept.has('cccccccccc')]).toEqual([false, false, true]);
    kept.clear();
    expect(kept.chars).toBe(0);
    expect(kept.has('cccccccccc')).toBe(false);
  });

  it('never holds more than its budget, for any strings added', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 200 }), (texts) => {
        const kept = new CleanStrings(4, 30, 100);
        for (const text of texts) {
          kept.add(text);
          expect(kept.chars).toBeLessThanOrEqual(100);
          if (text.length >= 4 && text.length <= 30) expect(kept.has(text)).toBe(true);
        }
      }),
    );
  });
});
