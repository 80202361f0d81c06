import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDirectoryTapeStore, tapePathSegment } from './directory-tape-store';
import { parseTapeFile } from './tape-format';
import type { TapeEntry } from './tape-types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agentry-tapes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (index: number, attempt = 1): TapeEntry => ({
  key: `sha256:${index.toString(16).padStart(64, '0')}`,
  attempt,
  provider: 'openai',
  call: 'execute',
  recordedAt: '2026-12-02T18:00:00.000Z',
  durationMs: 1,
  request: { agentId: 'summarize', model: 'm', messages: [{ role: 'user', content: `question ${index}` }] },
  events: [{ atMs: 1, type: 'finish', finishReason: 'stop' }],
});
const address = { tenantId: 'ws_1', agentId: 'summarize' };

describe('createDirectoryTapeStore', () => {
  it('writes <dir>/<tenant>/<agent>.tape.json and reads it back; a missing tape is empty', async () => {
    const store = createDirectoryTapeStore({ dir });
    expect(await store.read(address)).toEqual([]);
    await store.write(address, [entry(1)]);
    const file = path.join(dir, 'ws_1', 'summarize.tape.json');
    expect(store.describe(address)).toBe(file);
    expect(parseTapeFile(await readFile(file, 'utf8'), file).entries).toEqual([entry(1)]);
    expect(await store.read(address)).toEqual([entry(1)]);
  });

  it('replaces an entry of the same key and attempt, and drops that key’s later attempts', async () => {
    const store = createDirectoryTapeStore({ dir });
    await store.write(address, [entry(1, 1), entry(1, 2), entry(2)]);
    const again = { ...entry(1, 1), durationMs: 99 };
    await store.write(address, [again]);
    expect(await store.read(address)).toEqual([again, entry(2)]);
  });

  it('loses nothing and corrupts nothing under many concurrent writers', async () => {
    // Separate store objects, as separate test workers would have: only the lock file orders them.
    const writers = Array.from({ length: 8 }, () => createDirectoryTapeStore({ dir }));
    await Promise.all(
      Array.from({ length: 80 }, (_, index) =>
        (writers[index % writers.length] as (typeof writers)[0]).write(address, [entry(index)]),
      ),
    );
    const entries = await createDirectoryTapeStore({ dir }).read(address);
    expect(entries.map((item) => item.request.messages[0]?.content).sort()).toEqual(
      Array.from({ length: 80 }, (_, index) => `question ${index}`).sort(),
    );
    // No lock or temporary file left behind.
    expect(await readdir(path.join(dir, 'ws_1'))).toEqual(['summarize.tape.json']);
  });

  it('removes a stale lock left by a writer that died, and times out on a live one', async () => {
    const file = path.join(dir, 'ws_1', 'summarize.tape.json');
    await createDirectoryTapeStore({ dir }).write(address, [entry(1)]);
    await writeFile(`${file}.lock`, '{}');
    await expect(
      createDirectoryTapeStore({ dir, lockTimeoutMs: 30, staleLockMs: 60_000 }).write(address, [entry(2)]),
    ).rejects.toThrow(/is locked by another recorder .*summarize\.tape\.json\.lock.*delete the lock file/);
    await createDirectoryTapeStore({ dir, staleLockMs: 0 }).write(address, [entry(2)]);
    expect(await createDirectoryTapeStore({ dir }).read(address)).toHaveLength(2);
  });

  it('refuses a corrupt file by name and never overwrites it', async () => {
    const file = path.join(dir, 'ws_1', 'summarize.tape.json');
    const store = createDirectoryTapeStore({ dir });
    await store.write(address, [entry(1)]);
    const corrupt = (await readFile(file, 'utf8')).slice(0, 100);
    await writeFile(file, corrupt);
    await expect(store.read(address)).rejects.toThrow(`Tape ${file}: is not valid JSON`);
    await expect(store.write(address, [entry(2)])).rejects.toThrow(`Tape ${file}: is not valid JSON`);
    expect(await readFile(file, 'utf8')).toBe(corrupt);
  });

  it('refuses a file that belongs to another tenant (copied or renamed into this tenant’s folder)', async () => {
    const store = createDirectoryTapeStore({ dir });
    await store.write({ tenantId: 'ws_other', agentId: 'summarize' }, [entry(1)]);
    await rm(path.join(dir, 'ws_1'), { recursive: true, force: true }).catch(() => {});
    const { mkdir, rename } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'ws_1'));
    await rename(path.join(dir, 'ws_other', 'summarize.tape.json'), path.join(dir, 'ws_1', 'summarize.tape.json'));
    await expect(store.read(address)).rejects.toThrow(
      /holds the recordings of tenant "ws_other".*not of tenant "ws_1"/,
    );
  });

  it('keeps every tenant and agent id inside the folder, one file per distinct id (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        const segment = tapePathSegment(a);
        expect(segment).toMatch(/^[A-Za-z0-9_%-]+$/);
        expect(path.join('/tapes', segment, 'x')).toBe(`/tapes/${segment}/x`);
        if (a !== b) expect(tapePathSegment(b)).not.toBe(segment);
      }),
      { numRuns: 500 },
    );
    expect(tapePathSegment('../etc')).toBe('%2E%2E%2Fetc');
    expect(tapePathSegment('ws_1')).toBe('ws_1');
  });
});
