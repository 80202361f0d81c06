'use client';

import type {
  AgentryError,
  AgentSummary,
  ExecutionMode,
  ExecutionResult,
  TestCase,
  TestCaseBody,
  TestCaseService,
} from '@agentry/core';
import { runTestCases, type TestCaseOutcome } from '@agentry/core/test-cases';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { SaveTestCaseForm } from './save-test-case-form';
import { defaultTestCaseLabels, type TestCaseLabels } from './test-case-labels';

/** Props of {@link TestCasesSection}. */
export interface TestCasesSectionProps {
  /** Where the cases are kept (`client.testCases`). */
  service: TestCaseService;
  /** Runs one case through the normal run route. */
  execute: (run: {
    agentId: string;
    input: unknown;
    mode: ExecutionMode;
    signal?: AbortSignal;
  }) => Promise<ExecutionResult>;
  agent: AgentSummary;
  /** The mode "Run all" uses: the panel's. */
  mode: ExecutionMode;
  /** The editor's input: saved when valid. */
  input: { valid: boolean; value: unknown };
  /** The run shown in the panel. */
  result: ExecutionResult | undefined;
  /** Names of the modes, as the panel shows them. */
  modeNames: Record<ExecutionMode, string>;
  labels?: Partial<TestCaseLabels>;
}

type CaseState = { status: 'running' } | TestCaseOutcome;

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function failureMessages(outcome: TestCaseOutcome): string[] {
  if (outcome.status === 'error') return [outcome.error.userMessage ?? outcome.error.message];
  return outcome.verdict.status === 'failed' ? outcome.verdict.failures.map((failure) => failure.message) : [];
}

/**
 * Saved test cases of one agent: save the current input with expectations, list them, run them
 * all in the current mode with pass/fail per case, see why one failed, delete. Loaded lazily by
 * the TestPanel (its own chunk).
 */
