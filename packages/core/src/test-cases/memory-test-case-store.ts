import type { TestCase } from '../protocol';
import type { TestCaseStore } from './test-case-store';

// A structured clone keeps callers from changing what the store holds through a returned object.
const copy = (testCase: TestCase): TestCase => structuredClone(testCase);

/**
 * An in-memory {@link TestCaseStore}: for tests, demos and single-instance development.
 * Cases are lost on restart; use `createPostgresTestCaseStore` from `@agentry/postgres` to keep them.
 */
export function createMemoryTestCaseStore(): TestCaseStore {
  // tenant → agent → id → case; a Map keeps insertion order, which is the list's order.
  const tenants = new Map<string, Map<string, Map<string, TestCase>>>();
  const casesOf = (tenantId: string, agentId: string) => tenants.get(tenantId)?.get(agentId);

  return {
    async list(tenantId, agentId) {
      return [...(casesOf(tenantId, agentId)?.values() ?? [])].map(copy);
    },
    async get(tenantId, agentId, testCaseId) {
      const found = casesOf(tenantId, agentId)?.get(testCaseId);
      return found === undefined ? undefined : copy(found);
    },
    async create(testCase, { maxPerAgent }) {
      let agents = tenants.get(testCase.tenantId);
      if (agents === undefined) {
        agents = new Map();
        tenants.set(testCase.tenantId, agents);
      }
      let cases = agents.get(testCase.agentId);
      if (cases === undefined) {
        cases = new Map();
        agents.set(testCase.agentId, cases);
      }
      if (cases.size >= maxPerAgent) return false;
      cases.set(testCase.id, copy(testCase));
      return true;
    },
    async update(testCase) {
      const cases = casesOf(testCase.tenantId, testCase.agentId);
      const existing = cases?.get(testCase.id);
      if (cases === undefined || existing === undefined) return undefined;
      const updated: TestCase = {
        ...copy(testCase),
        createdAt: existing.createdAt,
      };
      cases.set(testCase.id, updated);
      return copy(updated);
    },
    async delete(tenantId, agentId, testCaseId) {
      return casesOf(tenantId, agentId)?.delete(testCaseId) ?? false;
    },
  };
}
