// Real wire recordings (test/fixtures/openai, test/fixtures/anthropic; sources in
// test/fixtures/README.md) recorded as tapes through the real OpenAI and Anthropic adapters, with
// msw at the wire, and the committed tapes (test/fixtures/tapes) replayed through the executor.
// To re-record the committed tapes: AGENTRY_TAPES=record vitest run --project unit <this file>.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent } from '../index';
import { anthropicProvider } from '../providers/anthropic';
import { openaiProvider } from '../providers/openai';
import { createAnthropicMock, createOpenAIMock } from '../testing';
import { createDirectoryTapeStore } from './directory-tape-store';
import { recordTapes } from './record-tapes';
import { tapeProvider } from './tape-provider';
import { createMemoryTapeStore, type TapeStore } from './tape-store';
import type { TapeEntry } from './tape-types';
import { readTapeMode } from './with-tapes';

const TAPES = fileURLToPath(new URL('../../test/fixtures/tapes', import.meta.url));
const OPENAI_KEY = 'sk-proj-tapes0123456789abcdefSECRET';
const ANTHROPIC_KEY = 'sk-ant-api03-tapes0123456789abcdefSECRET';
const tenant = { tenantId: 'ws_demo', userId: 'user_1' };

const wire = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
/** The recorded body as the server sent it, one SSE event per chunk. */
const sseChunks = (text: string) => text.split(/(?<=\n\n)/);
/** Realistic pacing for the recording: a first token after 420 ms, then 35 ms per event. */
const pacing = (count: number) => Array.from({ length: count }, (_, index) => (index === 0 ? 420 : 35));

const capital = defineAgent({
  id: 'capital',
  name: 'Capital',
  input: z.object({ country: z.string() }),
  model: { provider: 'openai', model: 'gpt-4o-mini', maxOutputTokens: 64 },
  prompt: ({ country }) => [
    { role: 'system', content: 'Answer in one sentence.' },
    { role: 'user', content: `What is the capital of ${country}?` },
  ],
});
const arithmetic = defineAgent({
  id: 'arithmetic',
  name: 'Arithmetic',
  input: z.object({ question: z.string() }),
  model: { provider: 'anthropic', model: 'claude-sonnet-4-5', maxOutputTokens: 64 },
  prompt: ({ question }) => [{ role: 'user', content: `${question} Answer with the number only.` }],
});
const agents = [capital, arithmetic];
const runs = [
  { agentId: 'capital', input: { country: 'the UK' } },
  { agentId: 'arithmetic', input: { question: 'What is 1 + 1?' } },
] as const;

