// Tapes as files: `<dir>/<tenant>/<agent>.tape.json`, one reviewable JSON file per agent and
// tenant. Node-only: `node:fs` is loaded on first use, so importing this module loads anywhere.
import { type SavedMockFile, serializeSavedMock } from './saved-mock';
import { parseTapeFile, serializeTapeFile, tapeFormatError } from './tape-format';
import { checkTapeAddress, mergeTapeEntries, type TapeAddress, type TapeStore } from './tape-store';
import type { TapeEntry } from './tape-types';

/** Options of {@link createDirectoryTapeStore}. */
export interface DirectoryTapeStoreOptions {
  /** The folder that holds the tapes (created on the first write). */
  dir: string;
  /**
   * How long a writer waits for another writer's lock on the same file before it gives up.
   * @default 10_000
   */
  lockTimeoutMs?: number;
  /**
   * A lock file older than this is taken to be left by a writer that died, and is removed.
   * @default 30_000
   */
  staleLockMs?: number;
}

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

let modules: Promise<{ fs: Fs; path: Path }> | undefined;
const loadNode = () => {
  modules ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({ fs, path }));
  return modules;
};

/**
 * One path segment for an id: letters, digits, `_` and `-` as they are; every other UTF-8 byte
 * as `%XX` (`.` and `/` included), so no id can climb out of the folder or name a hidden file.
 */
export function tapePathSegment(id: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(id)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const hasCode = (error: unknown, code: string) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A {@link TapeStore} over a folder. Reads validate the file (zod) and check it belongs to the
 * address's tenant and agent; writes take a lock file (`<file>.lock`, created exclusively), merge
 * with what is on disk, write a temporary file and rename it over the tape, so concurrent
 * recorders (other test workers included) neither lose entries nor leave a half-written file.
 */
export function createDirectoryTapeStore(options: DirectoryTapeStoreOptions): TapeStore {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new TypeError('createDirectoryTapeStore: dir must be a folder path (a non-empty string).');
  }
  const { dir, lockTimeoutMs = 10_000, staleLockMs = 30_000 } = options;
  const relative = (address: TapeAddress) =>
    `${tapePathSegment(address.tenantId)}/${tapePathSegment(address.agentId)}.tape.json`;
  const fileOf = (path: Path, address: TapeAddress) => path.join(dir, relative(checkTapeAddress(address)));

  async function readFile(fs: Fs, file: string, address: TapeAddress): Promise<TapeEntry[]> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw tapeFormatError(file, `cannot be read (${(error as Error).message}).`);
    }
    const tape = parseTapeFile(text, file);
    if (tape.tenantId !== address.tenantId || tape.agentId !== address.agentId) {
      // A file copied or renamed into another tenant's folder (or a case-insensitive file system
      // folding two ids together) is refused rather than served to the wrong tenant.
      throw tapeFormatError(
        file,
        `holds the recordings of tenant ${JSON.stringify(tape.tenantId)}, agent ${JSON.stringify(tape.agentId)}, not of tenant ${JSON.stringify(address.tenantId)}, agent ${JSON.stringify(address.agentId)}.`,
        'Tapes are per tenant: record this tenant’s own tape.',
      );
    }
    return tape.entries;
  }

  async function lock(fs: Fs, file: string): Promise<() => Promise<void>> {
    const lockFile = `${file}.lock`;
    const started = Date.now();
    for (let turn = 0; ; turn += 1) {
      try {
        const handle = await fs.open(lockFile, 'wx');
        await handle.writeFile(`${JSON.stringify({ pid: globalThis.process?.pid, at: new Date().toISOString() })}\n`);
        await handle.close();
        return () => fs.rm(lockFile, { force: true });
      } catch (error) {
        if (!hasCode(error, 'EEXIST')) throw error;
      }
      try {
        const stat = await fs.stat(lockFile);
        if (Date.now() - stat.mtimeMs > staleLockMs) {
          await fs.rm(lockFile, { force: true });
          continue;
        }
      } catch (error) {
        if (hasCode(error, 'ENOENT')) continue;
        throw error;
      }
      if (Date.now() - started > lockTimeoutMs) {
        throw tapeFormatError(
          file,
          `is locked by another recorder (${lockFile}) for more than ${lockTimeoutMs} ms.`,
          'If no recorder is running, delete the lock file.',
        );
      }
      await pause(Math.min(20, 1 + turn) * (0.5 + Math.random()));
    }
  }

  // Writes through this store object queue per file; the lock file orders them against other
  // store objects and other processes.
  const queues = new Map<string, Promise<unknown>>();
  function queued(file: string, task: () => Promise<void>): Promise<void> {
    const previous = queues.get(file) ?? Promise.resolve();
    const next = previous.then(task, task);
    queues.set(file, next);
    const forget = () => {
      if (queues.get(file) === next) queues.delete(file);
    };
    next.then(forget, forget);
    return next;
  }

  return {
    async read(address) {
      const { fs, path } = await loadNode();
      return readFile(fs, fileOf(path, address), address);
    },
    async write(address, entries) {
      const { fs, path } = await loadNode();
      const file = fileOf(path, address);
      await queued(file, () => writeLocked(fs, path, file, address, entries));
    },
    describe: (address) => `${dir.replace(/\/+$/, '')}/${relative(checkTapeAddress(address))}`,
    // `<dir>/<tenant>/<agent>.mock.json`, next to the agent's tape; written atomically.
    async saveMock(address, mock) {
      const { fs, path } = await loadNode();
      const file = fileOf(path, address).replace(/\.tape\.json$/, '.mock.json');
      await queued(file, async () => {
        await fs.mkdir(path.dirname(file), { recursive: true });
        const release = await lock(fs, file);
        try {
          await writeAtomically(fs, file, serializeSavedMock(mock));
        } finally {
          await release();
        }
      });
      return `${dir.replace(/\/+$/, '')}/${relative(address).replace(/\.tape\.json$/, '.mock.json')}`;
    },
    async readMock(address) {
      const { fs, path } = await loadNode();
      const file = fileOf(path, address).replace(/\.tape\.json$/, '.mock.json');
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if (hasCode(error, 'ENOENT')) return undefined;
        throw error;
      }
      return JSON.parse(text) as SavedMockFile;
    },
  };

  async function writeAtomically(fs: Fs, file: string, text: string): Promise<void> {
    const temporary = `${file}.${globalThis.process?.pid ?? 0}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.writeFile(temporary, text, 'utf8');
      await fs.rename(temporary, file);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  async function writeLocked(fs: Fs, path: Path, file: string, address: TapeAddress, entries: readonly TapeEntry[]) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const release = await lock(fs, file);
    try {
      // Re-read under the lock: another recorder may have written since this one last read.
      const merged = mergeTapeEntries(await readFile(fs, file, address), entries);
      const text = serializeTapeFile({ tenantId: address.tenantId, agentId: address.agentId, entries: merged });
      const temporary = `${file}.${globalThis.process?.pid ?? 0}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        await fs.writeFile(temporary, text, 'utf8');
        await fs.rename(temporary, file);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
    } finally {
      await release();
    }
  }
}
