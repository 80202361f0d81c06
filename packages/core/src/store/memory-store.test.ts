import { describe, expect, it } from 'vitest';
import { acme, echo } from '../../test/agents';
import { createExecutor, createMemoryStore, type ExecutionResult } from '../index';

function record(id: string, tenantId: string, agentId = 'echo'): ExecutionResult {
  return {
    id,
    agentId,
    tenantId,
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output: id,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    metrics: {
      durationMs: 1,
      timeToFirstOutputMs: 1,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: null,
      provider: 'mock',
      model: 'mock',
      attempts: 1,
      simulated: true,
    },
  };
}

describe('createMemoryStore', () => {
  it('lists newest first with cursor pagination and an agent filter', async () => {
    const store = createMemoryStore();
    for (let index = 1; index <= 7; index += 1) await store.save(record(`e${index}`, 't1', index % 2 ? 'odd' : 'even'));
    const first = await store.list('t1', { limit: 3 });
    expect(first.items.map((item) => item.id)).toEqual(['e7', 'e6', 'e5']);
    const second = await store.list('t1', { limit: 3, cursor: first.nextCursor });
    expect(second.items.map((item) => item.id)).toEqual(['e4', 'e3', 'e2']);
    const third = await store.list('t1', { limit: 3, cursor: second.nextCursor });
    expect(third).toEqual({ items: [expect.objectContaining({ id: 'e1' })] });
    expect((await store.list('t1', { agentId: 'even' })).items.map((item) => item.id)).toEqual(['e6', 'e4', 'e2']);
    // A page boundary survives new writes: the cursor still continues where it left off.
    await store.save(record('e8', 't1'));
    expect((await store.list('t1', { limit: 3, cursor: first.nextCursor })).items.map((item) => item.id)).toEqual([
      'e4',
      'e3',
      'e2',
    ]);
  });

  it('is bounded per tenant, dropping the oldest, and never mixes tenants', async () => {
    const store = createMemoryStore({ maxPerTenant: 3 });
    for (let index = 1; index <= 5; index += 1) await store.save(record(`a${index}`, 'a'));
    await store.save(record('b1', 'b'));
    expect((await store.list('a')).items.map((item) => item.id)).toEqual(['a5', 'a4', 'a3']);
    expect(await store.get('a', 'a1')).toBeUndefined();
    expect(await store.get('b', 'a5')).toBeUndefined();
    expect((await store.get('b', 'b1'))?.id).toBe('b1');
  });

  it('refuses a forged cursor with a clear error and clamps the page size', async () => {
    const store = createMemoryStore();
    await expect(store.list('t', { cursor: 'DROP TABLE' })).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ path: ['cursor'] }],
    });
    for (let index = 0; index < 120; index += 1) await store.save(record(`x${index}`, 't'));
    expect((await store.list('t', { limit: 1000 })).items).toHaveLength(100);
    expect((await store.list('t', { limit: 0 })).items).toHaveLength(1);
    expect(() => createMemoryStore({ maxPerTenant: 0 })).toThrow(/positive integer/);
  });

  it('keeps memory flat under sustained use through the executor (bounded history)', async () => {
    const executor = createExecutor({ agents: [echo], store: createMemoryStore({ maxPerTenant: 50 }) });
    for (let index = 0; index < 200; index += 1)
      await executor.execute({ agentId: 'echo', input: { message: `${index}` }, tenant: acme });
    const page = await executor.listExecutions(acme, { limit: 100 });
    expect(page.items).toHaveLength(50);
    expect(page.items[0]?.input).toEqual({ message: '199' });
  });
});
