'use client';

import type { AgentSummary, ExecutionMode, ExecutionResult, TestCaseService } from '@agentry/core';
import { createStaleCheck, initialInputText, type JsonSchema, type RunEntry } from '@agentry/core/client';
import {
  forwardRef,
  type KeyboardEvent,
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { resolveAgentService } from '../use-agent-run/resolve-agent-service';
import { useAgentRun } from '../use-agent-run/use-agent-run';
import { AgentPicker } from './agent-picker';
import { agentsNotice } from './agents-notice';
import { ErrorCallout } from './error-callout';
import type { SettledRun } from './history/history-section';
import { InputEditor, type InputEditorHandle } from './input/input-editor';
import { defaultLabels } from './labels';
import { preloadLazyParts } from './lazy-parts';
import { MetricsBar } from './metrics-bar';
import { ModeSwitch } from './mode-switch';
import { OutputView } from './output-view';
import { runActions } from './run-actions';
import { SaveRunSlot } from './save-run-slot';
import { LazyToolSteps } from './steps/lazy-tool-steps';
import type { TestPanelProps } from './test-panel-props';

export type { TestPanelProps, TestPanelRunRequest, TestPanelTheme } from './test-panel-props';

// ---- saved test cases (issue 16 item 8): their own chunk, loaded when the panel shows them ----
const TestCasesSection = lazy(() =>
  import('./test-cases/test-cases-section').then((module) => ({ default: module.TestCasesSection })),
);
// ---- end saved test cases ----

// The history list is its own chunk (it sits below the run area; its compare view is another).
const HistorySection = lazy(() =>
  import('./history/history-section').then((module) => ({ default: module.HistorySection })),
);

/**
 * The TestPanel: pick a mode, type JSON input checked against the agent's schema, run
 * it, and watch the output stream in with its metrics. Import `@agentry/react/styles.css` once.
 *
 * Create the client once, at module scope or with `useMemo`. A run in flight is never stopped
 * by a re-render, but a new client on every render makes the panel re-check its agent list
 * on every render.
 *
 * @example
 * const client = createClient({ baseUrl: '/api/agentry' }); // module scope: one client for the app
 *
 * export function Playground() {
 *   return <TestPanel client={client} agentId="summarize" defaultMode="mock" />;
 * }
 */
export const TestPanel = forwardRef<HTMLElement, TestPanelProps>(function TestPanel(props, ref) {
  const labels = useMemo(() => ({ ...defaultLabels, ...props.labels }), [props.labels]);
  const { locale, agentIds } = props;

  // Agent: controlled by `agentId`, else picked here.
  const [pickedAgentId, setPickedAgentId] = useState(props.defaultAgentId);
  const requestedAgentId = props.agentId ?? pickedAgentId;
  // Mode: controlled by `mode`, else kept here; the store falls back to what the agent can run.
  const [uncontrolledMode, setUncontrolledMode] = useState<ExecutionMode>(props.defaultMode ?? 'mock');
  const hook = useAgentRun({
    client: props.client,
    executor: props.executor,
    tenant: props.tenant,
    agentId: requestedAgentId,
    mode: props.mode ?? uncontrolledMode,
    defaultInput: props.defaultInput,
  });
  const { status, agents, agentsStatus, current } = hook;
  const pickable = useMemo(
    () =>
      agentIds
        ? agentIds
            .map((id) => agents.find((agent) => agent.id === id))
            .filter((agent): agent is AgentSummary => !!agent)
        : agents,
    [agents, agentIds],
  );
  if (requestedAgentId === undefined && pickable[0]) setPickedAgentId(pickable[0].id);
  const agent = hook.agent;
  const showPicker = props.agentId === undefined || agentIds !== undefined;

  const { modes, mode: effectiveMode, input } = hook;

  // The history is the service's own (it survives a reload); a new tenant drops it, never mixes it.
  const { client, executor, tenant } = props;
  const scope = tenant ? `${tenant.tenantId}\u0000${tenant.userId ?? ''}` : undefined;
  const service = useMemo(() => resolveAgentService({ client, executor, tenant }), [client, executor, scope]);
  const [settled, setSettled] = useState<SettledRun>();

  const callbacks = useRef(props);
  callbacks.current = props;
  const inputRef = useRef<InputEditorHandle>(null);
  const runButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const focused = useRef<'run' | 'cancel' | undefined>(undefined);
  const active = status === 'running' || status === 'streaming';

  useEffect(preloadLazyParts, []);

  // Run and Cancel share one place: focus follows the button that replaces the focused one.
  useEffect(() => {
    if (active && focused.current === 'run') cancelButton.current?.focus();
    if (!active && focused.current === 'cancel') runButton.current?.focus();
  }, [active]);

  const { submit, cancel } = hook;
  const startRun = useCallback(async () => {
    if (!agent || active) return;
    // Large input waits for a pause in typing before it is checked: check it now.
    inputRef.current?.flush();
    let input = hook.store.getSnapshot().input;
    // The validator loads on demand: a click in its first moments waits for the check.
    if (input.state === 'checking') {
      input = await hook.store.checkedInput();
      if (hook.store.getSnapshot().agentId !== agent.id) return;
    }
    if (input.state !== 'valid') {
      const first = input.issues[0];
      if (first?.line !== undefined && first.column !== undefined) inputRef.current?.goTo(first.line, first.column);
      else inputRef.current?.focus();
      return;
    }
    callbacks.current.onRun?.({ agentId: agent.id, input: input.value, mode: effectiveMode });
    const from = { service, scope, agentId: agent.id };
    settle(await submit(), from);
  }, [agent, active, hook.store, effectiveMode, submit, service, scope]);

  /** After a run: the history learns of it (if it still shows where the run started), then the callbacks. */
  function settle(entry: RunEntry | undefined, from: Omit<SettledRun, 'record'>) {
    if (!entry) return;
    if (entry.result || entry.executionId) setSettled({ ...from, record: entry.result });
    if (entry.result) callbacks.current.onResult?.(entry.result);
    if (entry.status === 'failed' && entry.error) callbacks.current.onError?.(entry.error);
  }

  async function rerun(record: ExecutionResult) {
    if (active) return;
    const mode = record.requestedMode ?? record.mode;
    const from = { service, scope, agentId: record.agentId };
    callbacks.current.onRun?.({ agentId: record.agentId, input: record.input, mode });
    settle(await hook.store.run({ agentId: record.agentId, input: record.input, mode }), from);
  }

  const stop = useCallback(() => {
    focused.current = 'cancel';
    cancel();
  }, [cancel]);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void startRun();
    } else if (event.key === 'Escape' && active) {
      event.preventDefault();
      stop();
    }
  }

  function changeMode(next: ExecutionMode) {
    if (props.mode === undefined) setUncontrolledMode(next);
    callbacks.current.onModeChange?.(next);
  }

  function changeAgent(next: string) {
    if (props.agentId === undefined) setPickedAgentId(next);
    callbacks.current.onAgentChange?.(next);
  }

  // ---- saved test cases ----
  const runService = useMemo(
    () => resolveAgentService({ client: props.client, executor: props.executor, tenant: props.tenant }),
    [props.client, props.executor, props.tenant],
  );
  const testCaseService =
    props.testCases === false
      ? undefined
      : (props.testCases ?? (props.client as { testCases?: TestCaseService } | undefined)?.testCases);
  // "Equals the result shown" only while the shown run's input is the editor's.
  const shownInput = current?.input;
  const resultForInput = useMemo(
    () =>
      testCaseService && input.state === 'valid' && JSON.stringify(shownInput) === JSON.stringify(input.value)
        ? hook.result
        : undefined,
    [testCaseService, input.state, input.value, shownInput, hook.result],
  );
  // ---- end saved test cases ----

  const error = hook.error;
  const endpoint = props.endpoint ?? (props.client as { baseUrl?: unknown } | undefined)?.baseUrl;
  const runRequest =
    typeof endpoint === 'string' && agent && current
      ? { baseUrl: endpoint, agentId: agent.id, input: current.input, mode: current.mode }
      : undefined;
  const outputIssues = error?.code === 'output_invalid' ? error.issues : undefined;
  const showError =
    error !== undefined && (status === 'failed' || (status === 'cancelled' && !current?.cancelledByUser));
  const stale = useMemo(
    () =>
      current !== undefined &&
      !active &&
      createStaleCheck(input.text, agent?.inputSchema as JsonSchema | undefined)(current),
    [current, active, input.text, agent?.inputSchema],
  );

  let state: string = status;
  if (!agent) {
    state =
      agentsStatus === 'error'
        ? 'error'
        : agentsStatus === 'ready'
          ? agents.length === 0
            ? 'empty'
            : 'not-found'
          : 'loading';
  }

  return (
    <section
      ref={ref}
      id={props.id}
      data-agentry=""
      data-theme={props.theme ?? 'system'}
      data-state={state}
      data-mode={effectiveMode}
      data-input-state={agent ? input.state : undefined}
      className={props.className ? `agentry-panel ${props.className}` : 'agentry-panel'}
      style={props.style}
      aria-label={labels.panel(agent?.name)}
      onKeyDown={onKeyDown}
    >
      <header className="agentry-header">
        <div className="agentry-header__text">
          <h2 className="agentry-header__title">{agent?.name ?? labels.panel(undefined)}</h2>
          {agent?.description ? <p className="agentry-header__description">{agent.description}</p> : null}
        </div>
        <div className="agentry-header__controls">
          {showPicker && pickable.length > 0 ? (
            <AgentPicker
              agents={pickable}
              value={agent?.id ?? requestedAgentId}
              onValueChange={changeAgent}
              disabled={active}
              labels={labels}
            />
          ) : null}
          {agent ? (
            <ModeSwitch
              value={effectiveMode}
              onValueChange={changeMode}
              liveAvailable={modes.live}
              mockAvailable={modes.mock}
              liveReason={modes.liveSupported ? modes.liveReason : labels.modeNotSupported}
              disabled={active}
              labels={labels}
            />
          ) : null}
        </div>
      </header>

      {agent
        ? null
        : agentsNotice(
            agentsStatus,
            hook.agentsError,
            () => void hook.loadAgents(),
            agents.length === 0,
            requestedAgentId,
            labels,
          )}

      {agent ? (
        <div className="agentry-body">
          <div className="agentry-pane agentry-pane--input">
            <InputEditor
              key={agent.id}
              value={input.text}
              onValueChange={hook.setInput}
              state={input.state}
              parsed={input.value}
              issues={input.issues}
              issueSource={input.source}
              schema={agent.inputSchema}
              resetText={initialInputText(agent)}
              resetLabel={agent.example !== undefined ? labels.resetToExample : labels.resetToDefaults}
              maxInputBytes={agent.maxInputBytes}
              defaultView={props.defaultInputView}
              locale={locale}
              handleRef={inputRef}
              labels={labels}
            />
            {runActions(active, effectiveMode, input.state, startRun, stop, runButton, cancelButton, focused, labels)}
          </div>
          <div className="agentry-pane agentry-pane--output">
            <OutputView
              key={current?.id ?? 'none'}
              status={status}
              output={hook.output}
              result={hook.result}
              locale={locale}
              previewChars={props.previewChars}
              issues={outputIssues}
              executionId={current?.executionId}
              reconnecting={hook.connection === 'reconnecting'}
              request={runRequest}
              summary={
                current ? (
                  <>
                    <MetricsBar
                      metrics={hook.metrics}
                      steps={hook.result?.steps?.length}
                      locale={locale}
                      labels={labels}
                    />
                    {stale ? <p className="agentry-stale">{labels.staleResult}</p> : null}
                  </>
                ) : null
              }
              labels={labels}
            />
            <SaveRunSlot service={props.client} allowed={agent.canSaveRuns} result={hook.result} />
            {showError && error ? (
              <ErrorCallout
                error={error}
                executionId={current?.executionId}
                onRetry={() => void startRun()}
                mode={current?.mode ?? effectiveMode}
                connectionLost={hook.connection === 'lost' && !hook.result}
                showDeveloperHints={props.showDeveloperHints}
                locale={locale}
                labels={labels}
              />
            ) : null}
            <LazyToolSteps key={`steps:${current?.id}`} run={current} locale={locale} labels={labels} />
          </div>
        </div>
      ) : null}

      {/* ---- saved test cases ---- */}
      {agent && testCaseService && runService ? (
        <Suspense fallback={null}>
          <TestCasesSection
            service={testCaseService}
            execute={(run) => runService.execute(run)}
            agent={agent}
            mode={effectiveMode}
            input={{ valid: input.state === 'valid', value: input.value }}
            result={resultForInput}
            modeNames={{ mock: labels.mock, live: labels.live }}
            labels={props.labels}
          />
        </Suspense>
      ) : null}
      {/* ---- end saved test cases ---- */}

      {agent && props.showHistory !== false ? (
        <Suspense fallback={null}>
          <HistorySection
            service={service}
            agentId={agent.id}
            scope={scope}
            settled={settled}
            inputText={input.text}
            inputSchema={agent.inputSchema as JsonSchema}
            selectedId={current?.executionId}
            onSelect={hook.show}
            onRestore={(record) => hook.setInput(JSON.stringify(record.input, null, 2) ?? '')}
            onRerun={(record) => void rerun(record)}
            busy={active}
            locale={locale}
            labels={labels}
          />
        </Suspense>
      ) : null}
    </section>
  );
});
