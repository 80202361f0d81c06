// On the in-memory store and coordinator a run saves, takes and gives back its lease without a
// promise (their synchronous fast path). A wrapper of either is a different store or coordinator:
// it must see every call through its own methods, and limits must still hold.
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { acme, echo } from '../../test/agents';
import {
  type Coordinator,
  createExecutor,
  createMemoryCoordinator,
  createMemoryStore,
  defineAgent,
  type ExecutionStore,
} from '../index';

const run = { agentId: 'echo' as const, input: { message: 'hi' }, tenant: acme };

describe('the in-process fast path', () => {
  it("never bypasses a wrapper's save, acquire or release", async () => {
    const memoryStore = createMemoryStore();
    const save = vi.fn((record: Parameters<ExecutionStore['save']>[0]) => memoryStore.save(record));
    const memoryCoordinator = createMemoryCoordinator();
    const acquire = vi.fn((request: Parameters<Coordinator['acquire']>[0]) => memoryCoordinator.acquire(request));
    const release = vi.fn((...args: Parameters<Coordinator['release']>) => memoryCoordinator.release(...args));
    const executor = createExecutor({
      agents: [echo],
      store: { ...memoryStore, save },
      coordinator: { ...memoryCoordinator, acquire, release },
    });
    const result = await executor.execute(run);
    for await (const _event of executor.stream(run));
    expect(result.status).toBe('succeeded');
    expect(save).toHaveBeenCalledTimes(2);
    expect(acquire).toHaveBeenCalledTimes(2);
    expect(release).toHaveBeenCalledTimes(2);
    expect((await memoryStore.list(acme.tenantId)).items).toHaveLength(2);
  });

  it('the memory coordinator still refuses a run over the concurrency limit, and frees the slot after', async () => {
    // A mock that answers at once runs to its end before execute() returns; this one waits until
    // released, so the first run still holds its slot when the second asks for one.
    const gate: { release?: () => void } = {};
    const waiting = defineAgent({
      id: 'waiting',
      name: 'Waiting',
      input: z.object({ message: z.string() }),
      prompt: ({ message }) => message,
      mock: ({ message }) =>
        gate.release === undefined
          ? new Promise<string>((resolve) => {
              gate.release = () => resolve(`You said: ${message}.`);
            })
          : `You said: ${message}.`,
    });
    const executor = createExecutor({ agents: [waiting], limits: { concurrencyPerTenant: 1 } });
    const waitingRun = { ...run, agentId: 'waiting' as const };
    // The first run of an executor also sweeps for interrupted runs: a run after it starts at once.
    gate.release = () => {};
    await executor.execute(waitingRun);
    gate.release = undefined;
    const first = executor.execute(waitingRun);
    await vi.waitFor(() => expect(gate.release).toBeDefined());
    await expect(executor.execute(waitingRun)).rejects.toMatchObject({ code: 'limit_exceeded' });
    (gate.release as (() => void) | undefined)?.();
    expect((await first).status).toBe('succeeded');
    expect((await executor.execute(waitingRun)).status).toBe('succeeded');
    expect((await executor.listExecutions(acme)).items).toHaveLength(3);
  });
});
