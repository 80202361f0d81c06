import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { echo } from '../../test/agents';
import { createExecutor } from '../executor';
import { createHandler } from '../server';
import { createMemoryStore } from './memory-store';
import { historyRecord } from './store.test-support';

const BASE = '/api/agentry';

describe('history cursors over HTTP', () => {
  const executor = createExecutor({ agents: [echo], store: createMemoryStore() });
  const handler = createHandler({
    executor,
    basePath: BASE,
    resolveTenant: (request) => {
      const tenantId = request.headers.get('x-test-tenant');
      return tenantId ? { tenantId, userId: 'user' } : undefined;
    },
  });
  const history = (tenantId: string, query: string) =>
    handler(new Request(`http://127.0.0.1${BASE}/executions${query}`, { headers: { 'x-test-tenant': tenantId } }));

  it('refuses a foreign, edited, old-format or garbage cursor with the same 400, never a page', async () => {
    for (let index = 0; index < 3; index += 1) {
      await executor.execute({ agentId: 'echo', input: { message: `a${index}` }, tenant: { tenantId: 'acme' } });
      await executor.execute({ agentId: 'echo', input: { message: `g${index}` }, tenant: { tenantId: 'globex' } });
    }
    const acmePage = (await (await history('acme', '?limit=1')).json()) as { nextCursor: string };
    const globexPage = (await (await history('globex', '?limit=1')).json()) as { nextCursor: string };
    expect(acmePage.nextCursor).toEqual(expect.any(String));
    // Both tenants are at the same place in their own history: the position alone is equal,
    // so only the binding to the tenant tells the two cursors apart.
    expect(globexPage.nextCursor).not.toBe(acmePage.nextCursor);
    const own = await history('acme', `?limit=1&cursor=${encodeURIComponent(acmePage.nextCursor)}`);
    expect(own.status).toBe(200);

    const edited = `${acmePage.nextCursor.slice(0, -1)}${acmePage.nextCursor.endsWith('A') ? 'B' : 'A'}`;
    const refused = [
      acmePage.nextCursor, // used by globex
      edited,
      acmePage.nextCursor.slice(0, -2),
      'c1', // the format before this change: a base-36 counter shared by all tenants
      'DROP TABLE',
      '%00',
      'x'.repeat(10_000),
      btoa('v1.2.0'),
    ];
    const bodies = [];
    for (const cursor of refused) {
      const response = await history('globex', `?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      bodies.push(await response.json());
    }
    expect(bodies[0]).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: ['cursor'], message: expect.any(String) }],
      detail: expect.stringMatching(/List again without a cursor/),
    });
    // One answer for every kind of bad cursor: a foreign one cannot be told apart from garbage.
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });
});

describe('history cursors in the store', () => {
  const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  it('refuses every one-character edit of an issued cursor, and any other spelling of it', async () => {
    const store = createMemoryStore();
    for (let index = 1; index <= 40; index += 1) await store.save(historyRecord(`e${index}`, 't'));
    const { nextCursor } = await store.list('t', { limit: 3 });
    if (nextCursor === undefined) throw new Error('expected a next page');
    expect((await store.list('t', { limit: 1, cursor: nextCursor })).items.map((item) => item.id)).toEqual(['e37']);
    // Exhaustive rather than random: changing the unused low bits of the last base64 character
    // decodes to the same bytes, and only a check of the exact spelling refuses it.
    for (let position = 0; position < nextCursor.length; position += 1) {
      for (const character of BASE64URL_ALPHABET) {
        if (character === nextCursor[position]) continue;
        const edited = `${nextCursor.slice(0, position)}${character}${nextCursor.slice(position + 1)}`;
        await expect(store.list('t', { cursor: edited }), edited).rejects.toMatchObject({ code: 'validation_failed' });
      }
    }
    await expect(store.list('t', { cursor: `${nextCursor}=` })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a cursor that points past the tenant history (a store restarted since) and non-strings', async () => {
    const before = createMemoryStore();
    for (let index = 1; index <= 5; index += 1) await before.save(historyRecord(`e${index}`, 't'));
    const { nextCursor } = await before.list('t', { limit: 1 });
    const restarted = createMemoryStore();
    await restarted.save(historyRecord('f1', 't'));
    await expect(restarted.list('t', { cursor: nextCursor })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(restarted.list('nobody', { cursor: nextCursor })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(restarted.list('t', { cursor: 5 as unknown as string })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

interface PageView {
  ids: string[];
  nextCursor: string | undefined;
}

type Step =
  | { type: 'save'; tenant: 'a' | 'b'; agentId: 'x' | 'y' }
  | { type: 'burst'; count: number }
  | { type: 'page'; limit: number; agentId: 'x' | 'y' | undefined; restart: boolean };

const steps = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        type: fc.constant('save' as const),
        tenant: fc.constantFrom('a' as const, 'b' as const),
        agentId: fc.constantFrom('x' as const, 'y' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant('burst' as const), count: fc.integer({ min: 1, max: 1000 }) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.constant('page' as const),
        limit: fc.integer({ min: 1, max: 5 }),
        agentId: fc.constantFrom('x' as const, 'y' as const, undefined),
        restart: fc.boolean(),
      }),
    },
  ),
  { maxLength: 40, size: 'max' },
);

// Plays the steps against a fresh store and returns everything tenant B saw.
async function tenantBView(capacity: number, plan: Step[]): Promise<PageView[]> {
  const store = createMemoryStore({ maxPerTenant: capacity });
  const seen: PageView[] = [];
  const counts = { a: 0, b: 0 };
  let cursor: string | undefined;
  let agentId: 'x' | 'y' | undefined;
  for (const step of plan) {
    if (step.type === 'save') {
      counts[step.tenant] += 1;
      await store.save(historyRecord(`${step.tenant}${counts[step.tenant]}`, step.tenant, step.agentId));
    } else if (step.type === 'burst') {
      for (let index = 0; index < step.count; index += 1) {
        counts.a += 1;
        await store.save(historyRecord(`a${counts.a}`, 'a', index % 2 ? 'x' : 'y'));
      }
    } else {
      if (step.restart || cursor === undefined) agentId = step.agentId;
      const page = await store.list('b', { limit: step.limit, agentId, cursor: step.restart ? undefined : cursor });
      seen.push({ ids: page.items.map((item) => item.id), nextCursor: page.nextCursor });
      cursor = page.nextCursor;
    }
  }
  return seen;
}

describe('history cursors carry no other tenant', () => {
  it("tenant B's pages and cursors are the same whether tenant A ran 0 or 1000s of times", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), steps, async (capacity, plan) => {
        const withA = await tenantBView(capacity, plan);
        const withoutA = await tenantBView(
          capacity,
          plan.filter((step) => step.type === 'page' || (step.type === 'save' && step.tenant === 'b')),
        );
        expect(withA).toEqual(withoutA);
        expect(withA.flatMap((view) => view.ids).every((id) => id.startsWith('b'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('paging while runs are saved', () => {
  it('walks the history as it was at the first page: no repeat, no gap, only evictions missing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom('x' as const, 'y' as const, undefined),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.constantFrom('a', 'b', 'x', 'y'))), {
          maxLength: 30,
          size: 'max',
        }),
        async (capacity, before, agentId, pages) => {
          const store = createMemoryStore({ maxPerTenant: capacity });
          let saved = 0;
          const save = async (tenant: string, agent: string) => {
            saved += 1;
            await store.save(
              historyRecord(`${tenant}-${saved}`, tenant === 'a' ? 'a' : 'b', agent === 'y' ? 'y' : 'x'),
            );
          };
          for (let index = 0; index < before; index += 1) await save(index % 3 ? 'b' : 'a', index % 2 ? 'x' : 'y');
          const snapshot = (await store.list('b', { limit: 100, agentId })).items.map((item) => item.id);

          const walked: string[] = [];
          let cursor: string | undefined;
          let pageIndex = 0;
          do {
            const [limit, savesAfter] = pages[pageIndex] ?? [3, []];
            const page = await store.list('b', { limit, agentId, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            walked.push(...page.items.map((item) => item.id));
            cursor = page.nextCursor;
            for (const entry of savesAfter) await save(entry === 'a' ? 'a' : 'b', entry);
            pageIndex += 1;
          } while (cursor !== undefined);

          const stillStored = new Set((await store.list('b', { limit: 100 })).items.map((item) => item.id));
          expect(new Set(walked).size).toBe(walked.length);
          // In snapshot order, nothing saved after the first page, and every record of the
          // snapshot that was not evicted meanwhile.
          expect(walked).toEqual(snapshot.filter((id) => walked.includes(id)));
          expect(walked).toEqual(expect.arrayContaining(snapshot.filter((id) => stillStored.has(id))));
        },
      ),
      { numRuns: 300 },
    );
  });
});
