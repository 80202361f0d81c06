import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { describeTapeStoreContract } from '../testing/tape-store-contract';
import { createDirectoryTapeStore } from './directory-tape-store';
import { createMemoryTapeStore } from './tape-store';

describeTapeStoreContract({ name: 'memory', create: () => createMemoryTapeStore() }, vitest);

const folders = new Map<object, string>();
describeTapeStoreContract(
  {
    name: 'directory',
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'agentry-tapes-contract-'));
      const store = createDirectoryTapeStore({ dir });
      folders.set(store, dir);
      return store;
    },
    dispose(store) {
      rmSync(folders.get(store) as string, { recursive: true, force: true });
    },
  },
  vitest,
);
