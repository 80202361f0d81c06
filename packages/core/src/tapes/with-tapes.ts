// The one switch: AGENTRY_TAPES=record|replay|auto|off picks what a provider does with tapes.
import { readEnvironment } from '../internal/read-environment';
import type { ProviderAdapter } from '../providers';
import { recordTapes } from './record-tapes';
import { tapeProvider } from './tape-provider';
import type { TapeKeyOptions, TapeSource } from './tape-source';

/**
 * - `record`: call the live provider and record every call (replacing recordings of the same request).
 * - `replay`: answer from tapes only; a miss fails (the CI mode).
 * - `auto`: answer from tapes; on a miss, call live and record the answer.
 * - `off`: the live provider, untouched.
 */
export type TapeMode = 'record' | 'replay' | 'auto' | 'off';

/** The environment variable that chooses the {@link TapeMode}. */
export const TAPE_MODE_VARIABLE = 'AGENTRY_TAPES';

const MODES: readonly TapeMode[] = ['record', 'replay', 'auto', 'off'];

/** Options of {@link withTapes}: where the tapes are, plus the replay and key options. */
export type WithTapesOptions = TapeSource &
  TapeKeyOptions & {
    /**
     * The mode when `AGENTRY_TAPES` is not set. The variable, when set, always wins: it is the
     * one switch a test run or CI job flips.
     * @default 'replay'
     */
    defaultMode?: TapeMode;
    /** Replay speed (see `tapeProvider`). @default 1 */
    speed?: number;
  };

/** The mode `AGENTRY_TAPES` asks for, or `fallback` when it is unset. Throws on any other value. */
export function readTapeMode(fallback: TapeMode = 'replay'): TapeMode {
  const value = readEnvironment(TAPE_MODE_VARIABLE)?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (!MODES.includes(value as TapeMode)) {
    throw new TypeError(
      `${TAPE_MODE_VARIABLE} must be one of ${MODES.join(', ')}; got ${JSON.stringify(value)}. Unset it to use ${fallback}.`,
    );
  }
  return value as TapeMode;
}

/**
 * `provider` with tapes, in the mode `AGENTRY_TAPES` chooses (else `defaultMode`, else `replay`):
 * recording it, replaying for it, both (`auto`), or neither (`off`, the provider itself).
 *
 * @example
 * // CI: AGENTRY_TAPES unset (replay; a miss fails). To re-record: AGENTRY_TAPES=record pnpm test
 * const openai = withTapes(openaiProvider({ apiKey: process.env.OPENAI_API_KEY }), { dir: 'test/tapes', speed: 0 });
 */
export function withTapes(provider: ProviderAdapter, options: WithTapesOptions): ProviderAdapter {
  const mode = readTapeMode(options.defaultMode ?? 'replay');
  const keyOptions: TapeKeyOptions = {};
  if (options.keyFields !== undefined) keyOptions.keyFields = options.keyFields;
  if (options.secrets !== undefined) keyOptions.secrets = options.secrets;
  const source: TapeSource = 'store' in options ? { store: options.store } : { dir: options.dir };
  switch (mode) {
    case 'off':
      return provider;
    case 'record':
      return recordTapes(provider, source, keyOptions);
    case 'replay':
    case 'auto':
      return tapeProvider(source, {
        ...keyOptions,
        live: provider,
        onMiss: mode === 'auto' ? 'record' : 'error',
        ...(options.speed !== undefined ? { speed: options.speed } : {}),
      });
    default:
      return mode satisfies never;
  }
}
