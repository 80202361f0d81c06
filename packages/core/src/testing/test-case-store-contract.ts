import type { TestCase } from '../protocol';
import type { TestCaseStore } from '../test-cases';
import type { ContractTestApi } from './provider-contract-support';

/** How {@link describeTestCaseStoreContract} gets a store to test. */
export interface TestCaseStoreContractHarness {
  /** Shown in the suite's name (`memory`, `PGlite`, `PostgreSQL 15`, …). */
  name: string;
  /** A store; the suite's tenant ids are unique per case, so a shared store works too. */
  create(): Promise<TestCaseStore> | TestCaseStore;
  /** Runs once after the last case (close pools, drop schemas). */
  close?(): Promise<void> | void;
  /** Set when the backend is unavailable here: every case is registered as skipped, with this reason. */
  skip?: string;
}

let uniqueCounter = 0;
function uniqueTenant(label: string): string {
  uniqueCounter += 1;
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${uniqueCounter}`;
}

function testCase(id: string, tenantId: string, agentId = 'echo', overrides: Partial<TestCase> = {}): TestCase {
  return {
    id,
    tenantId,
    agentId,
    name: `case ${id}`,
    input: { text: 'hello' },
    expectations: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/**
 * Registers the contract every {@link TestCaseStore} keeps: cases round-trip unchanged (JSON,
 * unicode, NUL in strings), list in the order they were saved, per tenant and agent; the
 * per-agent cap holds; update keeps `createdAt`; and no method reads, changes or deletes another
 * tenant's case (it answers as for an unknown one).
 *
 * @example
 * import * as vitest from 'vitest';
 * describeTestCaseStoreContract({ name: 'mine', create: () => createMyTestCaseStore() }, vitest);
 */
export function describeTestCaseStoreContract(harness: TestCaseStoreContractHarness, test: ContractTestApi): void {
  const { describe, expect } = test;
  const it =
    harness.skip === undefined
      ? test.it
      : (name: string, body: () => Promise<void>) => test.it.skip(`${name} (skipped: ${harness.skip})`, body);
  const many = { maxPerAgent: 100 };

  describe(`TestCaseStore contract: ${harness.name}`, () => {
    if (harness.close !== undefined && harness.skip === undefined) test.afterAll(() => harness.close?.());

    it('returns a saved case unchanged, for its own tenant and agent only', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('round-trip');
      const other = uniqueTenant('other');
      const saved = testCase('tc_1', tenant, 'echo', {
        name: 'Unicode ✓ "quoted" 日本語',
        input: { nested: { list: [1, 2.5, null, 'text'], nul: 'a\u0000b', emoji: '🚀' } },
        expectations: {
          schemaValid: true,
          equals: { a: [1, { b: null }] },
          contains: 'x',
          maxLatencyMs: 2000,
          maxCostUsd: 0.01,
        },
      });
      expect(await store.create(saved, many)).toBe(true);
      expect(await store.get(tenant, 'echo', 'tc_1')).toEqual(saved);
      expect(await store.list(tenant, 'echo')).toEqual([saved]);
      expect(await store.get(other, 'echo', 'tc_1')).toBe(undefined);
      expect(await store.get(tenant, 'other-agent', 'tc_1')).toBe(undefined);
      expect(await store.get(tenant, 'echo', 'tc_missing')).toBe(undefined);
      expect(await store.list(other, 'echo')).toEqual([]);
      expect(await store.list(tenant, 'other-agent')).toEqual([]);
    });

    it('lists in the order the cases were saved, per agent', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('order');
      for (const id of ['tc_c', 'tc_a', 'tc_b']) await store.create(testCase(id, tenant), many);
      await store.create(testCase('tc_z', tenant, 'summarize'), many);
      expect((await store.list(tenant, 'echo')).map((item) => item.id)).toEqual(['tc_c', 'tc_a', 'tc_b']);
      expect((await store.list(tenant, 'summarize')).map((item) => item.id)).toEqual(['tc_z']);
    });

    it('refuses the case past maxPerAgent, counting per tenant and agent', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('cap');
      const other = uniqueTenant('cap-other');
      expect(await store.create(testCase('tc_1', tenant), { maxPerAgent: 2 })).toBe(true);
      expect(await store.create(testCase('tc_2', tenant), { maxPerAgent: 2 })).toBe(true);
      expect(await store.create(testCase('tc_3', tenant), { maxPerAgent: 2 })).toBe(false);
      expect((await store.list(tenant, 'echo')).map((item) => item.id)).toEqual(['tc_1', 'tc_2']);
      // Other agents and other tenants have their own count.
      expect(await store.create(testCase('tc_4', tenant, 'summarize'), { maxPerAgent: 2 })).toBe(true);
      expect(await store.create(testCase('tc_5', other), { maxPerAgent: 2 })).toBe(true);
    });

    it('holds the cap when cases are saved at once', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('race');
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, index) => store.create(testCase(`tc_${index}`, tenant), { maxPerAgent: 3 })),
      );
      expect(results.filter(Boolean).length).toBe(3);
      expect((await store.list(tenant, 'echo')).length).toBe(3);
    });

    it('updates name, input, expectations and updatedAt, keeps createdAt; not across tenants', async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('update');
      const other = uniqueTenant('update-other');
      await store.create(testCase('tc_1', tenant), many);
      const change = testCase('tc_1', tenant, 'echo', {
        name: 'renamed',
        input: { text: 'changed' },
        expectations: { contains: 'c' },
        createdAt: '2030-01-01T00:00:00.000Z',
        updatedAt: '2026-02-02T00:00:00.000Z',
      });
      expect(await store.update({ ...change, tenantId: other })).toBe(undefined);
      expect(await store.update({ ...change, agentId: 'summarize' })).toBe(undefined);
      const updated = await store.update(change);
      expect(updated).toEqual({ ...change, createdAt: '2026-01-01T00:00:00.000Z' });
      expect(await store.get(tenant, 'echo', 'tc_1')).toEqual(updated);
      expect(await store.update(testCase('tc_missing', tenant))).toBe(undefined);
    });

    it("deletes a case of its own tenant only; another tenant's id answers as an unknown one", async () => {
      const store = await harness.create();
      const tenant = uniqueTenant('delete');
      const other = uniqueTenant('delete-other');
      await store.create(testCase('tc_1', tenant), many);
      await store.create(testCase('tc_1', other), many);
      expect(await store.delete(other, 'summarize', 'tc_1')).toBe(false);
      expect(await store.delete(tenant, 'echo', 'tc_1')).toBe(true);
      expect(await store.delete(tenant, 'echo', 'tc_1')).toBe(false);
      expect(await store.get(tenant, 'echo', 'tc_1')).toBe(undefined);
      expect(await store.get(other, 'echo', 'tc_1')).toEqual(testCase('tc_1', other));
    });
  });
}
