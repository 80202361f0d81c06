// The framework-free run store: `@agentry/react`'s `useAgentRun` bridges it with
// `useSyncExternalStore`; other UIs (Vue, Svelte, plain DOM) subscribe to it directly.
export type { CheckInputResult } from './check-input';
export { initialInputText } from './check-input';
export { createRunStore } from './create-run-store';
// The history list (`history-list.ts`) is the entry `@agentry/core/client/history`, not re-exported
// here: a bundler would put it in the client's first download.
export { modeAvailability, resolveMode } from './mode-availability';
export type { RunStep, RunStepStatus, RunToolCall, RunToolCallStatus } from './run-steps';
export { createStaleCheck, isHistoryEntryStale } from './stale-check';
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
