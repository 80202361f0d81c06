// @agentry/react: the TestPanel, its parts, and the headless hook it is built on.
// Everything public is named here; files not listed are internal.

// The run store lives in `@agentry/core/client` (framework-free); re-exported for existing imports.
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
} from '@agentry/core/client';
export { createRunStore, initialInputText } from '@agentry/core/client';
export type { HistoryList, HistorySnapshot, HistoryStatus } from '@agentry/core/client/history';
export type { AgentPickerProps } from './test-panel/agent-picker';
export { AgentPicker } from './test-panel/agent-picker';
export type { ErrorCalloutError, ErrorCalloutProps } from './test-panel/error-callout';
export { ErrorCallout } from './test-panel/error-callout';
export { formatBytes, formatCount, formatDuration, formatUsd } from './test-panel/format';
export type { HistoryLabels } from './test-panel/history/history-labels';
export type { InputEditorHandle, InputEditorProps, InputView } from './test-panel/input/input-editor';
export { InputEditor } from './test-panel/input/input-editor';
export type { InputLabels } from './test-panel/input/input-labels';
// SchemaForm is not exported: it is the lazy chunk InputEditor loads (exporting it would pull it
// into every bundle that imports this entry). Use InputEditor, or TestPanel.
export type { JsonInputHandle, JsonInputProps } from './test-panel/json-input';
export { JsonInput } from './test-panel/json-input';
export type { TestPanelLabels } from './test-panel/labels';
export { defaultLabels } from './test-panel/labels';
export type { MetricsBarProps } from './test-panel/metrics-bar';
export { MetricsBar } from './test-panel/metrics-bar';
export type { ModeSwitchProps } from './test-panel/mode-switch';
export { ModeSwitch } from './test-panel/mode-switch';
export type { OutputViewProps } from './test-panel/output-view';
export { OutputView, outputContent } from './test-panel/output-view';
// The history list and its compare view are not exported: they are lazy chunks TestPanel loads
// (exporting them would pull them into every bundle that imports this entry). Build your own list
// on createHistoryList from @agentry/core/client, or use TestPanel.
export type { TestPanelProps, TestPanelRunRequest, TestPanelTheme } from './test-panel/test-panel';
export { TestPanel } from './test-panel/test-panel';
export type { AgentServiceSource } from './use-agent-run/resolve-agent-service';
export { LOCAL_TENANT, resolveAgentService } from './use-agent-run/resolve-agent-service';
export type { AgentRunOptions, UseAgentRunOptions, UseAgentRunResult } from './use-agent-run/use-agent-run';
export { useAgentRun } from './use-agent-run/use-agent-run';
