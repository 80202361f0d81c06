import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import type { ProviderEvent } from '../providers';
import { applyEvent, createRunState, type OutputSink, responseEvents } from './run-state';

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
