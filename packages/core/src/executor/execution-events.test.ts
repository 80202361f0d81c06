// Reading an execution from anywhere (execution-events.ts): `executor.events` replays and follows
// its log, resumable by id; `executor.cancel` stops it wherever it runs. Both answer only the
// caller's tenant, and refuse in words that say what to send instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createMemoryCoordinator } from '../coordinator';
import type { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { ExecutionEventEntry } from '../protocol';
import { createMemoryStore } from '../store';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_a', userId: 'u1' };
const other = { tenantId: 'ws_b', userId: 'u2' };

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({}),
  prompt: () => 'go',
  mock: () => 'hello',
});

/** An agent whose mock answers once `release()` is called. */
function gated() {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const agent = defineAgent({
    id: 'slow',
    name: 'Slow',
    input: z.object({}),
    prompt: () => 'go',
    mock: async () => {
      await gate;
      return 'late answer';
    },
  });
  return { agent, release: () => release() };
}

function recordingLogger() {
  const lines: { event: string; fields: Record<string, unknown> | undefined }[] = [];
  const at = (event: string, fields?: Record<string, unknown>) => {
    lines.push({ event, fields });
  };
  const logger: Logger = { debug: at, info: at, warn: at, error: at };
  return { logger, lines };
}

async function collect(events: AsyncIterable<ExecutionEventEntry>): Promise<ExecutionEventEntry[]> {
  const out: ExecutionEventEntry[] = [];
  for await (const entry of events) out.push(entry);
  return out;
}

async function refusal(run: () => Promise<unknown>): Promise<AgentryError> {
  try {
    await run();
  } catch (error) {
    return error as AgentryError;
  }
  throw new Error('expected a refusal');
}

