// The framework-free run store: `@agentry/react`'s `useAgentRun` bridges it with
// `useSyncExternalStore`; other UIs (Vue, Svelte, plain DOM) subscribe to it directly.
export type { CheckInputResult } from './check-input';
export { checkInput, initialInputText } from './check-input';
export { createRunStore } from './create-run-store';
export type {
  HistoryConnectOptions,
  HistoryList,
  HistoryListOptions,
  HistorySnapshot,
  HistoryStatus,
} from './history-list';
export { createHistoryList } from './history-list';
export { modeAvailability, resolveMode } from './mode-availability';
export { createStaleCheck, isHistoryEntryStale } from './stale-check';
export type {
  AgentsStatus,
  InputCheck,
  InputState,
  ModeAvailability,
  RunEntry,
  RunSnapshot,
  RunStatus,
  RunStore,
  RunStoreOptions,
  StartRunOptions,
  SubmitOptions,
} from './types';
