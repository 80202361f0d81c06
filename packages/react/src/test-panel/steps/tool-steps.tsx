'use client';

import type { RunEntry } from '@agentry/core/client';
import { type RunStep, type RunToolCall, runSteps } from '@agentry/core/client/steps';
import { useId, useMemo, useState } from 'react';
import { formatBytes, formatCount, formatDurations } from '../format';
import { defaultStepsLabels, type StepsLabels } from './steps-labels';

/** Characters of one argument or result value shown before it is cut (a step can carry a large result). */
const VALUE_PREVIEW_CHARS = 10_000;

/** Props of {@link ToolSteps}. */
export interface ToolStepsProps {
  /** The run's steps (`snapshot.steps`): streamed as they happen, or from the record. */
  steps: readonly RunStep[];
  /** Open every call's arguments and result at first. @default false */
  defaultExpanded?: boolean;
  locale?: string;
  /** Overrides any of the timeline's strings. */
  labels?: Partial<StepsLabels>;
}

/** Props of {@link RunToolSteps}: a run instead of its steps. */
export interface RunToolStepsProps extends Omit<ToolStepsProps, 'steps'> {
  /** The run (`snapshot.current`): its steps are read from its events, or from its record. */
  run: Pick<RunEntry, 'events' | 'result' | 'status'>;
}

const callKey = (step: RunStep, call: RunToolCall) => `${step.index}:${call.call.id}`;

function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function JsonBlock({ value, locale, labels }: { value: unknown; locale?: string; labels: StepsLabels }) {
  const text = jsonText(value);
  const cut = text.length > VALUE_PREVIEW_CHARS;
  return (
    <>
      <pre className="agentry-tool-call__json">{cut ? `${text.slice(0, VALUE_PREVIEW_CHARS)}…` : text}</pre>
      {cut ? (
        <p className="agentry-tool-call__note">
          {labels.valueTruncated(formatBytes(VALUE_PREVIEW_CHARS, locale), formatBytes(text.length, locale))}
        </p>
      ) : null}
    </>
  );
}

function ToolCallItem({
  call,
  open,
  onToggle,
  duration,
  locale,
  labels,
}: {
  call: RunToolCall;
  open: boolean;
  onToggle: () => void;
  duration: string | undefined;
  locale?: string;
  labels: StepsLabels;
}) {
  const id = useId();
  const result = call.result;
  const error = result?.status === 'failed' ? result.error : undefined;
  return (
    <li className="agentry-tool-call" data-state={call.status}>
      <button
        type="button"
        className="agentry-tool-call__toggle"
        aria-expanded={open}
        aria-controls={`${id}-details`}
        onClick={onToggle}
      >
        <span className="agentry-tool-call__chevron" aria-hidden="true" />
        <code className="agentry-tool-call__name">{call.call.name}</code>
        <span className="agentry-tool-call__status" data-state={call.status}>
          {call.status === 'running' ? <span className="agentry-spinner" aria-hidden="true" /> : null}
          {labels.toolCallStatus[call.status]}
        </span>
        {duration ? <span className="agentry-tool-call__duration">{duration}</span> : null}
      </button>
      {error ? (
        <p className="agentry-tool-call__error">
          <code className="agentry-tool-call__code">{error.code}</code> {error.message}
        </p>
      ) : null}
      <div id={`${id}-details`} className="agentry-tool-call__details" hidden={!open}>
        {open ? (
          <>
            {call.call.args !== undefined ? (
              <div className="agentry-tool-call__part">
                <p className="agentry-tool-call__label">{labels.toolArguments}</p>
                <JsonBlock value={call.call.args} locale={locale} labels={labels} />
              </div>
            ) : null}
            {result ? (
              <div className="agentry-tool-call__part">
                <p className="agentry-tool-call__label">{error ? labels.toolError : labels.toolOutput}</p>
                <JsonBlock
                  value={error ?? (result.status === 'succeeded' ? result.output : undefined)}
                  locale={locale}
                  labels={labels}
                />
              </div>
            ) : null}
          </>
        ) : null}
      </div>
    </li>
  );
}

/**
 * The timeline of a tool-using run: each step (its status, time and tokens, what the model said)
 * and its tool calls, whose arguments and results open on demand; a failed call shows its error
 * code at once. It streams: a running step and a running call say so.
 */
