import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentryError } from '../errors';
import type { LogFields, Logger } from '../logging';
import { createRedactor } from '../logging';
import type { ProviderEvent } from '../providers';
import { recordingMockProvider } from '../testing';
import { recordTapes } from './record-tapes';
import { tapeKey, toTapeRequest } from './tape-key';
import { tapeProvider } from './tape-provider';
import { createMemoryTapeStore } from './tape-store';
import { collect, context, failure, request, TENANT_A, TENANT_B } from './tapes.test-support';

afterEach(() => vi.useRealTimers());

const ANSWER: ProviderEvent[] = [
  { type: 'text-delta', delta: 'A fox, ' },
  { type: 'text-delta', delta: 'quick and brown.' },
  { type: 'usage', usage: { inputTokens: 21, outputTokens: 7, cachedInputTokens: 3 } },
  {
    type: 'finish',
    finishReason: 'stop',
    rawFinishReason: 'stop',
    model: 'gpt-4.1-mini-2025-04-14',
    requestId: 'req_1',
  },
];

async function recorded(events: readonly ProviderEvent[] = ANSWER) {
  const store = createMemoryTapeStore();
  const live = recordingMockProvider({ id: 'openai', stream: [events] });
  await collect(recordTapes(live, { store }), request());
  return { store, live };
}

describe('tapeProvider: replay', () => {
  it('replays a recorded stream event for event, usage included, without calling the live provider', async () => {
    const { store } = await recorded();
    const live = recordingMockProvider({ id: 'openai', stream: [['live!']] });
    const tapes = tapeProvider({ store }, { live, speed: 0 });
    expect(await collect(tapes, request({ executionId: 'exe_other', attempt: 1 }))).toEqual(ANSWER);
    expect(live.calls).toHaveLength(0);
    expect(tapes.id).toBe('openai');
    expect(tapes.usageSource).toBe('recorded');
  });

  it('answers execute() from a streamed recording, and stream() from a complete one', async () => {
    const { store } = await recorded();
    const tapes = tapeProvider({ store }, { speed: 0 });
    expect(await tapes.execute(request(), context())).toEqual({
      text: 'A fox, quick and brown.',
      usage: { inputTokens: 21, outputTokens: 7, cachedInputTokens: 3 },
      finishReason: 'stop',
      rawFinishReason: 'stop',
      model: 'gpt-4.1-mini-2025-04-14',
      requestId: 'req_1',
    });

    const completeStore = createMemoryTapeStore();
    const live = recordingMockProvider({
      id: 'openai',
      execute: { text: '{"ok":true}', object: { ok: true }, usage: { inputTokens: 5, outputTokens: 2 } },
    });
    await recordTapes(live, { store: completeStore }).execute(request(), context());
    const events = await collect(tapeProvider({ store: completeStore }, { speed: 0 }), request());
    expect(events).toEqual([
      { type: 'text-delta', delta: '{"ok":true}' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'finish', finishReason: 'stop', model: 'gpt-4.1-mini', object: { ok: true } },
    ]);
  });

  it('records and replays tool calls and tool-result messages', async () => {
    const toolCall = { id: 'call_1', name: 'get_capital', argsText: '{"country":"France"}' };
    const step2 = request({
      tools: [{ name: 'get_capital', description: 'Capital of a country', inputSchema: { type: 'object' } }],
      messages: [
        { role: 'user', content: 'Capital of France?' },
        { role: 'assistant', content: '', toolCalls: [toolCall] },
        { role: 'tool', toolCallId: 'call_1', toolName: 'get_capital', content: '"Paris"' },
      ],
    });
    const store = createMemoryTapeStore();
    const answer: ProviderEvent[] = [
      { type: 'tool-call', toolCall: { id: 'call_2', name: 'get_capital', argsText: '{"country":"Spain"}' } },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12 } },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    await collect(recordTapes(recordingMockProvider({ stream: [answer] }), { store }), step2);
    const [tape] = store.tapes();
    expect(tape?.entries[0]?.request.messages).toEqual(step2.messages);
    expect(tape?.entries[0]?.request.tools).toEqual(step2.tools);
    expect(await collect(tapeProvider({ store }, { speed: 0 }), step2)).toEqual(answer);
    expect((await tapeProvider({ store }, { speed: 0 }).execute(step2, context())).toolCalls).toEqual([
      answer[0]?.type === 'tool-call' && answer[0].toolCall,
    ]);
  });

  it('ignores the volatile fields (execution id, attempt beyond the recording, seed, the mock options)', async () => {
    const { store } = await recorded();
    const tapes = tapeProvider({ store }, { speed: 0 });
    const varied = request({ executionId: 'exe_9', attempt: 3, seed: 42, providerOptions: {} });
    expect(await collect(tapes, varied)).toEqual(ANSWER);
  });

  it('keyFields chooses what counts: with seed in the key, another seed misses', async () => {
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ stream: [ANSWER] });
    await collect(recordTapes(live, { store }, { keyFields: ['messages', 'model', 'seed'] }), request({ seed: 1 }));
    const tapes = tapeProvider({ store }, { keyFields: ['messages', 'model', 'seed'], speed: 0 });
    expect(await collect(tapes, request({ seed: 1, input: { other: true } }))).toEqual(ANSWER);
    const miss = await failure(collect(tapes, request({ seed: 2 })));
    expect(miss.message).toContain('seed: 1 (recorded) → 2 (requested)');
    expect(() => tapeProvider({ store }, { keyFields: ['executionId' as 'seed'] })).toThrow(/not one of/);
  });

  it('replays a failed call as the same error, and a retried call attempt by attempt', async () => {
    const store = createMemoryTapeStore();
    const rateLimited = new AgentryError('rate_limited', 'Rate limit reached', {
      provider: 'openai',
      requestId: 'req_429',
      retryAfterMs: 1500,
    });
    const live = recordingMockProvider({ id: 'openai', stream: [rateLimited, ANSWER] });
    const recorder = recordTapes(live, { store });
    await failure(collect(recorder, request({ attempt: 1 })));
    await collect(recorder, request({ attempt: 2 }));

    const tapes = tapeProvider({ store }, { speed: 0 });
    const first = await failure(collect(tapes, request({ attempt: 1, executionId: 'exe_2' })));
    expect(first).toMatchObject({
      code: 'rate_limited',
      message: 'Rate limit reached',
      retryable: true,
      status: 429,
      provider: 'openai',
      retryAfterMs: 1500,
    });
    expect(await collect(tapes, request({ attempt: 2, executionId: 'exe_2' }))).toEqual(ANSWER);
    await expect(tapes.execute(request({ attempt: 1 }), context())).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('does not record a call the caller cancelled', async () => {
    const store = createMemoryTapeStore();
    const controller = new AbortController();
    const live = recordingMockProvider({
      stream: async function* (_request, providerContext) {
        yield { type: 'text-delta', delta: 'partial' };
        controller.abort();
        throw providerContext.signal.reason;
      },
    });
    await expect(
      collect(recordTapes(live, { store }), request(), context(TENANT_A, controller.signal)),
    ).rejects.toThrow();
    expect(store.tapes()).toEqual([]);
  });
});

