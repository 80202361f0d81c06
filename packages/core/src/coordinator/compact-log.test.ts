import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createExecutor } from '../executor';
import type { ExecutionEvent, SucceededExecution } from '../protocol';
import { compactLog, expandLog } from './compact-log';
import { createMemoryCoordinator, localEventLogs } from './memory-coordinator';

const tenant = { tenantId: 't', userId: 'u' };

/** A finished run's log as the executor writes it: start, deltas, usage, finish. */
function runLog(options: {
  deltas: string[];
  cached?: number;
  reasoning?: number;
  inputTokens?: number | null;
}): ExecutionEvent[] {
  const executionId = 'exe_1';
  const usage: Record<string, number | null> = { inputTokens: options.inputTokens ?? 12, outputTokens: 7 };
  if (options.cached !== undefined) usage.cachedInputTokens = options.cached;
  if (options.reasoning !== undefined) usage.reasoningTokens = options.reasoning;
  const metrics: Record<string, unknown> = {
    durationMs: 1.5,
    timeToFirstOutputMs: 0.5,
    inputTokens: usage.inputTokens,
    outputTokens: 7,
    costUsd: null,
    provider: 'mock',
    model: 'gpt-4.1-mini',
    attempts: 1,
    simulated: true,
    finishReason: 'stop',
  };
  if (options.cached !== undefined) metrics.cachedInputTokens = options.cached;
  if (options.reasoning !== undefined) metrics.reasoningTokens = options.reasoning;
  const record = {
    id: executionId,
    agentId: 'a',
    mode: 'mock',
    requestedMode: 'live',
    tenantId: 't',
    input: { q: 'x' },
    metrics,
    startedAt: '2026-12-03T10:00:00.000Z',
    finishedAt: '2026-12-03T10:00:00.002Z',
    status: 'succeeded',
    output: options.deltas.join(''),
  } as unknown as SucceededExecution;
  return [
    {
      type: 'execution-start',
      executionId,
      agentId: 'a',
      mode: 'mock',
      requestedMode: 'live',
      provider: 'mock',
      model: 'gpt-4.1-mini',
      startedAt: '2026-12-03T10:00:00.000Z',
    },
    ...options.deltas.map((delta): ExecutionEvent => ({ type: 'output-delta', executionId, delta })),
    { type: 'usage', executionId, usage: usage as never },
    { type: 'execution-finish', executionId, result: record },
  ];
}

