import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import type { ProviderEvent } from '../providers';
import { addUsage, applyEvent, createRunState, type OutputSink, responseEvents } from './run-state';

function recordingSink() {
  const seen: string[] = [];
  const sink: OutputSink = {
    text: (delta, whole) => seen.push(`text:${delta}:${whole}`),
    usage: () => seen.push('usage'),
    serviceStep: (event) => seen.push(`step:${event.type}`),
  };
  return { seen, sink };
}

describe('responseEvents: execute() as the events stream() sends', () => {
  it('gives the text, the usage, then the finish with the object and the model', () => {
    expect(
      responseEvents({
        text: '{"a":1}',
        object: { a: 1 },
        usage: { inputTokens: 3, outputTokens: 2 },
        finishReason: 'stop',
        model: 'm-1',
      }),
    ).toEqual([
      { type: 'text-delta', delta: '{"a":1}' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
      { type: 'finish', finishReason: 'stop', model: 'm-1', object: { a: 1 } },
    ]);
  });

  it('an unusable answer gives its usage and an erroring finish, and no text', () => {
    const error = new AgentryError('output_invalid', 'Refused.');
    const events = responseEvents({
      text: 'no',
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'content_filter',
      error,
    });
    expect(events.map((event) => event.type)).toEqual(['usage', 'finish']);
    expect(events[1]).toMatchObject({ error });
  });
});

describe('applyEvent', () => {
  it('gathers text, usage and the finish into the state, and passes output on', () => {
    const state = createRunState('exe_1', 'agent-model', 0);
    const { seen, sink } = recordingSink();
    const events: ProviderEvent[] = [
      { type: 'text-delta', delta: '' },
      { type: 'text-delta', delta: 'Hel' },
      { type: 'text-delta', delta: 'lo' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: null } },
      { type: 'usage', usage: { inputTokens: null, outputTokens: 2 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn', model: 'served-model' },
    ];
    for (const [index, event] of events.entries()) applyEvent(state, event, sink, false, 10 + index);
    expect(state).toMatchObject({
      text: 'Hello',
      firstOutputAt: 11,
      usage: { inputTokens: 5, outputTokens: 2 },
      usageReported: true,
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      model: 'served-model',
    });
    expect(seen).toEqual(['text:Hel:false', 'text:lo:false', 'usage', 'usage']);
  });

  it("a complete answer is output even when empty; a finish's error is thrown after its reasons are kept", () => {
    const state = createRunState('exe_1', 'm', 0);
    const { sink } = recordingSink();
    applyEvent(state, { type: 'text-delta', delta: '' }, sink, true, 7);
    expect(state.firstOutputAt).toBe(7);
    const error = new AgentryError('output_invalid', 'Refused.');
    expect(() =>
      applyEvent(state, { type: 'finish', finishReason: 'content_filter', object: { a: 1 }, error }, sink, true, 8),
    ).toThrow(error);
    expect(state.finishReason).toBe('content_filter');
    expect(state.object).toBeUndefined();
  });
});

describe('addUsage: the usage of a run of several model calls', () => {
  it('adds known counts, and keeps a count unknown when either call did not report it', () => {
    expect(addUsage({ inputTokens: 3, outputTokens: 2 }, { inputTokens: 10, outputTokens: 5 })).toStrictEqual({
      inputTokens: 13,
      outputTokens: 7,
    });
    expect(addUsage({ inputTokens: null, outputTokens: 2 }, { inputTokens: 10, outputTokens: 5 })).toStrictEqual({
      inputTokens: null,
      outputTokens: 7,
    });
    expect(addUsage({ inputTokens: 3, outputTokens: 2 }, { inputTokens: 10, outputTokens: null })).toStrictEqual({
      inputTokens: 13,
      outputTokens: null,
    });
    expect(addUsage({ inputTokens: 3, outputTokens: null }, { inputTokens: null, outputTokens: 5 })).toStrictEqual({
      inputTokens: null,
      outputTokens: null,
    });
  });

  it('adds cached and reasoning tokens when either call has them, and leaves them out when neither does', () => {
    const plain = { inputTokens: 1, outputTokens: 1 };
    expect(addUsage({ ...plain, cachedInputTokens: 4 }, plain)).toStrictEqual({
      inputTokens: 2,
      outputTokens: 2,
      cachedInputTokens: 4,
    });
    expect(addUsage(plain, { ...plain, reasoningTokens: 6 })).toStrictEqual({
      inputTokens: 2,
      outputTokens: 2,
      reasoningTokens: 6,
    });
    expect(
      addUsage(
        { ...plain, cachedInputTokens: 4, reasoningTokens: 1 },
        { ...plain, cachedInputTokens: 3, reasoningTokens: 6 },
      ),
    ).toStrictEqual({ inputTokens: 2, outputTokens: 2, cachedInputTokens: 7, reasoningTokens: 7 });
    expect(addUsage({ ...plain, reasoningTokens: 2 }, { ...plain, cachedInputTokens: 5 })).toStrictEqual({
      inputTokens: 2,
      outputTokens: 2,
      cachedInputTokens: 5,
      reasoningTokens: 2,
    });
    expect(Object.keys(addUsage(plain, plain))).toEqual(['inputTokens', 'outputTokens']);
  });
});

describe('responseEvents: what the finish carries, and steps', () => {
  it('puts the raw reason, model, request id and object on the finish only when the answer has them', () => {
    const bare = responseEvents({ text: 'hi', usage: null, finishReason: 'stop' });
    expect(bare).toStrictEqual([
      { type: 'text-delta', delta: 'hi' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    const full = responseEvents({
      text: 'hi',
      usage: null,
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      model: 'm-2',
      requestId: 'req_9',
      object: { ok: true },
    });
    expect(full.at(-1)).toStrictEqual({
      type: 'finish',
      finishReason: 'length',
      rawFinishReason: 'max_tokens',
      model: 'm-2',
      requestId: 'req_9',
      object: { ok: true },
    });
  });

  it('a step that only calls tools says nothing; an empty answer without tool calls is an empty text', () => {
    const toolCall = { id: 'call_1', name: 'add', argsText: '{"x":1}' };
    expect(responseEvents({ text: '', toolCalls: [toolCall], usage: null, finishReason: 'tool_calls' })).toStrictEqual([
      { type: 'tool-call', toolCall },
      { type: 'finish', finishReason: 'tool_calls' },
    ]);
    expect(
      responseEvents({ text: 'Adding.', toolCalls: [toolCall], usage: null, finishReason: 'tool_calls' }),
    ).toStrictEqual([
      { type: 'text-delta', delta: 'Adding.' },
      { type: 'tool-call', toolCall },
      { type: 'finish', finishReason: 'tool_calls' },
    ]);
    expect(responseEvents({ text: '', usage: null, finishReason: 'stop' })[0]).toStrictEqual({
      type: 'text-delta',
      delta: '',
    });
  });

  it("gives an agent service's own steps as the step events a stream would have sent, in order", () => {
    const toolCall = { id: 'call_1', name: 'lookup', argsText: '{}' };
    const toolResult = { toolCallId: 'call_1', toolName: 'lookup', result: 'found' };
    const step = { index: 0, toolCalls: [toolCall], toolResults: [toolResult] } as unknown as Parameters<
      typeof responseEvents
    >[0]['steps'] extends (infer S)[] | undefined
      ? S
      : never;
    const events = responseEvents({ text: 'done', usage: null, finishReason: 'stop', steps: [step] });
    expect(events).toStrictEqual([
      { type: 'text-delta', delta: 'done' },
      { type: 'service-step', event: { type: 'step-start', executionId: '', index: 0 } },
      { type: 'service-step', event: { type: 'tool-call', executionId: '', stepIndex: 0, toolCall } },
      { type: 'service-step', event: { type: 'tool-result', executionId: '', stepIndex: 0, toolResult } },
      { type: 'service-step', event: { type: 'step-finish', executionId: '', step } },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });
});
