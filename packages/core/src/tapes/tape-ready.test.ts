// The replay's fast path: at speed 0, a hit on a tape already loaded is answered with no promise
// (the executor reads it through the private ready-answer mark). It must answer exactly what the
// async path answers, and step aside whenever that path has something to decide.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AgentryError } from '../errors';
import { createExecutor, defineAgent } from '../index';
import type { ProviderEvent } from '../providers';
import { answerNowOf, ReadyEvents } from '../providers/ready-answer';
import { recordingMockProvider } from '../testing';
import { recordTapes } from './record-tapes';
import { tapeProvider } from './tape-provider';
import { createMemoryTapeStore } from './tape-store';
import { collect, context, failure, request, TENANT_A, TENANT_B } from './tapes.test-support';

const ANSWER: ProviderEvent[] = [
  { type: 'text-delta', delta: 'A fox, ' },
  { type: 'text-delta', delta: 'quick and brown.' },
  { type: 'usage', usage: { inputTokens: 21, outputTokens: 7 } },
  { type: 'finish', finishReason: 'stop', model: 'gpt-4.1-mini-2025-04-14', requestId: 'req_1' },
];

async function recordedStore(answers: (ProviderEvent[] | AgentryError)[] = [ANSWER]) {
  const store = createMemoryTapeStore();
  const recorder = recordTapes(recordingMockProvider({ id: 'openai', stream: answers }), { store });
  for (let attempt = 1; attempt <= answers.length; attempt++) {
    await collect(recorder, request({ attempt })).catch(() => undefined);
  }
  return store;
}