// What a change can do to a log so that it is no longer the executor's plain shape.
const change = fc.oneof(
  fc.record({ kind: fc.constant('none' as const) }),
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(),
    key: fc.constantFrom('executionId', 'agentId', 'mode', 'provider', 'model', 'startedAt', 'delta', 'type'),
    value: fc.constantFrom('other', 'exe_2', 'live', 'output-delta'),
  }),
  fc.record({ kind: fc.constant('extra' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reorder' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('usage' as const), value: fc.constantFrom(0, 8, null) }),
  fc.record({ kind: fc.constant('usageOrder' as const) }),
  fc.record({
    kind: fc.constant('usageDrop' as const),
    key: fc.constantFrom('inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'),
  }),
  fc.record({ kind: fc.constant('tenant' as const) }),
  fc.record({ kind: fc.constant('step' as const), at: fc.nat() }),
);

type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function changed(events: ExecutionEvent[], how: Change): ExecutionEvent[] {
  const copy = events.map((event) => ({ ...event })) as Record<string, unknown>[];
  const pick = (at: number) => copy[at % copy.length] as Record<string, unknown>;
  switch (how.kind) {
    case 'none':
      break;
    case 'field': {
      const event = pick(how.at);
      if (how.key in event) event[how.key] = how.value;
      break;
    }
    case 'extra':
      pick(how.at).extra = 1;
      break;
    case 'reorder': {
      // The same fields, the first one moved last.
      const event = pick(how.at);
      const [first] = Object.keys(event);
      if (first !== undefined) {
        const value = event[first];
        delete event[first];
        event[first] = value;
      }
      break;
    }
    case 'drop':
      copy.splice(how.at % copy.length, 1);
      break;
    case 'usage': {
      const usage = copy.find((event) => event.type === 'usage');
      if (usage) usage.usage = { ...(usage.usage as object), outputTokens: how.value };
      break;
    }
    case 'usageOrder': {
      const usage = copy.find((event) => event.type === 'usage');
      if (usage) {
        const { inputTokens, ...rest } = usage.usage as Record<string, unknown>;
        usage.usage = { ...rest, inputTokens };
      }
      break;
    }
    case 'usageDrop': {
      const usage = copy.find((event) => event.type === 'usage');
      if (usage) {
        const { [how.key]: _dropped, ...rest } = usage.usage as Record<string, unknown>;
        usage.usage = rest;
      }
      break;
    }
    case 'tenant': {
      const finish = copy.at(-1) as Record<string, unknown>;
      finish.result = { ...(finish.result as object), tenantId: 'other' };
      break;
    }
    case 'step':
      copy.splice((how.at % (copy.length - 1)) + 1, 0, {
        type: 'step-start',
        executionId: 'exe_1',
        step: 1,
      });
      break;
  }
  return copy as unknown as ExecutionEvent[];
}

describe('compactLog', () => {
  it('keeps a plain run as few objects and gives back the same events, key for key and in key order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 6 }),
        fc.option(fc.nat(9), { nil: undefined }),
        fc.option(fc.nat(9), { nil: undefined }),
        fc.constantFrom(12, null),
        change,
        (deltas, cached, reasoning, inputTokens, how) => {
          const events = changed(runLog({ deltas, cached, reasoning, inputTokens }), how);
          const compact = compactLog('t', events);
          // A log as the executor writes it is always kept compact…
          if (how.kind === 'none') expect(compact).toBeDefined();
          // …and whatever is kept compact comes back exactly as it was appended.
          if (compact !== undefined) expect(JSON.stringify(expandLog(compact))).toBe(JSON.stringify(events));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps an execute() log as its record alone, and a stream as the record and the deltas', () => {
    const execute = runLog({ deltas: [] });
    expect(compactLog('t', execute)).toBe((execute.at(-1) as { result: unknown }).result);
    const stream = runLog({ deltas: ['a', 'b'] });
    expect(compactLog('t', stream)).toEqual([(stream.at(-1) as { result: unknown }).result, 'a', 'b']);
  });

  it('leaves a finish without a record as it is, through the coordinator too', async () => {
    const events = runLog({ deltas: [] });
    const broken = [...events.slice(0, -1), { type: 'execution-finish', executionId: 'exe_1', result: null }];
    expect(compactLog('t', broken as ExecutionEvent[])).toBe(undefined);
    const coordinator = createMemoryCoordinator();
    const entries = broken.map((event, index) => ({ id: index + 1, event: event as ExecutionEvent }));
    await coordinator.appendEvents('t', 'exe_1', entries);
    expect(await coordinator.readEvents('t', 'exe_1', 0)).toEqual(entries);
  });

  it('leaves an error, another tenant, or a log without usage as it is', () => {
    const events = runLog({ deltas: ['a'] });
    expect(compactLog('other', events)).toBe(undefined);
    expect(
      compactLog(
        't',
        events.filter((event) => event.type !== 'usage'),
      ),
    ).toBe(undefined);
    const failed = [...events.slice(0, -1), { ...(events.at(-1) as object), type: 'execution-error' }];
    expect(compactLog('t', failed as ExecutionEvent[])).toBe(undefined);
  });
});

describe('the memory coordinator keeps finished logs compact', () => {
  const agent = defineAgent({
    id: 'text',
    name: 'Text',
    input: z.object({ q: z.string() }),
    prompt: ({ q }) => q,
    mock: { stream: ['Hello ', 'there.'] },
  });

  it.each(['execute', 'stream'] as const)(
    '%s(): a late reader gets the events a live one got, equal but rebuilt from the record',
    async (call) => {
      const seen: ExecutionEvent[] = [];
      const executor = createExecutor({ agents: [agent], onEvent: (event) => seen.push(event) });
      let executionId = '';
      if (call === 'execute') executionId = (await executor.execute({ agentId: 'text', input: { q: 'x' }, tenant })).id;
      else {
        for await (const event of executor.stream({ agentId: 'text', input: { q: 'x' }, tenant })) {
          if (event.type === 'execution-start') executionId = event.executionId;
        }
      }
      const read: ExecutionEvent[] = [];
      const ids: number[] = [];
      for await (const entry of executor.events(tenant, executionId)) {
        read.push(entry.event);
        ids.push(entry.id);
      }
      expect(JSON.stringify(read)).toBe(JSON.stringify(seen));
      expect(ids).toEqual(seen.map((_event, index) => index + 1));
      // Rebuilt (kept compact), not the objects the run appended.
      expect(read[0]).not.toBe(seen[0]);
      await expect(async () => {
        for await (const _entry of executor.events({ tenantId: 'other' }, executionId)) {
          // another tenant's log is not found
        }
      }).rejects.toMatchObject({ code: 'not_found' });
    },
  );

  it('a log appended to after its end is kept whole again, with every event', async () => {
    const coordinator = createMemoryCoordinator();
    const events = runLog({ deltas: ['a'] });
    const log = localEventLogs(coordinator)?.('t', 'exe_1');
    for (const [index, event] of events.entries()) log?.append(index + 1, event);
    const late: ExecutionEvent = { type: 'output-delta', executionId: 'exe_1', delta: 'late' };
    log?.append(events.length + 1, late);
    await coordinator.appendEvents('t', 'exe_1', [{ id: events.length + 2, event: late }]);
    const read = await coordinator.readEvents('t', 'exe_1', 0);
    expect(read?.map((entry) => entry.event)).toEqual([...events, late, late]);
    expect(read?.map((entry) => entry.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await coordinator.readEvents('other', 'exe_1', 0)).toBe(undefined);
  });
});
