import {
  AgentryError,
  type AgentService,
  type AgentSummary,
  deserializeError,
  type ExecutionEvent,
  type ExecutionMode,
  type ExecutionResult,
  toAgentryError,
  type ValidationIssue,
} from '@agentry/core';
import { validateJsonSchema } from '../internal/json-schema';

/**
 * Where a run is: `idle` before any run (or after `reset`), `running` once sent,
 * `streaming` from the first output chunk, then one of the three outcomes.
 */
export type RunStatus = 'idle' | 'running' | 'streaming' | 'succeeded' | 'failed' | 'cancelled';

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
  /** The run's events in order; consecutive output deltas are merged into one. */
  events: ExecutionEvent[];
  /** The final record, once the service sends it. */
  result?: ExecutionResult;
  /** Why the run failed or stopped. */
  error?: AgentryError;
  /** True when this session's `cancel()` stopped it. */
  cancelledByUser: boolean;
  /** `Date.now()` when it was sent. */
  startedAt: number;
}

/** Whether the agent list has been loaded. */
export type AgentsStatus = 'idle' | 'loading' | 'ready' | 'error';

/** An immutable view of the store; a new object after every change. */
export interface RunSnapshot {
  /** The shown run's status (`idle` when none is shown). */
  status: RunStatus;
  /** The shown run: the latest one, or the one picked from history. */
  current: RunEntry | undefined;
  output: string;
  events: readonly ExecutionEvent[];
  result: ExecutionResult | undefined;
  error: AgentryError | undefined;
  /** Problems with the input: from the pre-send check or from the service's `issues`. */
  validation: readonly ValidationIssue[];
  /** This session's runs, newest first. */
  history: readonly RunEntry[];
  agents: readonly AgentSummary[];
  agentsStatus: AgentsStatus;
  agentsError: AgentryError | undefined;
}

/** Options for {@link RunStore.run}. */
export interface StartRunOptions {
  agentId: string;
  input: unknown;
  /** @default 'mock' */
  mode?: ExecutionMode;
  /** Seed for mock mode. */
  seed?: number;
  /**
   * Check the input against the agent's JSON Schema before sending, when the agent is
   * known. The service validates again either way. @default true
   */
  validate?: boolean;
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
  /** Stops the active run; its partial output is kept. */
  cancel(): void;
  /** Shows no run (status `idle`) and clears validation; history is kept. */
  reset(): void;
  /** Shows a run from history. */
  select(runId: string): void;
  /** Checks an input against an agent's JSON Schema (no issues when the agent is unknown). */
  validate(agentId: string, input: unknown): ValidationIssue[];
}

const EMPTY: readonly never[] = Object.freeze([]);

/** Errors whose `issues` point into the input; `output_invalid` issues point into the model's output. */
const INPUT_ERROR_CODES: ReadonlySet<string> = new Set(['validation_failed', 'invalid_json', 'input_too_large']);

/**
 * Waits before each new read of a stopped run's record (client mode): the server writes it
 * once it notices the disconnect, usually at once. Five reads within 1.5 s, then it goes without.
 */
const RECORD_RETRY_MS = [100, 200, 400, 800] as const;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