describe('tapeProvider at speed 0: a hit on a loaded tape is answered at once', () => {
  it('answers execute() and stream() at once, with what the async path answers', async () => {
    const store = await recordedStore();
    const tapes = tapeProvider({ store }, { speed: 0 });
    const answerNow = answerNowOf(tapes);
    if (answerNow === undefined) throw new Error('the tape provider has no ready answer');

    // Not loaded yet: the async path, for either kind of call (it loads the tape).
    expect(tapes.stream?.(request({ executionId: 'exe_1' }), context())).not.toBeInstanceOf(ReadyEvents);
    const first = answerNow(request({ executionId: 'exe_2' }), context());
    expect(first).toBeInstanceOf(Promise);
    const viaPromise = await first;

    // Loaded: the same answer, no promise; the same events, already settled.
    const now = answerNow(request({ executionId: 'exe_3' }), context());
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toEqual(viaPromise);
    expect(now).toEqual(await tapes.execute(request({ executionId: 'exe_4' }), context()));
    const stream = tapes.stream?.(request({ executionId: 'exe_5' }), context());
    expect(stream).toBeInstanceOf(ReadyEvents);
    expect(await collect(tapes, request({ executionId: 'exe_6' }))).toEqual(ANSWER);
    expect(tapes.usageSourceOf?.('exe_3')).toBe('recorded');
    expect(tapes.usageSourceOf?.('exe_5')).toBe('recorded');
  });

  it('picks the recorded attempt of a retry, and throws a recorded failure as the same error', async () => {
    const rateLimited = new AgentryError('rate_limited', 'Rate limit reached', {
      provider: 'openai',
      retryAfterMs: 1500,
    });
    const store = await recordedStore([rateLimited, ANSWER]);
    const tapes = tapeProvider({ store }, { speed: 0 });
    const answerNow = answerNowOf(tapes);
    if (answerNow === undefined) throw new Error('the tape provider has no ready answer');
    await tapes.execute(request({ attempt: 2 }), context());

    expect(() => answerNow(request({ attempt: 1 }), context())).toThrow(
      expect.objectContaining({ code: 'rate_limited', message: 'Rate limit reached', retryAfterMs: 1500 }),
    );
    expect(answerNow(request({ attempt: 2 }), context())).toMatchObject({ text: 'A fox, quick and brown.' });
    // An attempt beyond the recording gets the last one before it.
    expect(answerNow(request({ attempt: 5 }), context())).toMatchObject({ text: 'A fox, quick and brown.' });
    // A stream whose recording ends in an error is replayed by the async path, error included.
    expect(await failure(collect(tapes, request({ attempt: 1 })))).toMatchObject({ code: 'rate_limited' });
  });

  it('leaves a miss, another tenant, and a replay that waits to the async path', async () => {
    const store = await recordedStore();
    const tapes = tapeProvider({ store }, { speed: 0 });
    const answerNow = answerNowOf(tapes);
    if (answerNow === undefined) throw new Error('the tape provider has no ready answer');
    await tapes.execute(request(), context());

    const miss = answerNow(request({ model: 'gpt-4.1' }), context());
    expect(miss).toBeInstanceOf(Promise);
    expect(await failure(miss as Promise<unknown>)).toMatchObject({ message: expect.stringMatching(/No recording/) });
    // Tenant B's tape is another tape: not loaded, and empty.
    const other = answerNow(request(), context(TENANT_B));
    expect(other).toBeInstanceOf(Promise);
    await expect(other).rejects.toThrow(/no recordings for this agent and tenant/);

    const timed = tapeProvider({ store }, { speed: 1 });
    await timed.execute(request(), context(TENANT_A));
    expect(answerNowOf(timed)?.(request(), context(TENANT_A))).toBeInstanceOf(Promise);
    expect(timed.stream?.(request(), context(TENANT_A))).not.toBeInstanceOf(ReadyEvents);
  });

  it('answers at once what was recorded after a miss', async () => {
    const store = await recordedStore();
    const live = recordingMockProvider({ id: 'openai', stream: [[{ type: 'text-delta', delta: 'newer' }]] });
    const auto = tapeProvider({ store }, { onMiss: 'record', live, speed: 0 });
    const answerNow = answerNowOf(auto);
    if (answerNow === undefined) throw new Error('the tape provider has no ready answer');
    await auto.execute(request(), context());

    const other = request({ model: 'gpt-4.1' });
    expect((await collect(auto, other))[0]).toEqual({ type: 'text-delta', delta: 'newer' });
    // Re-read after the recording: the new entry answers (first through the async path, which reloads).
    expect(await auto.execute(other, context())).toMatchObject({ text: 'newer' });
    expect(answerNow(other, context())).toMatchObject({ text: 'newer' });
    expect(answerNow(request(), context())).toMatchObject({ text: 'A fox, quick and brown.' });
    expect(live.calls).toHaveLength(1);
  });

  it('is not taken by a copy whose execute was replaced (a wrapper sees every call)', async () => {
    const store = await recordedStore();
    const tapes = tapeProvider({ store }, { speed: 0 });
    await tapes.execute(request(), context());
    const wrapped = { ...tapes, execute: tapes.execute };
    expect(answerNowOf(wrapped)).toBeUndefined();
  });

  it('replays through the executor the same, run after run, with usage marked as recorded', async () => {
    const store = createMemoryTapeStore();
    const agent = defineAgent({
      id: 'summarize',
      name: 'Summarize',
      input: z.object({ text: z.string() }),
      model: { provider: 'openai', model: 'gpt-4.1-mini' },
      prompt: (input) => `Summarize: ${input.text}`,
      mock: () => 'mocked',
    });
    const live = recordingMockProvider({ id: 'openai', stream: [ANSWER] });
    const recording = createExecutor({ agents: [agent], providers: { openai: recordTapes(live, { store }) } });
    const run = {
      agentId: 'summarize',
      input: { text: 'The quick brown fox.' },
      mode: 'live',
      tenant: TENANT_A,
    } as const;
    for await (const _event of recording.stream(run));

    const replaying = createExecutor({ agents: [agent], providers: { openai: tapeProvider({ store }, { speed: 0 }) } });
    const results = [];
    for (let index = 0; index < 3; index++) results.push(await replaying.execute(run));
    const streamed = [];
    for await (const event of replaying.stream(run)) streamed.push(event.type);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'succeeded', output: 'A fox, quick and brown.' });
      expect(result.metrics).toMatchObject({ inputTokens: 21, outputTokens: 7, usageSource: 'recorded' });
    }
    expect(streamed.filter((type) => type === 'output-delta')).toHaveLength(2);
    expect(streamed.at(-1)).toBe('execution-finish');
    expect(live.calls).toHaveLength(1);
  });
});