describe('tapeProvider: a miss', () => {
  it('fails loudly by default, naming the tape and showing the differing fields against the nearest recording', async () => {
    const { store } = await recorded();
    const live = recordingMockProvider({ id: 'openai', stream: [['live!']] });
    const tapes = tapeProvider({ store }, { live, speed: 0 });
    const changed = request({
      messages: [
        { role: 'system', content: 'Summarize in five words.' },
        { role: 'user', content: 'The quick brown fox jumps.' },
      ],
      temperature: 0.2,
    });
    const miss = await failure(collect(tapes, changed));
    expect(miss.code).toBe('provider_error');
    expect(miss.retryable).toBe(false);
    expect(miss.message).toContain(
      'No recording on tape memory:ws_a/summarize matches this request of agent "summarize"',
    );
    expect(miss.message).toContain('differs in 2 values');
    expect(miss.message).toContain(
      'messages[1].content: "The quick brown fox." (recorded) → "The quick brown fox jumps." (requested)',
    );
    expect(miss.message).toContain('temperature: (absent) (recorded) → 0.2 (requested)');
    expect(miss.message).toContain('AGENTRY_TAPES=record');
    expect(live.calls).toHaveLength(0);
  });

  it('says so when the tape is empty', async () => {
    const miss = await failure(tapeProvider({ store: createMemoryTapeStore() }).execute(request(), context()));
    expect(miss.message).toContain('The tape has no recordings for this agent and tenant.');
  });

  it('never serves one tenant the recordings of another, nor shows them in the diff', async () => {
    const { store } = await recorded();
    const tapes = tapeProvider({ store }, { speed: 0 });
    expect(await collect(tapes, request(), context(TENANT_A))).toEqual(ANSWER);
    const miss = await failure(collect(tapes, request(), context(TENANT_B)));
    expect(miss.message).toContain('memory:ws_b/summarize');
    expect(miss.message).toContain('The tape has no recordings');
    expect(miss.message).not.toContain('quick brown fox');
    // Nor through the nearest policy.
    await expect(
      collect(tapeProvider({ store }, { onMiss: 'nearest', speed: 0 }), request(), context(TENANT_B)),
    ).rejects.toMatchObject({ code: 'provider_error' });
  });

  it("onMiss: 'nearest' answers with the closest recording and logs the differences", async () => {
    const { store } = await recorded();
    const warnings: LogFields[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_event, fields = {}) => warnings.push(fields) };
    const tapes = tapeProvider({ store }, { onMiss: 'nearest', speed: 0 });
    const events = await collect(tapes, request({ temperature: 1 }), context(TENANT_A, undefined, logger));
    expect(events).toEqual(ANSWER);
    expect(String(warnings[0]?.message)).toContain('temperature: (absent) (recorded) → 1 (requested)');
  });

  it("onMiss: 'live' calls the live provider without recording; 'record' records, then replays", async () => {
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ id: 'openai', stream: [ANSWER] });
    await collect(tapeProvider({ store }, { onMiss: 'live', live, speed: 0 }), request());
    expect(live.calls).toHaveLength(1);
    expect(store.tapes()).toEqual([]);

    const auto = tapeProvider({ store }, { onMiss: 'record', live, speed: 0 });
    expect(await collect(auto, request())).toEqual(ANSWER);
    expect(await collect(auto, request({ executionId: 'exe_again' }))).toEqual(ANSWER);
    expect(live.calls).toHaveLength(2);
    expect(store.tapes()[0]?.entries).toHaveLength(1);
    expect(() => tapeProvider({ store }, { onMiss: 'live' })).toThrow(/needs the live provider/);
    expect(() => tapeProvider({ store }, { onMiss: 'sometimes' as 'live' })).toThrow(/onMiss must be one of/);
  });
});

