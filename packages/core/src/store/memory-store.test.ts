import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acme, echo } from '../../test/agents';
import { createExecutor, createMemoryStore } from '../index';
import type { ExecutionResult } from '../protocol';
import { historyRecord } from './store.test-support';

const record = historyRecord;

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
    // Not a number (from untyped code): the default page, never the whole history.
    expect((await store.list('t', { limit: Number.NaN })).items).toHaveLength(20);
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

const ids = (page: { items: ExecutionResult[] }) => page.items.map((item) => item.id);

describe('createMemoryStore at its cap', () => {
  it('drops exactly the oldest record on each save, in order, and get follows', async () => {
    const store = createMemoryStore({ maxPerTenant: 4 });
    for (let index = 1; index <= 4; index += 1) await store.save(record(`e${index}`, 't'));
    expect(ids(await store.list('t'))).toEqual(['e4', 'e3', 'e2', 'e1']);
    for (let index = 5; index <= 13; index += 1) {
      await store.save(record(`e${index}`, 't'));
      expect(ids(await store.list('t'))).toEqual([`e${index}`, `e${index - 1}`, `e${index - 2}`, `e${index - 3}`]);
      expect(await store.get('t', `e${index - 4}`)).toBeUndefined();
      expect((await store.get('t', `e${index - 3}`))?.id).toBe(`e${index - 3}`);
    }
  });

  it('replaces a record saved again under its id in place, without dropping another', async () => {
    const store = createMemoryStore({ maxPerTenant: 3 });
    for (let index = 1; index <= 3; index += 1) await store.save(record(`e${index}`, 't'));
    await store.save({ ...record('e2', 't'), output: 'updated' });
    expect(ids(await store.list('t'))).toEqual(['e3', 'e2', 'e1']);
    expect((await store.get('t', 'e2'))?.output).toBe('updated');
    expect((await store.get('t', 'e1'))?.id).toBe('e1');
  });

  it('continues a page across evictions: no repeat, evicted records are just gone, never an error', async () => {
    const store = createMemoryStore({ maxPerTenant: 5 });
    for (let index = 1; index <= 5; index += 1) await store.save(record(`e${index}`, 't'));
    const first = await store.list('t', { limit: 2 });
    expect(ids(first)).toEqual(['e5', 'e4']);
    await store.save(record('e6', 't'));
    await store.save(record('e7', 't')); // drops e1 and e2
    expect(await store.list('t', { limit: 2, cursor: first.nextCursor })).toEqual({
      items: [expect.objectContaining({ id: 'e3' })],
    });

    const deep = await store.list('t', { limit: 4 });
    expect(ids(deep)).toEqual(['e7', 'e6', 'e5', 'e4']);
    for (let index = 8; index <= 12; index += 1) await store.save(record(`e${index}`, 't')); // drops up to e7
    expect(await store.list('t', { limit: 4, cursor: deep.nextCursor })).toEqual({ items: [] });
  });
});

// The obvious implementation (an array per tenant, shifted at the cap), as the reference the
// ring buffer must agree with on every sequence of saves, reads and pages.
function referenceStore(capacity: number) {
  const tenants = new Map<string, { latest: number; entries: { sequence: number; record: ExecutionResult }[] }>();
  return {
    save(record: ExecutionResult) {
      let tenant = tenants.get(record.tenantId);
      if (!tenant) {
        tenant = { latest: 0, entries: [] };
        tenants.set(record.tenantId, tenant);
      }
      const existing = tenant.entries.find((entry) => entry.record.id === record.id);
      if (existing) {
        existing.record = record;
        return;
      }
      tenant.latest += 1;
      tenant.entries.push({ sequence: tenant.latest, record });
      if (tenant.entries.length > capacity) tenant.entries.shift();
    },
    get(tenantId: string, id: string) {
      return tenants.get(tenantId)?.entries.find((entry) => entry.record.id === id)?.record;
    },
    list(tenantId: string, limit: number, agentId: string | undefined, before: number) {
      const matching = (tenants.get(tenantId)?.entries ?? [])
        .filter((entry) => entry.sequence < before && (agentId === undefined || entry.record.agentId === agentId))
        .reverse();
      const items = matching.slice(0, limit);
      return {
        ids: items.map((entry) => entry.record.id),
        next: matching.length > limit ? items.at(-1)?.sequence : undefined,
      };
    },
  };
}

const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('save' as const),
      tenant: fc.constantFrom('t1', 't2'),
      reuse: fc.option(fc.nat(), { nil: undefined }),
      agentId: fc.constantFrom('x', 'y'),
      version: fc.nat(9),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('get' as const), tenant: fc.constantFrom('t1', 't2'), pick: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('list' as const),
      tenant: fc.constantFrom('t1', 't2'),
      limit: fc.integer({ min: 1, max: 6 }),
      agentId: fc.constantFrom('x', 'y', undefined),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('next' as const), limit: fc.integer({ min: 1, max: 6 }) }) },
);

describe('createMemoryStore against a reference', () => {
  it('agrees with a shifting array on saves, re-saves, reads and pages, at and past the cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(operation, { minLength: 10, maxLength: 80, size: 'max' }),
        async (capacity, operations) => {
          const store = createMemoryStore({ maxPerTenant: capacity });
          const reference = referenceStore(capacity);
          const savedIds: Record<string, string[]> = { t1: [], t2: [] };
          let paging: { tenant: string; agentId: string | undefined; cursor: string; before: number } | undefined;
          for (const step of operations) {
            if (step.type === 'save') {
              const known = savedIds[step.tenant] as string[];
              const id =
                step.reuse !== undefined && known.length > 0
                  ? (known[step.reuse % known.length] as string)
                  : `${step.tenant}-${known.length}`;
              if (!known.includes(id)) known.push(id);
              const saved = { ...record(id, step.tenant, step.agentId), output: `${id}@${step.version}` };
              await store.save(saved);
              reference.save(saved);
            } else if (step.type === 'get') {
              const known = savedIds[step.tenant] as string[];
              const id = known[step.pick % Math.max(known.length, 1)] ?? 'none';
              expect(await store.get(step.tenant, id)).toEqual(reference.get(step.tenant, id));
            } else {
              const start =
                step.type === 'list' ? { ...step, before: Number.POSITIVE_INFINITY, cursor: undefined } : paging;
              if (start === undefined) continue;
              const page = await store.list(start.tenant, {
                limit: step.limit,
                agentId: start.agentId,
                cursor: start.cursor,
              });
              const expected = reference.list(start.tenant, step.limit, start.agentId, start.before);
              expect({ ids: ids(page), more: page.nextCursor !== undefined }).toEqual({
                ids: expected.ids,
                more: expected.next !== undefined,
              });
              paging =
                page.nextCursor === undefined || expected.next === undefined
                  ? undefined
                  : { tenant: start.tenant, agentId: start.agentId, cursor: page.nextCursor, before: expected.next };
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
