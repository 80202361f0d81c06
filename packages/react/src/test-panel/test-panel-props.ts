import type {
  AgentryError,
  AgentService,
  ExecutionMode,
  ExecutionResult,
  Executor,
  TenantContext,
  TenantExecutor,
  TestCaseService,
} from '@agentry/core';
import type { CSSProperties } from 'react';
import type { InputView } from './input/input-editor';
import type { TestPanelLabels } from './labels';
import type { TestCaseLabels } from './test-cases/test-case-labels';

// The TestPanel's public props (test-panel.tsx draws the panel, use-test-panel.ts wires it).

/** What `onRun` receives, just before the request is sent. */
export interface TestPanelRunRequest {
  agentId: string;
  input: unknown;
  mode: ExecutionMode;
}

/** The colour theme of the panel. */
export type TestPanelTheme = 'light' | 'dark' | 'system';

/** Props of `TestPanel`. Every prop stays reactive after mount. */
export interface TestPanelProps {
  /**
   * Talks to an Agentry server, e.g. `createClient({ baseUrl: '/api/agentry' })` created once
   * (module scope or `useMemo`). Give this or `executor`.
   */
  client?: AgentService;
  /** Runs in the browser with no server (mock mode for demos and Storybook). Give this or `client`. */
  executor?: Executor | TenantExecutor;
  /**
   * The tenant an `executor` runs as. With a `client` the server decides the tenant; pass the
   * workspace the host shows here all the same, so that switching it reloads the history even
   * when the client (and its session cookie) stays the same. @default { tenantId: 'local', userId: 'local' }
   */
  tenant?: TenantContext;
  /** The agent to run. Without it (or with `agentIds`) the panel shows an agent picker. */
  agentId?: string;
  /** Limits the picker to these agents, in this order. */
  agentIds?: readonly string[];
  /** The agent picked first when `agentId` is not given. @default the first agent */
  defaultAgentId?: string;
  /** Called when the picker changes the agent. */
  onAgentChange?: (agentId: string) => void;
  /** The mode (controlled). */
  mode?: ExecutionMode;
  /** The initial mode (uncontrolled). @default 'mock' */
  defaultMode?: ExecutionMode;
  onModeChange?: (mode: ExecutionMode) => void;
  /** The editor's first text, instead of the agent's example or the schema's defaults. */
  defaultInput?: string;
  /** Called with the request just before a run is sent. */
  onRun?: (request: TestPanelRunRequest) => void;
  /** Called with the final record of every run that started (succeeded, failed or cancelled). */
  onResult?: (result: ExecutionResult) => void;
  /** Called when a run fails (refused or failed; not when stopped). */
  onError?: (error: AgentryError) => void;
  /** Overrides any of the panel's strings (the saved test cases' too). */
  labels?: Partial<TestPanelLabels> & Partial<TestCaseLabels>;
  /**
   * Saved test cases: "Save as test case", the list, "Run all". @default the client's `testCases`
   * (`createClient`), shown when the server enables them; `false` hides them
   */
  testCases?: TestCaseService | false;
  /** BCP 47 locale for numbers, currency and times. @default the browser's */
  locale?: string;
  /** `system` follows the OS (`prefers-color-scheme`). @default 'system' */
  theme?: TestPanelTheme;
  /**
   * Show hints meant for the developer who set the panel up (which setting or key to fix) next
   * to errors. End users never need them. @default false
   */
  showDeveloperHints?: boolean;
  /**
   * Where the Agentry handler is mounted as seen from the browser, for "Copy as cURL" and "Copy as
   * code". @default the client's `baseUrl`; without either, those two copies are not offered
   */
  endpoint?: string;
  /** The input editor shown first. @default 'form' when the agent's input schema is an object, else 'json' */
  defaultInputView?: InputView;
  /** Show the agent's run history as the service keeps it (`listExecutions`), with restore, re-run and compare. @default true */
  showHistory?: boolean;
  /** Characters of output rendered before "Show all". @default 20_000 */
  previewChars?: number;
  className?: string;
  style?: CSSProperties;
  id?: string;
}
