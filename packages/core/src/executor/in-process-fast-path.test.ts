// On the in-memory store and coordinator a run saves, takes and gives back its lease without a
// promise (their synchronous fast path). A wrapper of either is a different store or coordinator:
// it must see every call through its own methods, and limits must still hold.
import { describe, expect, it, vi } from 'vitest';
import { acme, echo } from '../../test/agents';
import {
  type Coordinator,
  createExecutor,
  createMemoryCoordinator,
  createMemoryStore,
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
    const executor = createExecutor({ agents: [echo], limits: { concurrencyPerTenant: 1 } });
    // The first run of an executor also sweeps for interrupted runs, which lets a later call overtake it.
    await executor.execute(run);
    const first = executor.execute(run);
    await expect(executor.execute(run)).rejects.toMatchObject({ code: 'limit_exceeded' });
    expect((await first).status).toBe('succeeded');
    expect((await executor.execute(run)).status).toBe('succeeded');
    expect((await executor.listExecutions(acme)).items).toHaveLength(3);
  });
});