function sameAgents(a: readonly AgentSummary[], b: readonly AgentSummary[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function appendEvent(events: ExecutionEvent[], event: ExecutionEvent): ExecutionEvent[] {
  const last = events[events.length - 1];
  // Merging deltas keeps the event list short however long the output grows.
  if (event.type === 'output-delta' && last?.type === 'output-delta') {
    return [...events.slice(0, -1), { ...last, delta: last.delta + event.delta }];
  }
  return [...events, event];
}

/**
 * Creates a run store: the state behind `useAgentRun`, usable from any framework
 * (`subscribe(listener) => unsubscribe` and `getSnapshot()`, like TanStack Query's core).
 */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const maxHistory = options.maxHistory ?? 20;
  const throttleMs = options.streamThrottleMs ?? 50;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  let service = options.service;
  let history: RunEntry[] = [];
  let selectedId: string | undefined;
  let validation: readonly ValidationIssue[] = EMPTY;
  let agents: readonly AgentSummary[] = EMPTY;
  let agentsStatus: AgentsStatus = 'idle';
  let agentsError: AgentryError | undefined;
  let agentsController: AbortController | undefined;
  /** The service whose agent list is shown, and the one being loaded. */
  let agentsFrom: AgentService | undefined;
  let agentsLoading: AgentService | undefined;
  let active: { id: string; controller: AbortController } | undefined;
  /** One per unsettled run, aborted on disconnect: stops reading a stopped run's record. */
  const settling = new Set<AbortController>();
  let counter = 0;
  let snapshot = build();

  function build(): RunSnapshot {
    const current = selectedId === undefined ? undefined : history.find((entry) => entry.id === selectedId);
    return {
      status: current?.status ?? 'idle',
      current,
      output: current?.output ?? '',
      events: current?.events ?? EMPTY,
      result: current?.result,
      error: current?.error,
      validation,
      history,
      agents,
      agentsStatus,
      agentsError,
    };
  }

  function emit(): void {
    if (pending !== undefined) {
      clearTimeout(pending);
      pending = undefined;
    }
    snapshot = build();
    for (const listener of listeners) listener();
  }

  function emitSoon(): void {
    if (throttleMs <= 0) emit();
    else pending ??= setTimeout(emit, throttleMs);
  }

  function update(id: string, change: (entry: RunEntry) => RunEntry, soon = false): RunEntry | undefined {
    let next: RunEntry | undefined;
    history = history.map((entry) => {
      if (entry.id !== id) return entry;
      next = change(entry);
      return next;
    });
    if (next) {
      if (soon) emitSoon();
      else emit();
    }
    return next;
  }

  function find(id: string): RunEntry | undefined {
    return history.find((entry) => entry.id === id);
  }

  /**
   * Loads the agent list. `quiet` shows no loading state and changes nothing when the answer
   * is what is shown already, so a service re-created on every render settles at once.
   */
  async function loadAgents(quiet = false): Promise<void> {
    agentsController?.abort();
    const target = service;
    if (!target) return;
    const controller = new AbortController();
    agentsController = controller;
    agentsLoading = target;
    if (!quiet) {
      agentsStatus = 'loading';
      agentsError = undefined;
      emit();
    }
    try {
      const list = await target.listAgents({ signal: controller.signal });
      if (controller.signal.aborted) return;
      agentsFrom = target;
      agentsLoading = undefined;
      if (quiet && agentsStatus === 'ready' && sameAgents(agents, list)) return;
      agents = list;
      agentsStatus = 'ready';
      agentsError = undefined;
    } catch (error) {
      if (controller.signal.aborted) return;
      agentsFrom = target;
      agentsLoading = undefined;
      const failure = toAgentryError(error);
      const shown = agentsStatus === 'error' ? agentsError : undefined;
      if (quiet && shown?.code === failure.code && shown.message === failure.message) return;
      agentsStatus = 'error';
      agentsError = failure;
    }
    emit();
  }

  function validate(agentId: string, input: unknown): ValidationIssue[] {
    const agent = agents.find((item) => item.id === agentId);
    return agent ? validateJsonSchema(agent.inputSchema, input) : [];
  }

  function handle(id: string, event: ExecutionEvent): void {
    const entry = find(id);
    // Events after a local cancel (or of a run no longer tracked) change nothing shown,
    // except the final record, which brings the stopped run's metrics.
    if (!entry) return;
    if (entry.status === 'cancelled' && entry.cancelledByUser) {
      if (event.type === 'execution-error' || event.type === 'execution-finish') {
        update(id, (current) => ({ ...current, result: event.result }));
      }
      return;
    }
    switch (event.type) {
      case 'execution-start':
        update(id, (current) => ({
          ...current,
          executionId: event.executionId,
          events: appendEvent(current.events, event),
        }));
        return;
      case 'output-delta':
        update(
          id,
          (current) => ({
            ...current,
            status: 'streaming',
            output: current.output + event.delta,
            events: appendEvent(current.events, event),
          }),
          true,
        );
        return;
      case 'usage':
        update(id, (current) => ({ ...current, events: appendEvent(current.events, event) }));
        return;
      case 'execution-finish':
        update(id, (current) => ({
          ...current,
          status: 'succeeded',
          result: event.result,
          events: appendEvent(current.events, event),
        }));
        return;
      case 'execution-error': {
        const error = deserializeError(event.error);
        showInputIssues(id, error);
        update(id, (current) => ({
          ...current,
          status: event.result.status === 'cancelled' ? 'cancelled' : 'failed',
          result: event.result,
          error,
          events: appendEvent(current.events, event),
        }));
        return;
      }
      default:
        event satisfies never;
    }
  }

  /** Shows an input error's issues on the input, when its run is the one shown. */
  function showInputIssues(id: string, error: AgentryError): void {
    if (error.issues && INPUT_ERROR_CODES.has(error.code) && selectedId === id) validation = error.issues;
  }

  /**
   * Reads the record of a run that started but ended without it (client mode: stopping aborts
   * the request, so the final event never arrives; so does a broken connection), retrying
   * while the server answers `not_found` because it has not written it yet.
   */
  async function readRecord(target: AgentService, id: string, executionId: string, signal: AbortSignal) {
    for (let attempt = 0; !signal.aborted; attempt += 1) {
      try {
        const result = await target.getExecution(executionId, { signal });
        if (!signal.aborted) update(id, (current) => (current.result ? current : { ...current, result }));
        return;
      } catch (thrown) {
        const error = toAgentryError(thrown);
        const wait = RECORD_RETRY_MS[attempt];
        // Only "not written yet" is worth waiting for: other failures would not heal in 1.5 s.
        if (wait === undefined || error.code !== 'not_found') return;
        await pause(wait, signal);
      }
    }
  }

  async function run(runOptions: StartRunOptions): Promise<RunEntry | undefined> {
    const target = service;
    if (runOptions.validate !== false) {
      const issues = validate(runOptions.agentId, runOptions.input);
      if (issues.length > 0) {
        validation = issues;
        emit();
        return undefined;
      }
    }
    cancel();
    counter += 1;
    const id = `run_${counter}`;
    const controller = new AbortController();
    const settle = new AbortController();
    active = { id, controller };
    settling.add(settle);
    const entry: RunEntry = {
      id,
      agentId: runOptions.agentId,
      mode: runOptions.mode ?? 'mock',
      input: runOptions.input,
      status: 'running',
      output: '',
      events: [],
      cancelledByUser: false,
      startedAt: Date.now(),
    };
    history = [entry, ...history].slice(0, maxHistory);
    selectedId = id;
    validation = EMPTY;
    emit();

    try {
      if (!target) {
        throw new AgentryError('internal', 'useAgentRun has no client or executor: pass one of them.');
      }
      const stream = target.stream({
        agentId: runOptions.agentId,
        input: runOptions.input,
        mode: entry.mode,
        signal: controller.signal,
        seed: runOptions.seed,
      });
      for await (const event of stream) {
        handle(id, event as ExecutionEvent);
      }
      const last = find(id);
      if (last && (last.status === 'running' || last.status === 'streaming')) {
        update(id, (current) => ({
          ...current,
          status: 'failed',
          error: new AgentryError('internal', 'The event stream ended before the run finished.'),
        }));
      }
    } catch (thrown) {
      const last = find(id);
      if (last && !(last.status === 'cancelled' && last.cancelledByUser)) {
        const error = toAgentryError(thrown);
        showInputIssues(id, error);
        update(id, (current) => ({
          ...current,
          status: error.code === 'cancelled' ? 'cancelled' : 'failed',
          error,
          ...(current.executionId === undefined && error.executionId ? { executionId: error.executionId } : {}),
        }));
      }
    } finally {
      if (active?.id === id) active = undefined;
    }
    // Every run that started ends in a record: fetch it when the stream did not bring it.
    const ended = find(id);
    if (target && ended?.executionId && !ended.result && ended.events[0]?.type === 'execution-start') {
      await readRecord(target, id, ended.executionId, settle.signal);
    }
    settling.delete(settle);
    return find(id);
  }

  function cancel(): void {
    if (!active) return;
    const { id, controller } = active;
    active = undefined;
    update(id, (current) =>
      current.status === 'running' || current.status === 'streaming'
        ? {
            ...current,
            status: 'cancelled',
            cancelledByUser: true,
            error: new AgentryError('cancelled', 'The run was stopped.'),
          }
        : current,
    );
    controller.abort(new AgentryError('cancelled', 'The run was stopped.'));
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
    connect(next) {
      service = next;
      if (agentsLoading !== next && (agentsFrom !== next || agentsStatus === 'idle')) {
        // A new service object may well offer the same agents (an inline `createClient`):
        // refresh quietly instead of showing the loading state again.
        void loadAgents(agentsStatus !== 'idle');
      }
      return () => {
        if (service !== next) return;
        agentsController?.abort();
        agentsLoading = undefined;
        if (agentsStatus === 'loading') agentsStatus = 'idle';
        for (const settle of settling) settle.abort();
        settling.clear();
        cancel();
      };
    },
    loadAgents: () => loadAgents(),
    run,
    cancel,
    reset() {
      cancel();
      selectedId = undefined;
      validation = EMPTY;
      emit();
    },
    select(runId) {
      if (!find(runId)) return;
      selectedId = runId;
      validation = EMPTY;
      emit();
    },
    validate,
  };
}