const openai = createOpenAIMock();
const anthropic = createAnthropicMock();
const server = setupServer(...openai.handlers, ...anthropic.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  openai.reset();
  anthropic.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

async function collect(iterable: AsyncIterable<ExecutionEvent>): Promise<ExecutionEvent[]> {
  const events: ExecutionEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
}

/** An entry without what changes from one recording to the next (when, how fast). */
const timeless = ({ recordedAt: _at, durationMs: _duration, events, error, ...entry }: TapeEntry) => ({
  ...entry,
  events: events.map(({ atMs: _atMs, ...event }) => event),
  error: error && { ...error, atMs: 0 },
});

/** Records the two runs into `store`; `paced` sends the wire recordings at a realistic pace (for the committed tapes). */
async function recordAll(store: TapeStore, paced = false): Promise<void> {
  openai.reset();
  anthropic.reset();
  const openaiBody = sseChunks(wire('openai/chat-completion-stream-include-usage.sse'));
  const anthropicBody = sseChunks(wire('anthropic/messages-text-stream.sse'));
  openai.reply({ type: 'raw', body: openaiBody, chunkDelayMs: paced ? pacing(openaiBody.length) : 0 });
  anthropic.reply({ type: 'raw', body: anthropicBody, chunkDelayMs: paced ? pacing(anthropicBody.length) : 0 });
  const executor = createExecutor({
    agents,
    providers: {
      openai: recordTapes(openaiProvider({ apiKey: OPENAI_KEY }), { store }),
      anthropic: recordTapes(anthropicProvider({ apiKey: ANTHROPIC_KEY }), { store }),
    },
    limits: { maxRetries: 0 },
  });
  for (const run of runs) {
    const events = await collect(executor.stream({ ...run, mode: 'live', tenant }));
    expect(events.at(-1)?.type).toBe('execution-finish');
  }
}

describe('tapes recorded from real wire recordings', () => {
  it('recording the wire recordings through the real adapters gives the committed tapes (timing aside)', {
    timeout: 20_000,
  }, async () => {
    const committed = createDirectoryTapeStore({ dir: TAPES });
    const fresh = createMemoryTapeStore();
    // Unpaced first: it also loads the SDKs, so a paced recording measures the stream alone.
    await recordAll(fresh);
    if (readTapeMode('replay') === 'record') await recordAll(committed, true);
    expect(fresh.tapes()).toHaveLength(2);
    for (const { address, entries } of fresh.tapes()) {
      expect((await committed.read(address)).map(timeless)).toEqual(entries.map(timeless));
    }
    const text = readFileSync(`${TAPES}/ws_demo/capital.tape.json`, 'utf8');
    expect(text).not.toContain('tapes0123456789');
  });

  it('replays through the executor without a network call: output, usage and cost from the tape', async () => {
    const executor = createExecutor({
      agents,
      providers: {
        openai: tapeProvider({ dir: TAPES }, { live: openaiProvider({ apiKey: OPENAI_KEY }), speed: 0 }),
        anthropic: tapeProvider({ dir: TAPES }, { live: anthropicProvider({ apiKey: ANTHROPIC_KEY }), speed: 0 }),
      },
    });
    const [uk, sum] = await Promise.all(runs.map((run) => executor.execute({ ...run, mode: 'live', tenant })));
    expect(uk).toMatchObject({
      status: 'succeeded',
      mode: 'live',
      output: 'The capital of the UK is London.',
      metrics: {
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        inputTokens: 78,
        outputTokens: 9,
        finishReason: 'stop',
        simulated: false,
      },
    });
    expect(uk?.metrics.costUsd).toBeGreaterThan(0);
    expect(sum).toMatchObject({
      status: 'succeeded',
      output: '2',
      metrics: { provider: 'anthropic', inputTokens: 20, outputTokens: 5, rawFinishReason: 'end_turn' },
    });
    expect(openai.requests).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
  });

  /** The run's time to first output when replayed at `speed` on fake time. */
  async function timeToFirstOutput(speed: number): Promise<number | null> {
    // Files are read before time is faked (file I/O does not run on fake time).
    const store = createMemoryTapeStore();
    const address = { tenantId: 'ws_demo', agentId: 'capital' };
    await store.write(address, await createDirectoryTapeStore({ dir: TAPES }).read(address));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
    const executor = createExecutor({ agents, providers: { openai: tapeProvider({ store }, { speed }) } });
    const done = collect(executor.stream({ ...runs[0], mode: 'live', tenant }));
    await vi.advanceTimersByTimeAsync(10_000);
    const events = await done;
    vi.useRealTimers();
    const finish = events.at(-1);
    if (finish?.type !== 'execution-finish') throw new Error(`the run did not finish: ${JSON.stringify(finish)}`);
    expect(events.filter((event) => event.type === 'output-delta').length).toBeGreaterThan(3);
    return finish.result.metrics.timeToFirstOutputMs;
  }

  it('streams with the recorded timing: the first output arrives when it did live, scaled by speed', async () => {
    const [entry] = await createDirectoryTapeStore({ dir: TAPES }).read({ tenantId: 'ws_demo', agentId: 'capital' });
    const times = (entry?.events ?? []).filter((event) => event.type === 'text-delta').map((event) => event.atMs);
    const asRecorded = await timeToFirstOutput(1);
    // The executor releases its first output with the first or the second delta (it holds a tail
    // that could start a secret), so the first output comes at one of their recorded times.
    expect(times.slice(0, 2)).toContain(asRecorded);
    // Timers count whole milliseconds.
    expect(Math.abs(((await timeToFirstOutput(2)) as number) - (asRecorded as number) / 2)).toBeLessThanOrEqual(1);
    expect(await timeToFirstOutput(0)).toBe(0);
  });

  it('a changed prompt misses with the difference shown, and never reaches the network', async () => {
    const executor = createExecutor({
      agents,
      providers: { openai: tapeProvider({ dir: TAPES }, { live: openaiProvider({ apiKey: OPENAI_KEY }) }) },
    });
    const result = await executor.execute({ agentId: 'capital', input: { country: 'France' }, mode: 'live', tenant });
    if (result.status !== 'failed') throw new Error('expected a miss');
    expect(result.error.message).toContain(
      'messages[1].content: "…t is the capital of the UK?" (recorded) → "…t is the capital of France?" (requested)',
    );
    expect(result.error.message).toContain('input.country: "the UK" (recorded) → "France" (requested)');
    expect(openai.requests).toHaveLength(0);
  });
});