describe('executor.events', () => {
  it("replays a finished execution's log, or only what follows lastEventId, ending after the final event", async () => {
    const executor = createExecutor({ agents: [echo] });
    const result = await executor.execute({ agentId: 'echo', input: {}, tenant });
    const all = await collect(executor.events(tenant, result.id));
    expect(all.map((entry) => entry.id)).toEqual(all.map((_, index) => index + 1));
    expect(all.at(-1)?.event).toMatchObject({ type: 'execution-finish', result: { id: result.id } });
    const last = all.length;
    const rest = await collect(executor.events(tenant, result.id, { lastEventId: last - 1 }));
    expect(rest).toEqual([all.at(-1)]);
    expect(await collect(executor.events(tenant, result.id, { lastEventId: last }))).toEqual([]);
  });

  it('refuses a lastEventId past the end of a finished execution, saying where the end is', async () => {
    const executor = createExecutor({ agents: [echo] });
    const result = await executor.execute({ agentId: 'echo', input: {}, tenant });
    const last = (await collect(executor.events(tenant, result.id))).length;
    const error = await refusal(() => collect(executor.events(tenant, result.id, { lastEventId: last + 5 })));
    expect(error).toMatchObject({
      code: 'validation_failed',
      message: `Last-Event-ID ${last + 5} is past the last event (${last}) of execution "${result.id}". Resume with the id of an event you received, or without one to replay from the start.`,
      issues: [{ path: ['Last-Event-ID'], message: `At most ${last}.` }],
    });
  });

  it('refuses a lastEventId that is not an integer ≥ 0', async () => {
    const executor = createExecutor({ agents: [echo] });
    const result = await executor.execute({ agentId: 'echo', input: {}, tenant });
    for (const lastEventId of [-1, 1.5, '2', Number.NaN, 2 ** 53]) {
      const error = await refusal(() =>
        collect(executor.events(tenant, result.id, { lastEventId: lastEventId as never })),
      );
      expect(error).toMatchObject({
        code: 'validation_failed',
        message: `lastEventId (the Last-Event-ID header) must be an integer ≥ 0, the id of the last event received; got ${JSON.stringify(lastEventId)}.`,
        issues: [{ path: ['Last-Event-ID'], message: 'Expected an event id: an integer ≥ 0.' }],
      });
    }
    // 0 is "from the start".
    expect((await collect(executor.events(tenant, result.id, { lastEventId: 0 }))).length).toBeGreaterThan(1);
  });

  it("answers not_found for an unknown id, an empty one, and another tenant's execution", async () => {
    const executor = createExecutor({ agents: [echo] });
    const result = await executor.execute({ agentId: 'echo', input: {}, tenant });
    for (const [id, who] of [
      ['exe_unknown', tenant],
      ['', tenant],
      [result.id, other],
    ] as const) {
      const error = await refusal(() => collect(executor.events(who, id)));
      expect(error).toMatchObject({ code: 'not_found', message: `No execution "${id}" in this workspace.` });
    }
    expect(await refusal(() => collect(executor.events({} as never, result.id)))).toMatchObject({
      code: 'tenant_required',
    });
    expect(await refusal(() => executor.cancel({} as never, result.id))).toMatchObject({ code: 'tenant_required' });
  });

  it('answers the final event from the record once the log has expired, numbered after lastEventId', async () => {
    const memory = createMemoryCoordinator();
    const store = createMemoryStore();
    const expired = { ...memory, readEvents: async () => undefined };
    const running = createExecutor({ agents: [echo], coordinator: memory, store });
    const result = await running.execute({ agentId: 'echo', input: {}, tenant });
    const reader = createExecutor({ agents: [echo], coordinator: expired, store });
    expect(await collect(reader.events(tenant, result.id, { lastEventId: 3 }))).toEqual([
      { id: 4, event: { type: 'execution-finish', executionId: result.id, result } },
    ]);
    // Another tenant's record is not theirs to read.
    expect(await refusal(() => collect(reader.events(other, result.id)))).toMatchObject({ code: 'not_found' });
  });

  it("answers a failed execution's final event from its record with the error", async () => {
    const memory = createMemoryCoordinator();
    const store = createMemoryStore();
    const failing = defineAgent({
      id: 'failing',
      name: 'Failing',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      prompt: () => 'go',
      mock: () => ({ n: 'not a number' }) as never,
    });
    const result = await createExecutor({ agents: [failing], coordinator: memory, store }).execute({
      agentId: 'failing',
      input: {},
      tenant,
    });
    expect(result.status).toBe('failed');
    const reader = createExecutor({ coordinator: { ...memory, readEvents: async () => undefined }, store });
    const [entry] = await collect(reader.events(tenant, result.id));
    expect(entry).toEqual({
      id: 1,
      event: {
        type: 'execution-error',
        executionId: result.id,
        error: result.status === 'failed' && result.error,
        result,
      },
    });
  });

  it('fails in its own words when the store cannot be read, logging what it threw', async () => {
    const { logger, lines } = recordingLogger();
    const store = createMemoryStore();
    const broken = {
      ...store,
      get: async () => {
        throw new Error('db at 10.9.8.7 down');
      },
    };
    const executor = createExecutor({ agents: [echo], store: broken, logger });
    const error = await refusal(() => collect(executor.events(tenant, 'exe_gone')));
    expect(error).toMatchObject({
      code: 'internal',
      message: 'The execution store failed to read an execution; the details are in the server log.',
    });
    expect(JSON.stringify(error)).not.toContain('10.9.8.7');
    expect(lines.some((line) => line.fields?.site === 'store.get' && line.fields?.tenant_id === 'ws_a')).toBe(true);
  });

  it('follows a running execution as its events are logged, and ends after the final one', async () => {
    const { agent, release } = gated();
    const executor = createExecutor({ agents: [agent], generateId: () => 'exe_followed' });
    const running = executor.execute({ agentId: 'slow', input: {}, tenant });
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of executor.events(tenant, 'exe_followed')) {
        seen.push(entry.event.type);
        if (entry.event.type === 'execution-start') release();
      }
    })();
    await following;
    const result = await running;
    expect(seen[0]).toBe('execution-start');
    expect(seen.at(-1)).toBe('execution-finish');
    expect(result.status).toBe('succeeded');
  });

  it('stops following quietly when the reader’s signal aborts', async () => {
    const { agent, release } = gated();
    const executor = createExecutor({ agents: [agent], generateId: () => 'exe_left' });
    const running = executor.execute({ agentId: 'slow', input: {}, tenant });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const entry of executor.events(tenant, 'exe_left', { signal: controller.signal })) {
      seen.push(entry.event.type);
      controller.abort();
    }
    expect(seen).toEqual(['execution-start']);
    release();
    expect((await running).status).toBe('succeeded');
  });
});

