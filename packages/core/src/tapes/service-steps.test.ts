// A remote agent service runs its own tools and sends its steps (`service-step` events, or
// `steps` on a complete answer): a tape records them, and a replay gives the run the same steps.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createExecutor, defineAgent, type ExecutionEvent } from '../index';
import type { ProviderEvent } from '../providers';
import { recordingMockProvider } from '../testing';
import { recordTapes } from './record-tapes';
import { parseTapeFile, serializeTapeFile } from './tape-format';
import { tapeProvider } from './tape-provider';
import { createMemoryTapeStore } from './tape-store';
import { collect, context, request } from './tapes.test-support';

const KEY = `sk-proj-${'Zx9'.repeat(10)}`;
const STEP = {
  index: 0,
  text: '',
  toolCalls: [{ id: 'call_1', name: 'weather', args: { city: 'Oslo', token: KEY } }],
  toolResults: [{ id: 'call_1', name: 'weather', durationMs: 12, status: 'succeeded' as const, output: { c: 4 } }],
  usage: { inputTokens: 30, outputTokens: 8 },
  durationMs: 410,
  finishReason: 'tool_calls' as const,
};
const SERVICE: ProviderEvent[] = [
  { type: 'service-step', event: { type: 'step-start', executionId: 'exe_remote_1', index: 0 } },
  {
    type: 'service-step',
    event: { type: 'tool-call', executionId: 'exe_remote_1', stepIndex: 0, toolCall: STEP.toolCalls[0] as never },
  },
  {
    type: 'service-step',
    event: {
      type: 'tool-result',
      executionId: 'exe_remote_1',
      stepIndex: 0,
      toolResult: STEP.toolResults[0] as never,
    },
  },
  { type: 'service-step', event: { type: 'step-finish', executionId: 'exe_remote_1', step: STEP } },
  { type: 'text-delta', delta: 'It is 4 °C in Oslo.' },
  { type: 'usage', usage: { inputTokens: 50, outputTokens: 12 } },
  { type: 'finish', finishReason: 'stop' },
];
const redactedStep = { ...STEP, toolCalls: [{ ...STEP.toolCalls[0], args: { city: 'Oslo', token: '[REDACTED]' } }] };

describe("tapes carry a remote service's steps", () => {
  it("records a stream's service-step events (redacted, without the remote execution id) and replays them under the run's id", async () => {
    const store = createMemoryTapeStore();
    await collect(recordTapes(recordingMockProvider({ id: 'remote', stream: [SERVICE] }), { store }), request());
    const [tape] = store.tapes();
    if (tape === undefined) throw new Error('no tape recorded');
    const text = serializeTapeFile({ ...tape.address, entries: [...tape.entries] });
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('exe_remote_1');
    // The file reads back (the format knows the event).
    expect(
      parseTapeFile(text, 'remote.tape.json').entries[0]?.events.filter((e) => e.type === 'service-step'),
    ).toHaveLength(4);

    const replayed = await collect(tapeProvider({ store }, { speed: 0 }), request({ executionId: 'exe_replay' }));
    const steps = replayed.filter((event) => event.type === 'service-step');
    expect(steps.map((event) => event.event.type)).toEqual(['step-start', 'tool-call', 'tool-result', 'step-finish']);
    expect(steps.every((event) => event.event.executionId === 'exe_replay')).toBe(true);
    expect(steps.at(-1)).toEqual({
      type: 'service-step',
      event: { type: 'step-finish', executionId: 'exe_replay', step: redactedStep },
    });
    // A complete answer replayed from the stream has the steps too.
    const answer = await tapeProvider({ store }, { speed: 0 }).execute(request(), context());
    expect(answer.steps).toEqual([redactedStep]);
    expect(answer.text).toBe('It is 4 °C in Oslo.');
  });

  it("records a complete answer's steps, and a stream replays them as step-finish events", async () => {
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ id: 'remote', execute: [{ text: 'Four.', steps: [STEP] }] });
    await recordTapes(live, { store }).execute(request(), context());
    const tapes = tapeProvider({ store }, { speed: 0 });
    expect((await tapes.execute(request(), context())).steps).toEqual([redactedStep]);
    const events = await collect(tapes, request({ executionId: 'exe_2' }));
    expect(events[0]).toEqual({
      type: 'service-step',
      event: { type: 'step-finish', executionId: 'exe_2', step: redactedStep },
    });
  });

  it("through the executor: the replayed run's record and events hold the recorded steps", async () => {
    const agent = defineAgent({
      id: 'summarize',
      name: 'Weather',
      input: z.object({ city: z.string() }),
      model: { provider: 'remote', model: 'remote-agent' },
      prompt: ({ city }) => [{ role: 'user', content: `Weather in ${city}?` }],
    });
    const tenant = { tenantId: 'ws_a', userId: 'user_a' };
    const store = createMemoryTapeStore();
    const live = recordingMockProvider({ id: 'remote', stream: [SERVICE] });
    const recording = createExecutor({ agents: [agent], providers: { remote: recordTapes(live, { store }) } });
    let recorded: { steps?: unknown } | undefined;
    for await (const event of recording.stream({ agentId: 'summarize', input: { city: 'Oslo' }, mode: 'live', tenant }))
      if (event.type === 'execution-finish') recorded = event.result;
    expect(recorded?.steps).toEqual([redactedStep]);
    const replaying = createExecutor({
      agents: [agent],
      providers: { remote: tapeProvider({ store }, { live, speed: 0 }) },
    });
    const events: ExecutionEvent[] = [];
    for await (const event of replaying.stream({ agentId: 'summarize', input: { city: 'Oslo' }, mode: 'live', tenant }))
      events.push(event);
    const finish = events.at(-1);
    expect(finish?.type).toBe('execution-finish');
    const record = finish?.type === 'execution-finish' ? finish.result : undefined;
    expect(record?.status).toBe('succeeded');
    expect(record?.steps).toEqual(recorded?.steps);
    expect(record?.steps).toEqual([redactedStep]);
    expect(events.filter((event) => event.type === 'tool-result')).toHaveLength(1);
    expect(live.calls).toHaveLength(1);
  });
});
