import { describe, expect, it } from 'vitest';
import { canonicalJson, prettyCanonicalJson } from './canonical-json';
import { parseTapeFile, serializeTapeFile, TAPE_FORMAT_VERSION } from './tape-format';
import type { TapeEntry } from './tape-types';

const entry = (key: string, attempt = 1): TapeEntry => ({
  key: `sha256:${key.repeat(64).slice(0, 64)}`,
  attempt,
  provider: 'openai',
  call: 'stream',
  recordedAt: '2026-12-02T18:00:00.000Z',
  durationMs: 12,
  request: { agentId: 'summarize', model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] },
  events: [
    { atMs: 5, type: 'text-delta', delta: 'hello' },
    { atMs: 12, type: 'finish', finishReason: 'stop' },
  ],
});

const tape = (entries = [entry('b'), entry('a', 2), entry('a')]) =>
  serializeTapeFile({ tenantId: 'ws_1', agentId: 'summarize', entries });

describe('the tape file', () => {
  it('is pretty-printed JSON with sorted keys, sorted entries and a final newline, the same whatever the order', () => {
    const text = tape();
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').slice(0, 5)).toEqual([
      '{',
      '  "agentId": "summarize",',
      '  "entries": [',
      '    {',
      '      "attempt": 1,',
    ]);
    expect(text).toBe(tape([entry('a'), entry('b'), entry('a', 2)]));
    const parsed = parseTapeFile(text, 'summarize.tape.json');
    expect(parsed.entries.map((item) => [item.key.slice(7, 8), item.attempt])).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
    ]);
    expect(parsed).toMatchObject({ format: 'agentry-tape', version: TAPE_FORMAT_VERSION, tenantId: 'ws_1' });
  });

  it('refuses text that is not JSON, naming the file, the line and the column', () => {
    const broken = tape().replace('"delta": "hello"', '"delta": "hello",,');
    expect(() => parseTapeFile(broken, 'tapes/ws_1/summarize.tape.json')).toThrow(
      /^Tape tapes\/ws_1\/summarize\.tape\.json: is not valid JSON \(line \d+, column \d+\): .*record again/,
    );
  });

  it('refuses a hand edit that breaks the format, naming the file and the field', () => {
    const edited = tape().replace('"finishReason": "stop"', '"finishReason": "done"');
    expect(() => parseTapeFile(edited, 'a.tape.json')).toThrow(
      /Tape a\.tape\.json: does not match the tape format \(version 1\): \$\.entries\[0\]\.events\[1\]\.finishReason: /,
    );
    const typo = tape().replace('"content": "hi"', '"contnet": "hi"');
    expect(() => parseTapeFile(typo, 'a.tape.json')).toThrow(/\$\.entries\[0\]\.request\.messages\[0\]/);
    const badKey = tape().replace(/"key": "sha256:a+"/, '"key": "sha256:xyz"');
    expect(() => parseTapeFile(badKey, 'a.tape.json')).toThrow(
      /\$\.entries\[0\]\.key: Expected "sha256:" and 64 hex digits/,
    );
  });

  it('refuses a newer format version with the upgrade hint', () => {
    const newer = tape().replace(`"version": ${TAPE_FORMAT_VERSION}`, `"version": ${TAPE_FORMAT_VERSION + 1}`);
    expect(() => parseTapeFile(newer, 'a.tape.json')).toThrow(
      'Tape a.tape.json: has format version 2, newer than this @agentry/core reads (up to 1). Upgrade @agentry/core',
    );
  });

  it('refuses a JSON file that is not a tape', () => {
    expect(() => parseTapeFile('{"entries": []}', 'package.json')).toThrow(/is not an Agentry tape/);
    expect(() => parseTapeFile('[]', 'x.json')).toThrow(/is not an Agentry tape/);
  });

  it('errors are provider errors that are not retried', () => {
    try {
      parseTapeFile('nope', 'x.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'provider_error', retryable: false });
    }
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined members, and is the same for equal data', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}',
    );
    expect(prettyCanonicalJson({ b: 1, a: 2 })).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });

  it('refuses what JSON cannot hold, with its path', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('$.a[1] is NaN');
    expect(() => canonicalJson({ a: 1n })).toThrow('$.a is a bigint');
  });
});
