import type { ExecutionMode } from '../../agent';
import { AgentryError, deserializeError, toAgentryError, type ValidationIssue } from '../../errors';
import type { ExecutionEvent, ExecutionResult, StreamConnectionState } from '../../executor/types';
import type { JsonSchema } from '../../validation';
import { parseJsonQuickly } from '../../validation/json-limits';
import { createAgentList } from './agent-list';
import { applyEvent } from './apply-event';
import { initialInputText } from './check-input';
import { inputChecks, loadInputChecks } from './input-checks';
import { createInputDraft } from './input-draft';
import { modeAvailability, resolveMode } from './mode-availability';
import { readRecord } from './read-record';
import { recordEntry } from './record-entry';
import { runMetrics } from './run-metrics';
import { createTicker } from './ticker';
import type { InputCheck, RunEntry, RunSnapshot, RunStore, RunStoreOptions, StartRunOptions } from './types';

const EMPTY: readonly never[] = Object.freeze([]);

/** Errors whose `issues` point into the input; `output_invalid` issues point into the model's output. */
const INPUT_ERROR_CODES: ReadonlySet<string> = new Set(['validation_failed', 'invalid_json', 'input_too_large']);

const isActive = (entry: RunEntry | undefined) => entry?.status === 'running' || entry?.status === 'streaming';

