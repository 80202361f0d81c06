// Where tapes live. Two implementations here (memory, a directory); a database can implement
// the same interface (one row per entry, keyed by tenant, agent, key and attempt).
import type { SavedMockFile } from './saved-mock';
import type { TapeEntry } from './tape-types';

/** Which tape: one agent's recordings for one tenant. A tape is never shared across tenants. */
export interface TapeAddress {
  tenantId: string;
  agentId: string;
}

/**
 * Stores tapes. Every method takes the tenant in its address, and an implementation answers
 * only that tenant's entries: a call recorded for one tenant is never served to another.
 */
export interface TapeStore {
  /** The tape's entries (`[]` when there is none). Throws an error naming the tape when it is unreadable. */
  read(address: TapeAddress): Promise<readonly TapeEntry[]>;
  /**
   * Adds entries to the tape, atomically with respect to other writers (other processes
   * included): see {@link mergeTapeEntries} for what replaces what.
   */
  write(address: TapeAddress, entries: readonly TapeEntry[]): Promise<void>;
  /** Where the tape lives, for messages (a file path, a table and row). */
  describe(address: TapeAddress): string;
  /**
   * Saves a mock script of the agent for the tenant ("Save as mock" in the TestPanel), replacing
   * the one saved before, and answers where it went. Optional: a store without it cannot hold mocks.
   */
  saveMock?(address: TapeAddress, mock: SavedMockFile): Promise<string>;
  /** The mock saved last for the agent and tenant, when there is one. */
  readMock?(address: TapeAddress): Promise<SavedMockFile | undefined>;
}

/**
 * The entries of a tape after `incoming` is added: an incoming entry replaces the one with the
 * same key and attempt, and drops that key's later attempts (a new recording of attempt 1 starts
 * the key's sequence again; its own later attempts follow it). Order: by key, then attempt.
 */
export function mergeTapeEntries(existing: readonly TapeEntry[], incoming: readonly TapeEntry[]): TapeEntry[] {
  let merged = [...existing];
  for (const entry of incoming) {
    merged = merged.filter((old) => old.key !== entry.key || old.attempt < entry.attempt);
    merged.push(entry);
  }
  return merged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.attempt - b.attempt));
}

/** Checks an address before it reaches a store: both ids non-empty strings. */
export function checkTapeAddress(address: TapeAddress): TapeAddress {
  if (typeof address?.tenantId !== 'string' || address.tenantId === '') {
    throw new TypeError('A tape address needs a tenantId (a non-empty string).');
  }
  if (typeof address.agentId !== 'string' || address.agentId === '') {
    throw new TypeError('A tape address needs an agentId (a non-empty string).');
  }
  return address;
}

/** An in-memory {@link TapeStore}: tapes for one process (tests, a browser demo). */
export function createMemoryTapeStore(): TapeStore & {
  /** Every tape held, by address (for tests and "save as tape"). */
  tapes(): { address: TapeAddress; entries: readonly TapeEntry[] }[];
} {
  const tapes = new Map<string, { address: TapeAddress; entries: TapeEntry[] }>();
  const mocks = new Map<string, SavedMockFile>();
  const id = (address: TapeAddress) => JSON.stringify([address.tenantId, address.agentId]);
  return {
    async read(address) {
      checkTapeAddress(address);
      return tapes.get(id(address))?.entries ?? [];
    },
    async write(address, entries) {
      checkTapeAddress(address);
      const current = tapes.get(id(address))?.entries ?? [];
      tapes.set(id(address), {
        address: { tenantId: address.tenantId, agentId: address.agentId },
        entries: mergeTapeEntries(current, entries),
      });
    },
    describe: (address) => `memory:${address.tenantId}/${address.agentId}`,
    async saveMock(address, mock) {
      checkTapeAddress(address);
      mocks.set(id(address), structuredClone(mock));
      return `memory:${address.tenantId}/${address.agentId} (mock)`;
    },
    async readMock(address) {
      checkTapeAddress(address);
      const mock = mocks.get(id(address));
      return mock === undefined ? undefined : structuredClone(mock);
    },
    tapes: () => [...tapes.values()].map(({ address, entries }) => ({ address, entries })),
  };
}
