// Where a recorder or a replayer finds its tapes: a folder or any store.
import type { Secret } from '../logging';
import { createDirectoryTapeStore } from './directory-tape-store';
import type { TapeStore } from './tape-store';
import type { TapeKeyField } from './tape-types';

/** A folder of tape files (`<dir>/<tenant>/<agent>.tape.json`), or any {@link TapeStore}. */
export type TapeSource = { dir: string } | { store: TapeStore };

/** Options shared by recording and replaying. */
export interface TapeKeyOptions {
  /**
   * The request fields that pick a recording. Record and replay with the same list.
   * @default DEFAULT_TAPE_KEY_FIELDS (all but `seed`)
   * @example keyFields: ['agentId', 'model', 'messages']
   */
  keyFields?: readonly TapeKeyField[];
  /**
   * Values to redact from tapes on top of the key shapes and the provider's own `secrets`
   * (e.g. a customer token your prompts may contain).
   * @default []
   */
  secrets?: readonly (string | Secret)[];
}

/** The store a source names. */
export function storeOf(source: TapeSource, where: string): TapeStore {
  if (source !== null && typeof source === 'object') {
    if ('store' in source && source.store) return source.store;
    if ('dir' in source && typeof source.dir === 'string') return createDirectoryTapeStore({ dir: source.dir });
  }
  throw new TypeError(`${where}: pass { dir: 'path/to/tapes' } or { store } (a TapeStore).`);
}
