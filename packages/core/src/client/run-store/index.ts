// The framework-free run store: `@agentry/react`'s `useAgentRun` bridges it with
// `useSyncExternalStore`; other UIs (Vue, Svelte, plain DOM) subscribe to it directly.
export type { CheckInputResult } from './check-input';
export { initialInputText } from './check-input';
export { createRunStore } from './create-run-store';
export type { HistoryList, HistoryListOptions, HistoryStatus } from './history-list';
export { createHistoryList, isHistoryEntryStale } from './history-list';
export { modeAvailability, resolveMode } from './mode-availability';
export type { RunStep, RunStepStatus, RunToolCall, RunToolCallStatus } from './run-steps';
export type {
  AgentsStatus,
  InputCheck,
  InputState,
  ModeAvailability,
  RunConnection,
  RunEntry,
  RunSnapshot,
  RunStatus,
  RunStore,
  RunStoreOptions,
  StartRunOptions,
  SubmitOptions,
} from './types';
