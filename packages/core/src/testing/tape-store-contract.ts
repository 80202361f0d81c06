// The behaviours every TapeStore has (memory, a directory, PostgreSQL, yours): reads what was
// written, merges as `mergeTapeEntries` says, and keeps each tenant's tapes to that tenant.
import type { TapeEntry, TapeStore } from '../tapes';
import type { ContractTestApi } from './provider-contract-support';

/** What the contract suite needs to build a tape store for one case. */
export interface TapeStoreContractHarness {
  /** Shown in the suite's name. */
  name: string;
  /** A fresh, empty store. Called once per case. */
  create(): TapeStore | Promise<TapeStore>;
  /** Called after each case with the store it built (close connections, drop schemas). */
  dispose?(store: TapeStore): void | Promise<void>;
}

const KEY_A = `sha256:${'a'.repeat(64)}`;
const KEY_B = `sha256:${'b'.repeat(64)}`;

/** A recorded call: `text` is what the model answered, so a case can tell entries apart. */
export function contractTapeEntry(key: string, attempt: number, text: string, agentId = 'summarize'): TapeEntry {
  return {
    key,
    attempt,
    provider: 'openai',
    call: 'stream',
    recordedAt: '2026-12-02T19:05:56.989Z',
    durationMs: 120,
    request: {
      agentId,
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: `Summarize: ${text}` }],
      input: { text },
    },
    events: [
      { atMs: 40, type: 'text-delta', delta: text },
      { atMs: 90, type: 'usage', usage: { inputTokens: 12, outputTokens: 3 } },
      { atMs: 120, type: 'finish', finishReason: 'stop', model: 'gpt-4.1-mini-2025-04-14' },
    ],
  };
}

const TENANT_A = { tenantId: 'tenant_a', agentId: 'summarize' };
const TENANT_B = { tenantId: 'tenant_b', agentId: 'summarize' };

/**
 * Registers the tape store contract.
 *
 * @example
 * import * as vitest from 'vitest';
 * describeTapeStoreContract({ name: 'memory', create: () => createMemoryTapeStore() }, vitest);
 */
