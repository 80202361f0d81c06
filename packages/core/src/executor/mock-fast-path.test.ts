// The mock's answer known at once (a data mock, no latency, no failures) takes a shorter path
// through the executor: no async generator, no race against the abort. What a caller sees must
// be what the general path gives, and a wrapper around the mock must never be bypassed.
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { acme } from '../../test/agents';
import {
  createExecutor,
  defineAgent,
  defineTool,
  type ExecutionEvent,
  mockProvider,
  type ProviderAdapter,
} from '../index';

const chunked = defineAgent({
  id: 'chunked',
  name: 'Chunked',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  mock: { stream: ['The capital ', 'of France ', 'is ', 'Paris.'] },
});
const add = defineTool({ description: 'Adds one.', input: z.object({ x: z.number() }), execute: ({ x }) => x + 1 });
const stepped = defineAgent({
  id: 'stepped',
  name: 'Stepped',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  tools: { add },
  mock: { steps: [{ text: 'Let me add. ', toolCalls: [{ name: 'add', args: { x: 1 } }] }, { text: 'It is 2.' }] },
});
const run = <TId extends 'chunked' | 'stepped'>(agentId: TId) => ({ agentId, input: { question: 'Q?' }, tenant: acme });

/** The events without what differs between two runs (ids, times, durations). */
function shapeOf(events: readonly ExecutionEvent[]): unknown[] {
  return events.map((event) => {
    const { executionId: _id, ...rest } = event as ExecutionEvent & { executionId?: string };
    return JSON.parse(
      JSON.stringify(rest, (key, value) =>
        ['startedAt', 'finishedAt', 'durationMs', 'timeToFirstOutputMs', 'id', 'callId'].includes(key) ? '*' : value,
      ),
    );
  });
}

async function streamed(provider: ProviderAdapter, agentId: 'chunked' | 'stepped'): Promise<ExecutionEvent[]> {
  const executor = createExecutor({ agents: [chunked, stepped], providers: { mock: provider } });
  const events: ExecutionEvent[] = [];
  for await (const event of executor.stream(run(agentId))) events.push(event);
  return events;
}

describe("the mock's answer known at once", () => {
  it('streams the same events as the general path (a latency of 0 ms takes the general one)', async () => {
    for (const agentId of ['chunked', 'stepped'] as const) {
      const fast = await streamed(mockProvider(), agentId);
      const general = await streamed(mockProvider({ latency: { chunkMs: 0 } }), agentId);
      expect(shapeOf(fast)).toEqual(shapeOf(general));
      expect(fast.filter((event) => event.type === 'output-delta').length).toBeGreaterThan(1);
    }
  });

  it('streams the same events with phase deadlines armed (first output, idle)', async () => {
    vi.useFakeTimers();
    try {
      const limits = { timeoutMs: { mock: { totalMs: 60_000, firstOutputMs: 1_000, idleMs: 1_000 } } };
      const events: ExecutionEvent[] = [];
      const executor = createExecutor({ agents: [chunked], limits });
      for await (const event of executor.stream(run('chunked'))) events.push(event);
      const general = await streamed(mockProvider({ latency: { chunkMs: 0 } }), 'chunked');
      expect(shapeOf(events)).toEqual(shapeOf(general));
    } finally {
      vi.useRealTimers();
    }
  });

  it('executes to the same record as the general path', async () => {
    for (const agentId of ['chunked', 'stepped'] as const) {
      const [fast, general] = await Promise.all(
        [mockProvider(), mockProvider({ latency: { chunkMs: 0 } })].map((mock) =>
          createExecutor({ agents: [chunked, stepped], providers: { mock } }).execute(run(agentId)),
        ),
      );
      expect(shapeOf([fast as never])).toEqual(shapeOf([general as never]));
      expect(fast?.status).toBe('succeeded');
    }
  });

  it("never bypasses a wrapper's own execute (a spread copy, or an object made from the mock)", async () => {
    const mock = mockProvider();
    const spread = vi.fn((...args: Parameters<ProviderAdapter['execute']>) => mock.execute(...args));
    const inherited = vi.fn((...args: Parameters<ProviderAdapter['execute']>) => mock.execute(...args));
    const wrappers: ProviderAdapter[] = [
      { ...mock, execute: spread },
      Object.assign(Object.create(mock) as ProviderAdapter, { execute: inherited }),
    ];
    for (const wrapper of wrappers) {
      const executor = createExecutor({ agents: [chunked], providers: { mock: wrapper } });
      const result = await executor.execute(run('chunked'));
      expect(result.status).toBe('succeeded');
    }
    expect(spread).toHaveBeenCalledTimes(1);
    expect(inherited).toHaveBeenCalledTimes(1);
  });

  it("a cancel from the caller's signal mid-stream still ends the run cancelled", async () => {
    const executor = createExecutor({ agents: [chunked] });
    const controller = new AbortController();
    const events: ExecutionEvent[] = [];
    for await (const event of executor.stream({ ...run('chunked'), signal: controller.signal })) {
      events.push(event);
      if (event.type === 'output-delta') controller.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    expect(last?.type === 'execution-error' && last.error.code).toBe('cancelled');
    const [record] = (await executor.listExecutions(acme)).items;
    expect(record?.status).toBe('cancelled');
  });
});

describe("a `{ stream }` mock's answer, made once and shared by its calls", () => {
  it('answers the list as it is now when it was changed in place, and no caller can change it', async () => {
    const chunks = ['One ', 'two.'];
    const agent = defineAgent({
      id: 'listed',
      name: 'Listed',
      input: z.object({ question: z.string() }),
      prompt: ({ question }) => question,
      mock: { stream: chunks },
    });
    const executor = createExecutor({ agents: [agent] });
    const deltas = async () => {
      const seen: string[] = [];
      for await (const event of executor.stream({ agentId: 'listed', input: { question: 'Q?' }, tenant: acme }))
        if (event.type === 'output-delta') seen.push(event.delta);
      return seen;
    };
    const output = async () =>
      (await executor.execute({ agentId: 'listed', input: { question: 'Q?' }, tenant: acme })).output;
    expect(await output()).toBe('One two.');
    expect(await deltas()).toEqual(['One ', 'two.']);
    chunks[1] = 'three.';
    expect(await output()).toBe('One three.');
    expect(await deltas()).toEqual(['One ', 'three.']);
    chunks.push(' Four.');
    expect(await output()).toBe('One three. Four.');
    expect(await deltas()).toEqual(['One ', 'three.', ' Four.']);
    // A provider wrapper that edits what the mock answered edits its own copy, never the next call's.
    const mock = mockProvider();
    const editing: ProviderAdapter = {
      ...mock,
      async execute(request, context) {
        const response = await mock.execute(request, context);
        response.text = `${response.text} (edited)`;
        return response;
      },
    };
    const wrapped = createExecutor({ agents: [agent], providers: { mock: editing } });
    const first = await wrapped.execute({ agentId: 'listed', input: { question: 'Q?' }, tenant: acme });
    expect(first.output).toBe('One three. Four. (edited)');
    expect(await output()).toBe('One three. Four.');
  });
});
