import type { ExecutionMode } from '../../agent';
import type { AgentryError, ValidationIssue } from '../../errors';
import type { AgentService, AgentSummary, ExecutionEvent, ExecutionResult, RunOptions } from '../../executor/types';
import type { ExecutionMetrics } from '../../metrics/types';

/**
 * Where a run is: `idle` before any run (or after `reset`), `running` once sent,
 * `streaming` from the first output chunk, then one of the three outcomes.
 */
export type RunStatus = 'idle' | 'running' | 'streaming' | 'succeeded' | 'failed' | 'cancelled';

/**
 * The run's event stream: `live` while nothing was lost, `reconnecting` while the client resumes
 * a dropped stream (`GET /executions/:id/events` with `Last-Event-ID`), `lost` when resuming
 * failed and the run ended here without its final event.
 */
export type RunConnection = 'live' | 'reconnecting' | 'lost';

/** One run of this session, as the store keeps it (also the history entries). */
export interface RunEntry {
  /** Local id (`run_1`, …): known before the service assigns an execution id. */
  id: string;
  /** The service's execution id, from the first event on. */
  executionId?: string;
  agentId: string;
  /** The mode asked for. */
  mode: ExecutionMode;
  /** The input sent. */
  input: unknown;
  status: Exclude<RunStatus, 'idle'>;
  /** The text streamed so far (kept when the run is stopped or fails). */
  output: string;
  /**
   * The run's events in order; consecutive output deltas are merged into one. A tool-using
   * run's steps are read from them with `runSteps(entry)`.
   */
  events: ExecutionEvent[];
  /** Whether the run's event stream dropped, and whether it came back. @default 'live' */
  connection?: RunConnection;
  /** The final record, once the service sends it. */
  result?: ExecutionResult;
  /** Why the run failed or stopped. */
  error?: AgentryError;
  /** True when this session's `cancel()` stopped it. */
  cancelledByUser: boolean;
  /** `Date.now()` when it was sent. */
  startedAt: number;
  /** `Date.now()` when its first output chunk arrived. */
  firstOutputAt?: number;
  /** `Date.now()` when it stopped streaming (finished, failed or stopped). */
  endedAt?: number;
}

/** Whether the agent list has been loaded. */
export type AgentsStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * What the input text is: JSON that matches the agent's schema, not JSON, JSON the schema
 * refuses, or JSON not yet checked against the schema (`checking`: the validator loads on
 * demand, for a moment after the store is created; `submit` waits for it).
 */
export type InputState = 'valid' | 'invalid-json' | 'schema-invalid' | 'checking';

/** The input text, checked: the one validation path a UI needs (see `checkInput`). */
export interface InputCheck {
  /** The text as typed. */
  text: string;
  state: InputState;
  /**
   * The problems to show: a JSON syntax error (with `line` and `column`) or the schema's issues
   * (with a `path`); when the text has none, the service's issues from the last run of this same text.
   */
  issues: readonly ValidationIssue[];
  /** `server` when `issues` are the service's answer to the last run of this text. */
  source: 'client' | 'server';
  /** The parsed value, when the text is JSON. */
  value?: unknown;
}

/** Which modes the selected agent can run in, for this tenant. */
export interface ModeAvailability {
  mock: boolean;
  /** False when the agent has no live mode or live is off for this tenant. */
  live: boolean;
  /** False when the agent does not offer live mode at all (then `liveReason` is empty). */
  liveSupported: boolean;
  /** Why live mode is off, as the service says. */
  liveReason?: string;
}

/** An immutable view of the store; a new object after every change. */
export interface RunSnapshot {
  /** The shown run's status (`idle` when none is shown). */
  status: RunStatus;
  /** The shown run: the latest one, or the one picked from history. */
  current: RunEntry | undefined;
  output: string;
  events: readonly ExecutionEvent[];
  /** The shown run's event stream (`live` when none is shown): see {@link RunEntry.connection}. */
  connection: RunConnection;
  result: ExecutionResult | undefined;
  error: AgentryError | undefined;
  /**
   * The shown run's metrics: the final record's once it arrives; before that, what is known so
   * far, with `durationMs` ticking while the run streams and `timeToFirstOutputMs` once output is seen.
   */
  metrics: Partial<ExecutionMetrics> | undefined;
  /** Problems with the input: from the pre-send check or from the service's `issues`. */
  validation: readonly ValidationIssue[];
  /** This session's runs, newest first. */
  history: readonly RunEntry[];
  agents: readonly AgentSummary[];
  agentsStatus: AgentsStatus;
  agentsError: AgentryError | undefined;
  /** The selected agent's id (see `selectAgent`). */
  agentId: string | undefined;
  /** The selected agent, once the list has loaded and offers it. */
  agent: AgentSummary | undefined;
  /** The modes the selected agent can run in (all of them while it is unknown). */
  modes: ModeAvailability;
  /** The mode the next `submit` uses: the one asked for, or the other when the agent cannot run it. */
  mode: ExecutionMode;
  /** The input text for the selected agent, checked against its schema. */
  input: InputCheck;
}

