import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProviderEvent } from '../providers';
import { recordingMockProvider, tapeDirectory, withTapes as withTapesFromTesting } from '../testing';
import { createMemoryTapeStore } from './tape-store';
import { collect, failure, request } from './tapes.test-support';
import { readTapeMode, withTapes } from './with-tapes';

afterEach(() => vi.unstubAllEnvs());

const ANSWER: ProviderEvent[] = [
  { type: 'text-delta', delta: 'recorded' },
  { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
  { type: 'finish', finishReason: 'stop' },
];

describe('AGENTRY_TAPES: the one switch', () => {
  it('replays by default, and a miss fails without calling the live provider', async () => {
    vi.stubEnv('AGENTRY_TAPES', '');
    const live = recordingMockProvider({ id: 'openai', stream: [ANSWER] });
    const provider = withTapes(live, { store: createMemoryTapeStore(), speed: 0 });
    expect(provider).not.toBe(live);
    expect((await failure(collect(provider, request()))).message).toContain('No recording on tape');
    expect(live.calls).toHaveLength(0);
  });

  it('record records every call; replay then answers from the tape; off is the live provider itself', async () => {
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ id: 'openai', stream: [ANSWER] });
    vi.stubEnv('AGENTRY_TAPES', 'record');
    await collect(withTapes(live, { store }), request());
    await collect(withTapes(live, { store }), request());
    expect(live.calls).toHaveLength(2);
    vi.stubEnv('AGENTRY_TAPES', 'replay');
    expect(await collect(withTapes(live, { store, speed: 0 }), request())).toEqual(ANSWER);
    expect(live.calls).toHaveLength(2);
    vi.stubEnv('AGENTRY_TAPES', 'OFF');
    expect(withTapes(live, { store })).toBe(live);
  });

  it('auto replays what is recorded and records what is missing', async () => {
    vi.stubEnv('AGENTRY_TAPES', 'auto');
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ id: 'openai', stream: [ANSWER] });
    const provider = withTapes(live, { store, speed: 0 });
    await collect(provider, request());
    await collect(provider, request());
    await collect(provider, request({ temperature: 0.5 }));
    expect(live.calls).toHaveLength(2);
    expect(store.tapes()[0]?.entries).toHaveLength(2);
  });

  it('the variable wins over defaultMode; an unknown value is refused with the choices', () => {
    vi.stubEnv('AGENTRY_TAPES', '');
    expect(readTapeMode('auto')).toBe('auto');
    vi.stubEnv('AGENTRY_TAPES', 'replay');
    expect(readTapeMode('auto')).toBe('replay');
    vi.stubEnv('AGENTRY_TAPES', 'playback');
    expect(() => withTapes(recordingMockProvider(), { store: createMemoryTapeStore() })).toThrow(
      'AGENTRY_TAPES must be one of record, replay, auto, off; got "playback".',
    );
  });

  it('@agentry/core/testing has the same switch, and a folder next to the test file', () => {
    expect(withTapesFromTesting).toBe(withTapes);
    expect(tapeDirectory('file:///repo/test/agents.test.ts')).toBe('/repo/test/__tapes__');
    expect(tapeDirectory('file:///repo/test/agents.test.ts', 'tapes/')).toBe('/repo/test/tapes');
    expect(() => tapeDirectory('https://example.com/x.test.ts')).toThrow(/a file: URL/);
  });
});