export function ToolSteps({ steps, defaultExpanded = false, locale, labels: overrides }: ToolStepsProps) {
  const id = useId();
  const labels = useMemo(() => ({ ...defaultStepsLabels, ...overrides }), [overrides]);
  const keys = useMemo(() => steps.flatMap((step) => step.calls.map((call) => callKey(step, call))), [steps]);
  // Which calls are open (or, once "Expand all" was used, which are closed): new calls follow it.
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() => new Set());
  const [allOpen, setAllOpen] = useState(defaultExpanded);
  const isOpen = (key: string) => allOpen !== toggled.has(key);
  const everyOpen = keys.length > 0 && keys.every(isOpen);

  const toggle = (key: string) =>
    setToggled((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const toggleAll = () => {
    setAllOpen(!everyOpen);
    setToggled(new Set());
  };

  // Every duration of the timeline in one unit, like the metrics bar (never `850 ms` next to `2.3 s`).
  const durations = useMemo(() => {
    const values = steps.flatMap((step) => [step.durationMs, ...step.calls.map((call) => call.result?.durationMs)]);
    const texts = formatDurations(values, locale);
    let next = 0;
    return steps.map((step) => ({
      step: texts[next++] || undefined,
      calls: step.calls.map(() => texts[next++] || undefined),
    }));
  }, [steps, locale]);

  const callCount = keys.length;
  const failed = steps.reduce((count, step) => count + step.calls.filter((call) => call.status === 'failed').length, 0);
  const running = steps.some((step) => step.status === 'running');

  return (
    <section className="agentry-steps" data-state={running ? 'running' : 'done'} aria-labelledby={`${id}-title`}>
      <div className="agentry-steps__header">
        <h3 id={`${id}-title`} className="agentry-steps__title">
          {labels.steps}
        </h3>
        <p className="agentry-steps__summary">{labels.stepsSummary(steps.length, callCount, failed)}</p>
        {callCount > 0 ? (
          <button type="button" className="agentry-button agentry-button--ghost" onClick={toggleAll}>
            {everyOpen ? labels.collapseAll : labels.expandAll}
          </button>
        ) : null}
      </div>
      <ol className="agentry-steps__list">
        {steps.map((step, stepAt) => {
          const usage = step.usage;
          const tokens =
            usage && (usage.inputTokens !== null || usage.outputTokens !== null)
              ? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0)
              : undefined;
          const elapsed = durations[stepAt]?.step;
          return (
            <li key={step.index} className="agentry-step" data-state={step.status}>
              <div className="agentry-step__header">
                <h4 className="agentry-step__title">{labels.step(step.index + 1)}</h4>
                <span className="agentry-step__status" data-state={step.status}>
                  {step.status === 'running' ? <span className="agentry-spinner" aria-hidden="true" /> : null}
                  {labels.stepStatus[step.status]}
                </span>
                {elapsed || tokens !== undefined ? (
                  <span className="agentry-step__meta">
                    {[elapsed, tokens === undefined ? undefined : labels.stepTokens(formatCount(tokens, locale))]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                ) : null}
              </div>
              {step.text ? (
                <p className="agentry-step__text">{step.text}</p>
              ) : step.calls.length === 0 && step.status === 'finished' ? (
                <p className="agentry-step__text">{labels.stepAnswered}</p>
              ) : null}
              {step.calls.length > 0 ? (
                <ul className="agentry-step__calls">
                  {step.calls.map((call, callAt) => {
                    const key = callKey(step, call);
                    return (
                      <ToolCallItem
                        key={key}
                        call={call}
                        open={isOpen(key)}
                        onToggle={() => toggle(key)}
                        duration={durations[stepAt]?.calls[callAt]}
                        locale={locale}
                        labels={labels}
                      />
                    );
                  })}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** {@link ToolSteps} for a run of the run store: streams with it, then shows its record's steps. */
export function RunToolSteps({ run, ...props }: RunToolStepsProps) {
  const { events, result, status } = run;
  const steps = useMemo(() => runSteps({ events, result, status }), [events, result, status]);
  return <ToolSteps steps={steps} {...props} />;
}
