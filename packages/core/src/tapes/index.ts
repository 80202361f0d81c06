// `@agentry/core/tapes`: record live model calls at the provider boundary, replay them as a
// deterministic provider. Loads anywhere; the directory store reaches `node:fs` only when used.

export type { DirectoryTapeStoreOptions } from './directory-tape-store';
export { createDirectoryTapeStore } from './directory-tape-store';
export type { RecordingTapeProvider, RecordTapesOptions } from './record-tapes';
export { recordTapes } from './record-tapes';
export type { CapturedRun, RunCapture, RunCaptureOptions } from './run-capture';
export { createRunCapture } from './run-capture';
export type { RunSaver, RunSaverOptions, SaveRunPermissionContext } from './run-saver';
export { createRunSaver } from './run-saver';
export type { SavableRun, SavedMockFile, SavedMockStep } from './saved-mock';
export { SAVED_MOCK_FORMAT, savedMockOf } from './saved-mock';
export type { TapeDifference } from './tape-diff';
export { parseTapeFile, serializeTapeFile, TAPE_FORMAT, TAPE_FORMAT_VERSION } from './tape-format';
export { DEFAULT_TAPE_KEY_FIELDS, tapeKey, toTapeRequest } from './tape-key';
export type { TapeMissPolicy, TapeProvider, TapeProviderOptions } from './tape-provider';
export { tapeProvider } from './tape-provider';
export type { TapeKeyOptions, TapeSource } from './tape-source';
export type { TapeAddress, TapeStore } from './tape-store';
export { createMemoryTapeStore, mergeTapeEntries } from './tape-store';
export type { TapeEntry, TapeError, TapeEvent, TapeFile, TapeKeyField, TapeRequest } from './tape-types';
export type { TapeMode, WithTapesOptions } from './with-tapes';
export { readTapeMode, TAPE_MODE_VARIABLE, withTapes } from './with-tapes';
