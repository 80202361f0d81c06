import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { type Coordinator, createMemoryCoordinator } from '../coordinator';
import type { ExecutionEventEntry } from '../protocol';
import { defineTool } from '../tools';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const add = defineTool({ description: 'Adds one.', input: z.object({ x: z.number() }), execute: ({ x }) => x + 1 });
const agent = defineAgent({
  id: 'adder',
  name: 'Adder',
  input: z.object({}),
  prompt: () => 'go',
  tools: { add },
  mock: {
    steps: [
      { toolCalls: [{ name: 'add', args: { x: 1 } }] },
      { toolCalls: [{ name: 'add', args: { x: 2 } }] },
      { text: 'Done.' },
    ],
  },
});

/** The memory coordinator, with every appendEvents call and the moment of release recorded. */
function recording(overrides: Partial<Coordinator> = {}) {
  const inner = createMemoryCoordinator();
  const calls: ExecutionEventEntry[][] = [];
  const storedAtRelease: number[] = [];
  const coordinator: Coordinator = {
    ...inner,
    leaseTtlMs: inner.leaseTtlMs,
    async appendEvents(tenantId, executionId, entries) {
      calls.push([...entries]);
      return inner.appendEvents(tenantId, executionId, entries);
    },
    async release(lease, settlement) {
      storedAtRelease.push((await inner.readEvents(lease.tenantId, lease.executionId, 0))?.length ?? -1);
      return inner.release(lease, settlement);
    },
    ...overrides,
  };
  return { coordinator, calls, storedAtRelease, inner };
}

describe("a run's event log", () => {
  it('holds every event, ids 1…n in order, stored before the lease is released, in fewer calls than events', async () => {
    const { coordinator, calls, storedAtRelease } = recording();
    const executor = createExecutor({ agents: [agent], coordinator });
    const seen: string[] = [];
    for await (const event of executor.stream({ agentId: 'adder', input: {}, tenant })) seen.push(event.type);
    const logged = calls.flat();
    expect(logged.map((entry) => entry.id)).toEqual(seen.map((_, index) => index + 1));
    expect(logged.map((entry) => entry.event.type)).toEqual(seen);
    expect(storedAtRelease).toEqual([seen.length]);
    // Events of one synchronous stretch share one call.
    expect(calls.length).toBeLessThan(seen.length);
  });

  it('replays the whole run to a reader that comes after it finished', async () => {
    const { coordinator } = recording();
    const executor = createExecutor({ agents: [agent], coordinator });
    const result = await executor.execute({ agentId: 'adder', input: {}, tenant });
    const replayed: string[] = [];
    for await (const entry of executor.events(tenant, result.id)) replayed.push(entry.event.type);
    expect(replayed[0]).toBe('execution-start');
    expect(replayed.filter((type) => type === 'step-finish')).toHaveLength(3);
    expect(replayed.at(-1)).toBe('execution-finish');
  });

  it('never breaks the run when appending fails, even by throwing at once, and logs it once', async () => {
    for (const appendEvents of [
      async () => {
        throw new Error('log store down');
      },
      () => {
        throw new Error('log store down');
      },
    ] as Coordinator['appendEvents'][]) {
      const error = vi.fn();
      const { coordinator } = recording({ appendEvents });
      const executor = createExecutor({
        agents: [agent],
        coordinator,
        logger: { debug() {}, info() {}, warn() {}, error },
      });
      const result = await executor.execute({ agentId: 'adder', input: {}, tenant });
      expect(result.status).toBe('succeeded');
      const failures = error.mock.calls.filter(([event]) => event === 'agentry.coordinator.append_failed');
      expect(failures).toHaveLength(1);
    }
  });
});