export function TestCasesSection(props: TestCasesSectionProps) {
  const { service, agent, mode, execute } = props;
  const labels = useMemo(() => ({ ...defaultTestCaseLabels, ...props.labels }), [props.labels]);
  const id = useId();
  const [cases, setCases] = useState<TestCase[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<AgentryError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [states, setStates] = useState<Record<string, CaseState>>({});
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const [suite, setSuite] = useState<{
    passed: number;
    failed: number;
    total: number;
    mode: ExecutionMode;
    stopped: boolean;
  }>();
  const [announcement, setAnnouncement] = useState('');
  const [progress, setProgress] = useState<{ index: number; total: number } | undefined>(undefined);
  const running = useRef<AbortController | undefined>(undefined);
  const saveButton = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const focusAfterDelete = useRef<number | undefined>(undefined);

  // After a delete has rendered: the deleted button is gone, so focus would fall to the page.
  useEffect(() => {
    const index = focusAfterDelete.current;
    if (index === undefined || cases === undefined) return;
    focusAfterDelete.current = undefined;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('.agentry-cases__delete');
    const next = buttons && buttons.length > 0 ? buttons[Math.min(index, buttons.length - 1)] : undefined;
    (next ?? saveButton.current)?.focus();
  }, [cases]);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoadError(undefined);
      try {
        const listed = await service.list(agent.id, signal ? { signal } : {});
        if (!signal?.aborted) setCases(listed);
      } catch (error) {
        if (!signal?.aborted) setLoadError(error as AgentryError);
      }
    },
    [service, agent.id],
  );

  useEffect(() => {
    const controller = new AbortController();
    setCases(undefined);
    setStates({});
    setSuite(undefined);
    void load(controller.signal);
    return () => {
      controller.abort();
      running.current?.abort();
    };
  }, [load]);

  async function save(body: TestCaseBody) {
    const created = await service.create(agent.id, body);
    setCases((current) => [...(current ?? []), created]);
    setSaving(false);
    setAnnouncement(labels.saved(created.name));
    saveButton.current?.focus();
  }

  async function remove(testCase: TestCase, index: number) {
    try {
      await service.delete(agent.id, testCase.id);
    } catch (error) {
      // Already gone (another tab deleted it): the list catches up either way.
      if ((error as AgentryError).code !== 'not_found') {
        setAnnouncement((error as AgentryError).userMessage ?? String(error));
        return;
      }
    }
    // Focus moves to the next case's delete button, or to "Save as test case" when none is left.
    focusAfterDelete.current = index;
    setCases((current) => current?.filter((item) => item.id !== testCase.id));
    setAnnouncement(labels.deleted(testCase.name));
  }

  async function runAll() {
    if (!cases || cases.length === 0) return;
    const controller = new AbortController();
    running.current = controller;
    const ranMode = mode;
    setSuite(undefined);
    setStates({});
    setProgress({ index: 1, total: cases.length });
    const first = cases[0];
    if (first) setStates({ [first.id]: { status: 'running' } });
    const result = await runTestCases({
      testCases: cases,
      mode: ranMode,
      execute,
      outputSchema: agent.outputSchema,
      signal: controller.signal,
      onOutcome: (outcome, index) => {
        const next = cases[index + 1];
        setStates((current) => ({
          ...current,
          [outcome.testCase.id]: outcome,
          ...(next && !controller.signal.aborted ? { [next.id]: { status: 'running' } } : {}),
        }));
        if (next) setProgress({ index: index + 2, total: cases.length });
      },
    });
    if (running.current !== controller) return;
    running.current = undefined;
    // A case stopped mid-run shows as not run.
    setStates((current) =>
      Object.fromEntries(Object.entries(current).filter(([, state]) => state.status !== 'running')),
    );
    setProgress(undefined);
    const total = result.outcomes.length;
    setSuite({ passed: result.passed, failed: result.failed, total, mode: ranMode, stopped: result.stopped });
    // The summary (role=status) announces itself; the live region is for saves and deletes.
    setAnnouncement('');
  }

  function stop() {
    running.current?.abort();
  }

  // Nothing until the list answers: a server without test cases (404) never flashes the section.
  if (loadError?.code === 'not_found' || (cases === undefined && loadError === undefined)) {
    return null;
  }

  const isRunning = progress !== undefined;
  const count = cases?.length ?? 0;
  const canSave = props.input.valid;

  return (
    <section className="agentry-cases" aria-labelledby={`${id}-title`} aria-busy={isRunning || cases === undefined}>
      <div className="agentry-cases__header">
        <h3 id={`${id}-title`} className="agentry-cases__title">
          {labels.testCases}
          {cases ? <span className="agentry-cases__count"> ({count})</span> : null}
        </h3>
        <div className="agentry-cases__buttons">
          <button
            ref={saveButton}
            type="button"
            className="agentry-button agentry-button--secondary"
            aria-expanded={saving}
            aria-describedby={canSave ? undefined : `${id}-save-hint`}
            disabled={!canSave || cases === undefined}
            onClick={() => setSaving((open) => !open)}
          >
            {labels.saveAsTestCase}
          </button>
          {isRunning ? (
            <button type="button" className="agentry-button agentry-button--secondary" onClick={stop}>
              {labels.stopRunAll}
            </button>
          ) : (
            <button
              type="button"
              className="agentry-button agentry-button--primary"
              data-mode={mode}
              disabled={count === 0}
              onClick={() => void runAll()}
            >
              {labels.runAll(props.modeNames[mode])}
            </button>
          )}
        </div>
      </div>
      {canSave ? null : (
        <p id={`${id}-save-hint`} className="agentry-cases__hint">
          {labels.saveNeedsValidInput}
        </p>
      )}
      {saving && canSave ? (
        <SaveTestCaseForm
          input={props.input.value}
          result={props.result}
          hasOutputSchema={agent.outputSchema !== undefined}
          defaultName={labels.defaultTestCaseName(count + 1)}
          onSave={save}
          onCancel={() => {
            setSaving(false);
            saveButton.current?.focus();
          }}
          labels={labels}
        />
      ) : null}
      <p
        className="agentry-cases__summary"
        role="status"
        data-state={suite ? (suite.failed > 0 ? 'failed' : 'passed') : undefined}
      >
        {progress
          ? labels.running(progress.index, progress.total)
          : suite
            ? `${labels.summary(suite.passed, suite.failed, suite.total, props.modeNames[suite.mode])}${suite.stopped ? ` ${labels.stopped}` : ''}`
            : ''}
      </p>
      <p className="agentry-visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {loadError ? (
        <div className="agentry-cases__error" role="alert">
          {labels.testCasesLoadFailed} {loadError.userMessage}{' '}
          <button type="button" className="agentry-button agentry-button--ghost" onClick={() => void load()}>
            {labels.testCasesRetry}
          </button>
        </div>
      ) : cases === undefined ? (
        <p className="agentry-cases__hint">{labels.testCasesLoading}</p>
      ) : cases.length === 0 ? (
        <p className="agentry-cases__hint">{labels.testCasesEmpty}</p>
      ) : (
        <ul ref={listRef} className="agentry-cases__list">
          {cases.map((testCase, index) => {
            const state = states[testCase.id];
            const status = state?.status ?? 'idle';
            const failures = state && state.status !== 'running' ? failureMessages(state) : [];
            const open = expanded[testCase.id] === true;
            return (
              <li key={testCase.id} className="agentry-cases__item" data-state={status}>
                <div className="agentry-cases__row">
                  <span className="agentry-cases__status" data-state={status}>
                    {labels.caseStatus[status]}
                  </span>
                  <span className="agentry-cases__name">{testCase.name}</span>
                  {failures.length > 0 ? (
                    <button
                      type="button"
                      className="agentry-button agentry-button--ghost"
                      aria-expanded={open}
                      aria-controls={`${id}-${index}-details`}
                      onClick={() => setExpanded((current) => ({ ...current, [testCase.id]: !open }))}
                    >
                      {open ? labels.hideDetails : labels.showDetails}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="agentry-button agentry-button--ghost agentry-cases__delete"
                    aria-label={labels.deleteTestCase(testCase.name)}
                    disabled={isRunning}
                    onClick={() => void remove(testCase, index)}
                  >
                    <span aria-hidden="true">✕</span>
                  </button>
                </div>
                <code className="agentry-cases__input" title={labels.testCaseInput}>
                  {preview(testCase.input)}
                </code>
                {failures.length > 0 && open ? (
                  <ul id={`${id}-${index}-details`} className="agentry-cases__failures">
                    {failures.map((message) => (
                      <li key={message}>{message}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