export function describeTapeStoreContract(harness: TapeStoreContractHarness, test: ContractTestApi): void {
  const { describe, it, expect, afterEach } = test;
  let built: TapeStore[] = [];
  async function create(): Promise<TapeStore> {
    const store = await harness.create();
    built.push(store);
    return store;
  }
  afterEach(async () => {
    const done = built;
    built = [];
    for (const store of done) await harness.dispose?.(store);
  });
  const texts = (entries: readonly TapeEntry[]) =>
    entries.map(
      (entry) =>
        `${entry.key.slice(7, 8)}${entry.attempt}:${entry.events[0]?.type === 'text-delta' ? entry.events[0].delta : ''}`,
    );

  describe(`TapeStore contract: ${harness.name}`, () => {
    it('reads [] for a tape never written, and what was written, exactly, in key and attempt order', async () => {
      const store = await create();
      expect(await store.read(TENANT_A)).toEqual([]);
      const entries = [
        contractTapeEntry(KEY_B, 1, 'b'),
        contractTapeEntry(KEY_A, 1, 'a1'),
        contractTapeEntry(KEY_A, 2, 'a2'),
      ];
      const withError: TapeEntry = {
        ...contractTapeEntry(KEY_B, 2, 'retry'),
        events: [],
        error: {
          atMs: 30,
          code: 'rate_limited',
          message: 'Slow down.',
          status: 429,
          retryable: true,
          retryAfterMs: 1000,
        },
      };
      await store.write(TENANT_A, [...entries, withError]);
      const read = await store.read(TENANT_A);
      expect(texts(read)).toEqual(['a1:a1', 'a2:a2', 'b1:b', 'b2:']);
      expect(read[3]).toEqual(withError);
      expect(read[0]).toEqual(entries[1]);
    });

    it('merges: an entry replaces the one with its key and attempt; a new attempt 1 drops the later attempts', async () => {
      const store = await create();
      await store.write(TENANT_A, [contractTapeEntry(KEY_A, 1, 'old'), contractTapeEntry(KEY_A, 2, 'old2')]);
      await store.write(TENANT_A, [contractTapeEntry(KEY_B, 1, 'other')]);
      await store.write(TENANT_A, [contractTapeEntry(KEY_A, 2, 'new2')]);
      expect(texts(await store.read(TENANT_A))).toEqual(['a1:old', 'a2:new2', 'b1:other']);
      await store.write(TENANT_A, [contractTapeEntry(KEY_A, 1, 'again')]);
      expect(texts(await store.read(TENANT_A))).toEqual(['a1:again', 'b1:other']);
    });

    it("keeps each tenant's tapes to that tenant, and each agent's to that agent", async () => {
      const store = await create();
      await store.write(TENANT_A, [contractTapeEntry(KEY_A, 1, 'for A')]);
      expect(await store.read(TENANT_B)).toEqual([]);
      await store.write(TENANT_B, [contractTapeEntry(KEY_A, 1, 'for B')]);
      expect(texts(await store.read(TENANT_A))).toEqual(['a1:for A']);
      expect(texts(await store.read(TENANT_B))).toEqual(['a1:for B']);
      const other = { tenantId: 'tenant_a', agentId: 'translate' };
      expect(await store.read(other)).toEqual([]);
      await store.write(other, [contractTapeEntry(KEY_A, 1, 'translated', 'translate')]);
      expect(texts(await store.read(TENANT_A))).toEqual(['a1:for A']);
      expect(store.describe(TENANT_A)).not.toBe(store.describe(TENANT_B));
    });

    it('loses no entry to concurrent writers', async () => {
      const store = await create();
      const keys = Array.from({ length: 12 }, (_, index) => `sha256:${index.toString(16).padStart(64, '0')}`);
      await Promise.all(keys.map((key, index) => store.write(TENANT_A, [contractTapeEntry(key, 1, `n${index}`)])));
      expect((await store.read(TENANT_A)).map((entry) => entry.key)).toEqual(keys);
    });

    it('saves a mock per agent and tenant (stores that hold mocks): the last one wins, no other tenant sees it', async () => {
      const store = await create();
      if (store.saveMock === undefined || store.readMock === undefined) return;
      const mock = (text: string, executionId: string) => ({
        format: 'agentry-mock' as const,
        version: 1 as const,
        tenantId: 'tenant_a',
        agentId: 'summarize',
        executionId,
        savedAt: '2026-12-03T10:00:00.000Z',
        input: { text },
        mock: {
          steps: [
            { toolCalls: [{ id: 'call_1', name: 'lookup', args: { q: text } }], delayMs: 5 },
            { text, delayMs: 9 },
          ],
        },
      });
      expect(await store.readMock(TENANT_A)).toBe(undefined);
      const where = await store.saveMock(TENANT_A, mock('first', 'exe_1'));
      expect(typeof where).toBe('string');
      await store.saveMock(TENANT_A, mock('second', 'exe_2'));
      expect(await store.readMock(TENANT_A)).toEqual(mock('second', 'exe_2'));
      expect(await store.readMock(TENANT_B)).toBe(undefined);
      expect(await store.read(TENANT_A)).toEqual([]);
    });

    it('refuses an address without a tenant or an agent', async () => {
      const store = await create();
      const refused = async (promise: () => Promise<unknown>) => {
        try {
          await promise();
          return 'resolved';
        } catch (error) {
          return error instanceof TypeError ? 'TypeError' : String(error);
        }
      };
      expect(await refused(() => store.read({ tenantId: '', agentId: 'summarize' }))).toBe('TypeError');
      expect(await refused(() => store.write({ tenantId: 'tenant_a', agentId: '' }, []))).toBe('TypeError');
    });
  });
}
