import type { ExecutionResult } from '../protocol';
import type { ExecutionStore } from '../store';
import type { ContractTestApi } from './provider-contract-support';

/** How {@link describeExecutionStoreContract} gets a store to test. */
export interface ExecutionStoreContractHarness {
  /** Shown in the suite's name (`memory`, `PGlite`, `PostgreSQL 15`, …). */
  name: string;
  /**
   * A store with no records. Called once per case: return a fresh store, or the same one after
   * emptying it. The suite's tenant ids are unique per case, so a shared store works too.
   */
  create(): Promise<ExecutionStore> | ExecutionStore;
  /** Runs once after the last case (close pools, drop schemas). */
  close?(): Promise<void> | void;
  /** Set when the backend is unavailable here: every case is registered as skipped, with this reason. */
  skip?: string;
}

let uniqueCounter = 0;

/** A tenant id no other case (or earlier run against the same database) has used. */
function uniqueTenant(label: string): string {
  uniqueCounter += 1;
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${uniqueCounter}`;
}

function record(
  id: string,
  tenantId: string,
  agentId = 'echo',
  overrides: Partial<ExecutionResult> = {},
): ExecutionResult {
  return {
    id,
    agentId,
    tenantId,
    userId: 'user_1',
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: { message: id },
    output: id,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
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
    ...overrides,
  } as ExecutionResult;
}

const ids = (page: { items: ExecutionResult[] }) => page.items.map((item) => item.id);

/**
 * Registers the contract every {@link ExecutionStore} keeps: records round-trip unchanged, reads
 * never cross tenants, history is newest first with opaque per-tenant cursors that survive new
 * writes, and a cursor the store did not issue for this tenant is refused with
 * `validation_failed` (path `['cursor']`). Run it against your own store:
 *
 * @example
 * import * as vitest from 'vitest';
 * describeExecutionStoreContract({ name: 'mine', create: () => createMyStore() }, vitest);
 */
export function describeExecutionStoreContract(harness: ExecutionStoreContractHarness, test: ContractTestApi): void {
  const { describe, expect } = test;
  const it =
    harness.skip === undefined
      ? test.it
      : (name: string, body: () => Promise<void>) => test.it.skip(`${name} (skipped: ${harness.skip})`, body);

  describe(`ExecutionStore contract: ${harness.name}`, () => {
    if (harness.close !== undefined && harness.skip === undefined) test.afterAll(() => harness.close?.());

    it('returns a saved record unchanged, for its own tenant only', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('round-trip');
      const other = uniqueTenant('other');
      const failed = record('exe_failed', tenant, 'echo', {
        status: 'failed',
        output: 'partial ✓ "quoted" \u00e9',
        error: {
          code: 'timeout',
          message: 'The run took longer than 500 ms.',
          userMessage: 'Try again.',
          retryable: true,
          status: 504,
        },
        input: { nested: { list: [1, 2.5, null, 'text'], unicode: '日本語 🚀', nul: 'a\u0000b', quote: "it's" } },
      } as Partial<ExecutionResult>);
      await store.save(failed);
      expect(await store.get(tenant, 'exe_failed')).toEqual(failed);
      expect(await store.get(other, 'exe_failed')).toBe(undefined);
      expect(await store.get(tenant, 'exe_missing')).toBe(undefined);
      expect((await store.list(other)).items).toEqual([]);
    });

    it('lists newest first, pages with cursors, filters by agent, and ends without a cursor', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('pages');
      for (let index = 1; index <= 7; index += 1) {
        await store.save(record(`e${index}`, tenant, index % 2 ? 'odd' : 'even'));
      }
      const first = await store.list(tenant, { limit: 3 });
      expect(ids(first)).toEqual(['e7', 'e6', 'e5']);
      expect(typeof first.nextCursor).toBe('string');
      const second = await store.list(tenant, { limit: 3, cursor: first.nextCursor });
      expect(ids(second)).toEqual(['e4', 'e3', 'e2']);
      const third = await store.list(tenant, { limit: 3, cursor: second.nextCursor });
      expect(ids(third)).toEqual(['e1']);
      expect(third.nextCursor).toBe(undefined);
      const exact = await store.list(tenant, { limit: 7 });
      expect(ids(exact)).toEqual(['e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
      expect(exact.nextCursor).toBe(undefined);

      const even = await store.list(tenant, { agentId: 'even', limit: 2 });
      expect(ids(even)).toEqual(['e6', 'e4']);
      expect(ids(await store.list(tenant, { agentId: 'even', limit: 2, cursor: even.nextCursor }))).toEqual(['e2']);
      expect((await store.list(tenant, { agentId: 'nobody' })).items).toEqual([]);

      // Runs saved between two pages neither repeat nor shift the next page.
      await store.save(record('e8', tenant, 'odd'));
      expect(ids(await store.list(tenant, { limit: 3, cursor: first.nextCursor }))).toEqual(['e4', 'e3', 'e2']);
      expect(ids(await store.list(tenant, { limit: 1 }))).toEqual(['e8']);
    });

    it('replaces a record saved again under the same id, in place', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('replace');
      await store.save(record('a', tenant));
      await store.save(record('b', tenant));
      const replaced = record('a', tenant, 'echo', { output: 'second' });
      await store.save(replaced);
      expect(await store.get(tenant, 'a')).toEqual(replaced);
      expect(ids(await store.list(tenant))).toEqual(['b', 'a']);
    });

    it('keeps tenants apart even when they use the same execution id', async () => {
      const store = await harness.create();
      const acme = uniqueTenant('acme');
      const globex = uniqueTenant('globex');
      await store.save(record('shared', acme, 'echo', { output: 'acme' }));
      await store.save(record('shared', globex, 'echo', { output: 'globex' }));
      expect((await store.get(acme, 'shared'))?.output).toBe('acme');
      expect((await store.get(globex, 'shared'))?.output).toBe('globex');
      expect((await store.list(acme)).items.map((item) => item.tenantId)).toEqual([acme]);
    });

    it("refuses a cursor of another tenant, an edited one, garbage and non-strings with validation_failed ['cursor']", async () => {
      const store = await harness.create();
      const acme = uniqueTenant('acme');
      const globex = uniqueTenant('globex');
      for (let index = 0; index < 3; index += 1) {
        await store.save(record(`a${index}`, acme));
        await store.save(record(`g${index}`, globex));
      }
      const acmeCursor = (await store.list(acme, { limit: 1 })).nextCursor as string;
      expect(typeof acmeCursor).toBe('string');
      const edited = `${acmeCursor.slice(0, -1)}${acmeCursor.endsWith('A') ? 'B' : 'A'}`;
      const refused: unknown[] = [acmeCursor, edited, 'DROP TABLE agentry', "' or 1=1 --", 'x'.repeat(10_000), 5];
      for (const cursor of refused) {
        let caught: unknown;
        try {
          await store.list(globex, { cursor: cursor as string });
        } catch (error) {
          caught = error;
        }
        expect(caught).toMatchObject({ code: 'validation_failed', issues: [{ path: ['cursor'] }] });
      }
      // The cursor still works for the tenant it was issued to.
      expect(ids(await store.list(acme, { limit: 1, cursor: acmeCursor }))).toEqual(['a1']);
    });

    it('clamps the page size: at most 100, at least 1, 20 when it is not a number', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('clamp');
      for (let index = 0; index < 120; index += 1) await store.save(record(`x${index}`, tenant));
      expect((await store.list(tenant, { limit: 1000 })).items.length).toBe(100);
      expect((await store.list(tenant, { limit: 0 })).items.length).toBe(1);
      expect((await store.list(tenant, { limit: Number.NaN })).items.length).toBe(20);
      expect((await store.list(tenant)).items.length).toBe(20);
    });
  });
}
