import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, ExecutionResult } from '../../protocol';
import type { ProviderEvent } from '../types';
import { providerEventsOf, textOf } from './remote-events';

// The remote's events, as this side's provider sees them.

const metrics = {
  durationMs: 10,
  timeToFirstOutputMs: 5,
  inputTokens: 7,
  outputTokens: 3,
  costUsd: null,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  attempts: 1,
  simulated: false,
} satisfies ExecutionResult['metrics'];

function finished(output: unknown): ExecutionEvent {
  return {
    type: 'execution-finish',
    executionId: 'exe_r',
    result: {
      id: 'exe_r',
      agentId: 'summarize',
      mode: 'live',
      requestedMode: 'live',
      tenantId: 'acme',
      input: {},
      status: 'succeeded',
      output,
      metrics,
      startedAt: '2026-12-03T10:00:00.000Z',
      finishedAt: '2026-12-03T10:00:00.010Z',
    },
  } as ExecutionEvent;
}

async function collect(events: ExecutionEvent[]): Promise<{ events: ProviderEvent[]; error?: unknown }> {
  const out: ProviderEvent[] = [];
  async function* source() {
    yield* events;
  }
  try {
    for await (const event of providerEventsOf(source(), 'remote')) out.push(event);
    return { events: out };
  } catch (error) {
    return { events: out, error };
  }
}

describe('providerEventsOf', () => {
  it('passes deltas through and completes a text the remote sent only part of', async () => {
    const { events } = await collect([
      { type: 'output-delta', executionId: 'exe_r', delta: 'A f' },
      finished('A fox.'),
    ]);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([
      { type: 'text-delta', delta: 'A f' },
      { type: 'text-delta', delta: 'ox.' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', model: 'gpt-4.1-mini', requestId: 'exe_r' });
  });

  it("puts structured output on the finish, and the remote's usage before it", async () => {
    const { events } = await collect([finished({ title: 'Fox' })]);
    expect(events.map((event) => event.type)).toEqual(['usage', 'finish']);
    expect(events[1]).toMatchObject({ object: { title: 'Fox' } });
  });

  it("throws the remote's error re-coded for this side, after the usage it billed", async () => {
    const { events, error } = await collect([
      {
        type: 'execution-error',
        executionId: 'exe_r',
        error: {
          name: 'AgentryError',
          code: 'not_found',
          message: 'No agent "x".',
          userMessage: 'x',
          retryable: false,
        },
        result: { metrics },
      } as unknown as ExecutionEvent,
    ]);
    expect(events).toEqual([{ type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } }]);
    expect(error).toMatchObject({ code: 'provider_not_configured', provider: 'remote', requestId: 'exe_r' });
  });

  it("passes the remote's own tool steps through as service steps", async () => {
    const step = { type: 'step-start', executionId: 'exe_r', step: 1 } as unknown as ExecutionEvent;
    const { events } = await collect([step]);
    expect(events).toEqual([{ type: 'service-step', event: step }]);
  });

  it('reads structured output as its JSON text', () => {
    expect([textOf('fox'), textOf({ a: 1 }), textOf(undefined)]).toEqual(['fox', '{"a":1}', 'null']);
  });
});
