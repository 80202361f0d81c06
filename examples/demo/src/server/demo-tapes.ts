// Tapes in the demo: with a key, live calls are recorded into the demo's tape folder; without
// one, live mode replays what that folder holds (so the demo's live mode works offline, for
// the inputs someone recorded). AGENTRY_TAPES chooses otherwise; the kill switch still wins.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderAdapter } from '@agentry/core';
import { createDirectoryTapeStore, recordTapes, type TapeMode, tapeProvider } from '@agentry/core/tapes';

const MODES: readonly TapeMode[] = ['record', 'replay', 'auto', 'off'];

/**
 * The demo's tape folder, `examples/demo/tapes/` (one file per workspace and agent), from the
 * sources (`src/server/`) or the bundle (`dist/server.js`).
 */
export function defaultDemoTapes(): string {
  const candidates = [new URL('../tapes/', import.meta.url), new URL('../../tapes/', import.meta.url)].map((url) =>
    fileURLToPath(url),
  );
  return candidates.find((dir) => existsSync(join(dir, 'README.md'))) ?? (candidates[1] as string);
}

/** `AGENTRY_TAPES`, checked; unset: `record` with a key, `replay` without. */
export function demoTapeMode(value: string | undefined, hasKey: boolean): TapeMode {
  const mode = value?.trim().toLowerCase();
  if (mode === undefined || mode === '') return hasKey ? 'record' : 'replay';
  if (!MODES.includes(mode as TapeMode)) {
    throw new TypeError(`AGENTRY_TAPES must be one of ${MODES.join(', ')}; got ${JSON.stringify(value)}.`);
  }
  return mode as TapeMode;
}

/** Whether the folder holds any tape (`<workspace>/<agent>.tape.json`). */
export function hasTapes(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some(
    (entry) => entry.isDirectory() && readdirSync(`${dir}/${entry.name}`).some((name) => name.endsWith('.tape.json')),
  );
}

/** A live provider (a key is set) through the tape mode. */
export function withDemoTapes(provider: ProviderAdapter, mode: TapeMode, dir: string): ProviderAdapter {
  switch (mode) {
    case 'record':
      return recordTapes(provider, { dir });
    case 'auto':
      return tapeProvider({ dir }, { live: provider, onMiss: 'record' });
    case 'replay':
      return tapeProvider({ dir }, { live: provider });
    case 'off':
      return provider;
    default:
      return mode satisfies never;
  }
}

/** Without a key: the provider that replays the folder's tapes as `id`, at the recorded pace. */
export function replayOnly(id: string, dir: string): ProviderAdapter {
  return tapeProvider({ dir }, { id });
}

/** A recorded run the page offers to replay: the agent and the input its tape answers. */
export interface RecordedInput {
  agentId: string;
  input: unknown;
}

/**
 * The inputs the folder's tapes answer, per workspace (first attempts of the calls that start a
 * run, in file order), so the page can offer them: any other input misses. Read through the tape
 * format's checks, so a corrupt tape fails the start with the file named.
 */
export async function recordedInputs(dir: string): Promise<Record<string, RecordedInput[]>> {
  if (!existsSync(dir)) return {};
  const store = createDirectoryTapeStore({ dir });
  const byTenant: Record<string, RecordedInput[]> = {};
  for (const folder of readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const tenantId = decodeURIComponent(folder.name);
    for (const name of readdirSync(join(dir, folder.name)).filter((file) => file.endsWith('.tape.json'))) {
      const agentId = decodeURIComponent(name.slice(0, -'.tape.json'.length));
      const seen = new Set<string>();
      for (const entry of await store.read({ tenantId, agentId })) {
        const input = entry.request.input;
        const text = JSON.stringify(input);
        // A tool step's later model calls carry the same input: offer each input once.
        if (entry.attempt !== 1 || input === undefined || seen.has(text)) continue;
        seen.add(text);
        byTenant[tenantId] = [...(byTenant[tenantId] ?? []), { agentId, input }];
      }
    }
  }
  return byTenant;
}