/** Options for {@link RunStore.run}: a run's {@link RunOptions} (no signal: `cancel()` stops it), plus the input check. */
export interface StartRunOptions extends Omit<RunOptions, 'signal'> {
  /**
   * Check the input against the agent's JSON Schema before sending, when the agent is
   * known. The service validates again either way. @default true
   */
  validate?: boolean;
}

/** Options for {@link RunStore.submit}. */
export interface SubmitOptions {
  /** Seed for mock mode. */
  seed?: number;
}

/** Options for {@link createRunStore}. */
export interface RunStoreOptions {
  /** The service to run against; can be set later with `connect`. */
  service?: AgentService;
  /** How many runs the session history keeps. @default 20 */
  maxHistory?: number;
  /**
   * Output chunks arriving within this many milliseconds are shown together: a fast
   * stream of a large result then re-renders a few times a second, not once per chunk.
   * Other events are shown at once. 0 shows every chunk. @default 50
   */
  streamThrottleMs?: number;
  /**
   * How often the live metrics (`durationMs`) tick while a run streams and someone is subscribed,
   * when nothing else changed. @default 100
   */
  metricsIntervalMs?: number;
  /** The agent selected first. @default undefined */
  agentId?: string;
  /** The mode asked for first. @default 'mock' */
  mode?: ExecutionMode;
  /** The first agent's input text, instead of its example or its schema's defaults. @default undefined */
  defaultInput?: string;
}

/** A framework-agnostic store for runs of agents: subscribe, read a snapshot, act. */
export interface RunStore {
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  getSnapshot(): RunSnapshot;
  /**
   * Uses `service` for the next runs and loads its agents. Connecting another service
   * (a client re-created on render, say) does not stop a run in flight: it finishes on
   * the service it started on, and the agent list is refreshed without a loading state.
   * The returned function disconnects: it stops the active run and any read of a stopped
   * run's record; it does nothing once another service has been connected.
   */
  connect(service: AgentService): () => void;
  /** Reloads the agent list. */
  loadAgents(): Promise<void>;
  /**
   * Checks the input, then runs the agent and streams its events. Resolves with the
   * finished run, or `undefined` when the input was refused before sending (see `validation`).
   */
  run(options: StartRunOptions): Promise<RunEntry | undefined>;
  /**
   * Runs the selected agent on the input text in `mode`. Resolves `undefined` without sending
   * when no agent is selected or the text is not valid (see `input`); while the input is
   * `checking`, it waits for the check first.
   */
  submit(options?: SubmitOptions): Promise<RunEntry | undefined>;
  /** Stops the active run; its partial output is kept. */
  cancel(): void;
  /** Shows no run (status `idle`) and clears validation; history is kept. */
  reset(): void;
  /** Shows a run from history, and puts its input in the input text. */
  select(runId: string): void;
  /**
   * Shows a stored record (a history entry: `listExecutions` or `getExecution`) in the run area:
   * its output, error and metrics; the input text is left as it is. A run of this session with
   * that execution id is selected instead.
   */
  show(record: ExecutionResult): void;
  /** Selects the agent `submit` runs; another agent shows a fresh run area (history is kept). */
  selectAgent(agentId: string | undefined): void;
  /** Asks for a mode; `mode` falls back to the other one when the agent cannot run it. */
  setMode(mode: ExecutionMode): void;
  /** Replaces the input text. */
  setInput(text: string): void;
  /** Puts the agent's example (or its schema's defaults) back in the input text. */
  resetInput(): void;
  /** Pretty-prints the input text; returns the syntax issue instead when it is not JSON. */
  formatInput(): ValidationIssue | undefined;
  /**
   * Checks an input against an agent's JSON Schema (no issues when the agent is unknown). Async:
   * the validator is loaded on demand (see `checkedInput`); it answers at once when loaded.
   */
  validate(agentId: string, input: unknown): Promise<ValidationIssue[]>;
  /**
   * The input's check once the JSON Schema validator has loaded: the snapshot's `input` at once,
   * unless its state is `checking`. When the validator cannot be loaded, the schema is left to the
   * service (which checks every input again) and JSON counts as `valid`.
   */
  checkedInput(): Promise<InputCheck>;
}