describe('executor.events: following without notifications', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the log again every third of the lease when no append is signalled, and unsubscribes at the end', async () => {
    vi.useFakeTimers();
    const memory = createMemoryCoordinator({ leaseTtlMs: 3000 });
    let listening = 0;
    // A coordinator whose append notifications never arrive (another instance's log, say).
    const silent = {
      ...memory,
      onEventsAppended: () => {
        listening += 1;
        return () => {
          listening -= 1;
        };
      },
    };
    // The log is written by hand, as another instance would write it.
    const id = 'exe_polled';
    await memory.appendEvents('ws_a', id, [
      { id: 1, event: { type: 'execution-start', executionId: id, agentId: 'echo', mode: 'mock' } as never },
    ]);
    const executor = createExecutor({ agents: [echo], coordinator: silent });
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of executor.events(tenant, id)) seen.push(entry.event.type);
    })();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['execution-start']);
    expect(listening).toBe(1);
    await memory.appendEvents('ws_a', id, [
      { id: 2, event: { type: 'execution-finish', executionId: id, result: { id } } as never },
    ]);
    await vi.advanceTimersByTimeAsync(998);
    expect(seen).toEqual(['execution-start']);
    await vi.advanceTimersByTimeAsync(2);
    await following;
    expect(seen).toEqual(['execution-start', 'execution-finish']);
    expect(listening).toBe(0);
  });
});

describe('executor.cancel', () => {
  it('cancels a running execution and answers its record; a finished one is answered unchanged', async () => {
    const { agent } = gated();
    const executor = createExecutor({ agents: [agent, echo] });
    const events = executor.stream({ agentId: 'slow', input: {}, tenant });
    const iterator = events[Symbol.asyncIterator]();
    const first = await iterator.next();
    const id = first.done ? '' : first.value.executionId;
    const cancelled = await executor.cancel(tenant, id);
    expect(cancelled).toMatchObject({ id, status: 'cancelled' });
    expect(await executor.cancel(tenant, id)).toEqual(cancelled);
    const done = await executor.execute({ agentId: 'echo', input: {}, tenant });
    expect(await executor.cancel(tenant, done.id)).toEqual(done);
    await iterator.return?.();
  });

  it("answers not_found for an unknown id, an empty one, and another tenant's execution", async () => {
    const executor = createExecutor({ agents: [echo] });
    const done = await executor.execute({ agentId: 'echo', input: {}, tenant });
    for (const [id, who] of [
      ['exe_unknown', tenant],
      ['', tenant],
      [done.id, other],
    ] as const) {
      expect(await refusal(() => executor.cancel(who, id))).toMatchObject({
        code: 'not_found',
        message: `No execution "${id}" in this workspace.`,
      });
    }
  });

  it('fails in its own words when the coordinator cannot take the request, logging what it threw', async () => {
    const { logger, lines } = recordingLogger();
    const memory = createMemoryCoordinator();
    const coordinator = {
      ...memory,
      requestCancel: async () => {
        throw new Error('redis at 10.4.4.4 refused');
      },
    };
    const executor = createExecutor({ agents: [echo], coordinator, logger });
    const error = await refusal(() => executor.cancel(tenant, 'exe_somewhere'));
    expect(error).toMatchObject({
      code: 'internal',
      message: 'The coordinator failed to request a cancel; the details are in the server log.',
    });
    expect(
      lines.some((line) => line.fields?.site === 'coordinator.requestCancel' && line.fields?.tenant_id === 'ws_a'),
    ).toBe(true);
  });

  it('answers the record of an execution that finished between the read and the request', async () => {
    const memory = createMemoryCoordinator();
    const store = createMemoryStore();
    const done = await createExecutor({ agents: [echo], coordinator: memory, store }).execute({
      agentId: 'echo',
      input: {},
      tenant,
    });
    let reads = 0;
    const late = {
      ...store,
      get: async (tenantId: string, id: string) => {
        reads += 1;
        return reads === 1 ? undefined : store.get(tenantId, id);
      },
    };
    const executor = createExecutor({ agents: [echo], coordinator: memory, store: late });
    expect(await executor.cancel(tenant, done.id)).toEqual(done);
  });
});