/**
 * Creates a run store: the state behind `useAgentRun`, usable from any framework
 * (`subscribe(listener) => unsubscribe` and `getSnapshot()`, like TanStack Query's core).
 * Its snapshot holds what a run UI shows: the selected agent and the modes it can run in, the
 * input text checked against its schema, the shown run with live metrics, and the history.
 */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const maxHistory = options.maxHistory ?? 20;
  const throttleMs = options.streamThrottleMs ?? 50;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  let history: RunEntry[] = [];
  let selectedId: string | undefined;
  /** A stored record shown from the history (not a run of this session); wins over `selectedId`. */
  let viewed: RunEntry | undefined;
  let validation: readonly ValidationIssue[] = EMPTY;
  let agentId = options.agentId;
  let requestedMode: ExecutionMode = options.mode ?? 'mock';
  const draft = createInputDraft(options.defaultInput);
  let active: { id: string; controller: AbortController } | undefined;
  /** One per unsettled run, aborted on disconnect: stops reading a stopped run's record. */
  const settling = new Set<AbortController>();
  let counter = 0;
  const ticker = createTicker(options.metricsIntervalMs ?? 100, () => emit(true));
  const agentList = createAgentList(options.service, emit);
  let snapshot = build();
  // The checks load in parallel with the agent list; the input is `checking` until they are here.
  if (inputChecks() === undefined) void loadInputChecks().then(() => emit());

  function build(): RunSnapshot {
    const agent = agentList.find(agentId);
    // The input starts as the agent's example (or its schema's defaults) once the agent is known.
    draft.follow(agent);
    const current = viewed ?? (selectedId === undefined ? undefined : history.find((entry) => entry.id === selectedId));
    const modes = modeAvailability(agent);
    return {
      status: current?.status ?? 'idle',
      current,
      output: current?.output ?? '',
      events: current?.events ?? EMPTY,
      connection: current?.connection ?? 'live',
      result: current?.result,
      error: current?.error,
      metrics: runMetrics(current, Date.now()),
      validation,
      history,
      agents: agentList.agents,
      agentsStatus: agentList.status,
      agentsError: agentList.error,
      agentId,
      agent,
      modes,
      mode: resolveMode(requestedMode, modes),
      input: draft.check(agent, validation),
    };
  }

  function emit(fromTicker = false): void {
    if (pending !== undefined) {
      clearTimeout(pending);
      pending = undefined;
    }
    snapshot = build();
    // The live metrics tick while the shown run streams and someone looks.
    if (isActive(snapshot.current) && listeners.size > 0) {
      if (!fromTicker) ticker.touch();
      ticker.start();
    } else ticker.stop();
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

  const find = (id: string) => history.find((entry) => entry.id === id);

  /** The issues at once when the checks are loaded, else once they are (none when they cannot be). */
  function validate(id: string, value: unknown): ValidationIssue[] | Promise<ValidationIssue[]> {
    const agent = agentList.find(id);
    if (!agent) return [];
    const check = (checks: ReturnType<typeof inputChecks>) =>
      checks ? checks.validateJsonSchema(agent.inputSchema as JsonSchema, value) : [];
    const loaded = inputChecks();
    return loaded ? check(loaded) : loadInputChecks().then(check);
  }

  async function checkedInput(): Promise<InputCheck> {
    if (
      snapshot.input.state === 'checking' ||
      (inputChecks() === undefined && snapshot.input.state === 'invalid-json')
    ) {
      await loadInputChecks();
      emit();
    }
    return snapshot.input;
  }

  function handle(id: string, event: ExecutionEvent): void {
    const entry = find(id);
    if (!entry) return;
    const next = applyEvent(entry, event, Date.now());
    if (next === entry) return;
    if (event.type === 'execution-error' && next.error) showInputIssues(id, next.error);
    update(id, () => next, event.type === 'output-delta');
  }

  /** Shows the client resuming a dropped stream ("Reconnecting…"), and its return. */
  function connectionChanged(id: string, state: StreamConnectionState): void {
    if (isActive(find(id)))
      update(id, (current) => ({ ...current, connection: state.status === 'connected' ? 'live' : state.status }));
  }

  /** Shows an input error's issues on the input, when its run is the one shown. */
  function showInputIssues(id: string, error: AgentryError): void {
    if (error.issues && INPUT_ERROR_CODES.has(error.code) && selectedId === id) validation = error.issues;
  }

  async function run(runOptions: StartRunOptions): Promise<RunEntry | undefined> {
    const target = agentList.service;
    if (runOptions.validate !== false) {
      const found = validate(runOptions.agentId, runOptions.input);
      const issues = Array.isArray(found) ? found : await found;
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
      connection: 'live',
      cancelledByUser: false,
      startedAt: Date.now(),
    };
    history = [entry, ...history].slice(0, maxHistory);
    selectedId = id;
    viewed = undefined;
    validation = EMPTY;
    emit();

    try {
      if (!target) {
        throw new AgentryError('internal', 'The run store has no service: pass a client or an executor.');
      }
      const stream = target.stream({
        agentId: runOptions.agentId,
        input: runOptions.input,
        mode: entry.mode,
        signal: controller.signal,
        seed: runOptions.seed,
        onConnectionChange: (state) => connectionChanged(id, state),
      });
      for await (const event of stream) handle(id, event as ExecutionEvent);
      if (isActive(find(id))) {
        update(id, (current) => ({
          ...current,
          status: 'failed',
          endedAt: Date.now(),
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
          // Resuming the dropped stream failed: the record may still tell how the run ended.
          connection: current.connection === 'reconnecting' ? 'lost' : current.connection,
          endedAt: current.endedAt ?? Date.now(),
          ...(current.executionId === undefined && error.executionId ? { executionId: error.executionId } : {}),
        }));
      }
    } finally {
      if (active?.id === id) active = undefined;
    }
    // Every run that started ends in a record: fetch it when the stream did not bring it.
    const ended = find(id);
    if (target && ended?.executionId && !ended.result && ended.events[0]?.type === 'execution-start') {
      const result = await readRecord(target, ended.executionId, settle.signal);
      if (result) update(id, (current) => withRecord(current, result));
    }
    settling.delete(settle);
    return find(id);
  }

  /** A run that ended without its final event, once its record was read. */
  function withRecord(entry: RunEntry, result: ExecutionResult): RunEntry {
    if (entry.result) return entry;
    if (entry.connection !== 'lost') return { ...entry, result };
    // The connection was lost, but the server kept the run: show how it really ended.
    return {
      ...entry,
      result,
      status: result.status,
      output: typeof result.output === 'string' ? result.output : entry.output,
      error: result.status === 'succeeded' ? undefined : deserializeError(result.error),
    };
  }

  function cancel(): void {
    if (!active) return;
    const { id, controller } = active;
    active = undefined;
    update(id, (current) =>
      isActive(current)
        ? {
            ...current,
            status: 'cancelled',
            cancelledByUser: true,
            endedAt: Date.now(),
            error: new AgentryError('cancelled', 'The run was stopped.'),
          }
        : current,
    );
    controller.abort(new AgentryError('cancelled', 'The run was stopped.'));
  }

  function setInput(text: string): void {
    if (draft.setText(text)) emit();
  }

  function reset(): void {
    cancel();
    selectedId = undefined;
    viewed = undefined;
    validation = EMPTY;
    emit();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (isActive(snapshot.current)) ticker.start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) ticker.stop();
      };
    },
    getSnapshot: () => snapshot,
    connect(next) {
      agentList.connect(next);
      return () => {
        if (!agentList.disconnect(next)) return;
        for (const settle of settling) settle.abort();
        settling.clear();
        cancel();
      };
    },
    loadAgents: () => agentList.load(),
    run,
    async submit(submitOptions = {}) {
      if (snapshot.input.state === 'checking') await checkedInput();
      const { agentId: id, input: check, mode } = snapshot;
      if (id === undefined || check.state !== 'valid') return undefined;
      draft.markSent();
      return run({ agentId: id, input: check.value, mode, seed: submitOptions.seed, validate: false });
    },
    cancel,
    reset,
    select(runId) {
      const entry = find(runId);
      if (!entry) return;
      selectedId = runId;
      viewed = undefined;
      validation = EMPTY;
      draft.showSent(entry.input);
      emit();
    },
    show(record) {
      const own = history.find((entry) => entry.executionId === record.id);
      viewed = own ? undefined : recordEntry(record);
      if (own) selectedId = own.id;
      validation = EMPTY;
      emit();
    },
    selectAgent(next) {
      if (next === agentId) return;
      agentId = next;
      reset();
    },
    setMode(next) {
      if (next === requestedMode) return;
      requestedMode = next;
      emit();
    },
    setInput,
    resetInput() {
      const agent = agentList.find(agentId);
      if (agent) setInput(initialInputText(agent));
    },
    formatInput() {
      const checks = inputChecks();
      const parsed = checks ? checks.parseJsonInput(draft.text) : parseJsonQuickly(draft.text);
      // Deep or overflowing text while the checks load: only they can tell.
      if (parsed === undefined) {
        return {
          path: [],
          code: 'json_syntax',
          message: 'The input is still being checked: format it again in a moment.',
        };
      }
      if (!parsed.ok) return parsed.issue;
      setInput(JSON.stringify(parsed.value, null, 2));
      return undefined;
    },
    checkedInput,
    validate: async (id, value) => validate(id, value),
  };
}