describe('tapeProvider: timing', () => {
  async function recordedWithTiming() {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({
      stream: async function* () {
        await new Promise((resolve) => setTimeout(resolve, 300));
        yield { type: 'text-delta', delta: 'one ' };
        await new Promise((resolve) => setTimeout(resolve, 100));
        yield { type: 'text-delta', delta: 'two' };
        await new Promise((resolve) => setTimeout(resolve, 50));
        yield { type: 'finish', finishReason: 'stop' };
      },
    });
    const recording = collect(recordTapes(live, { store }), request());
    await vi.advanceTimersByTimeAsync(1000);
    await recording;
    return store;
  }

  /** The fake time at which each event arrives. */
  async function arrivalTimes(speed: number): Promise<number[]> {
    const store = await recordedWithTiming();
    const tapes = tapeProvider({ store }, { speed });
    const start = performance.now();
    const times: number[] = [];
    const done = (async () => {
      for await (const _event of tapes.stream?.(request(), context()) ?? []) times.push(performance.now() - start);
    })();
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    return times;
  }

  it('records each event’s time since the call started', async () => {
    const store = await recordedWithTiming();
    const events = store.tapes()[0]?.entries[0]?.events ?? [];
    expect(events.map((event) => [event.type, event.atMs])).toEqual([
      ['text-delta', 300],
      ['text-delta', 400],
      ['usage', 450],
      ['finish', 450],
    ]);
  });

  it('replays with the recorded timing at speed 1, scaled at speed 2, and at once at speed 0', async () => {
    expect(await arrivalTimes(1)).toEqual([300, 400, 450, 450]);
    expect(await arrivalTimes(2)).toEqual([150, 200, 225, 225]);
    expect(await arrivalTimes(0)).toEqual([0, 0, 0, 0]);
  });

  it('stops waiting when the call is cancelled', async () => {
    const store = await recordedWithTiming();
    const controller = new AbortController();
    const tapes = tapeProvider({ store }, { speed: 1 });
    const events: ProviderEvent[] = [];
    const done = (async () => {
      for await (const event of tapes.stream?.(request(), context(TENANT_A, controller.signal)) ?? [])
        events.push(event);
    })();
    const settled = done.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(350);
    controller.abort(new Error('stop'));
    expect(await settled).toEqual(new Error('stop'));
    expect(events).toHaveLength(1);
  });
});

describe('tape keys', () => {
  it('are the same for the same request and differ when a key field changes', async () => {
    const redactor = createRedactor();
    const key = (overrides = {}) =>
      tapeKey(toTapeRequest(request(overrides), redactor), ['messages', 'model', 'maxOutputTokens']);
    expect(await key()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await key({ executionId: 'x', attempt: 2, input: 'ignored here' })).toBe(await key());
    expect(await key({ model: 'gpt-4.1' })).not.toBe(await key());
    expect(await key({ maxOutputTokens: 65 })).not.toBe(await key());
  });
});
