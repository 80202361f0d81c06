'use client';

import { type ExecutionMetrics, PRICING_SOURCE } from '@agentry/core';
import { formatCount, formatDurations, formatUsd } from './format';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link MetricsBar}. */
export interface MetricsBarProps {
  /** The run's metrics; partial while it runs (provider and tokens arrive before the rest). */
  metrics: Partial<ExecutionMetrics> | undefined;
  locale?: string;
  /** The date of the price table costs are estimated from. @default PRICING_SOURCE.date */
  pricingDate?: string;
  /**
   * The model calls the run made without retries: its steps (a tool-using run calls the model
   * once per step). Attempts beyond it are retries, and only then marked. @default 1
   */
  steps?: number;
  labels?: Pick<
    TestPanelLabels,
    | 'metrics'
    | 'duration'
    | 'timeToFirstOutput'
    | 'tokens'
    | 'cost'
    | 'model'
    | 'attempts'
    | 'simulated'
    | 'simulatedHint'
    | 'simulatedNothingBilled'
    | 'liveEstimate'
    | 'recordedNotBilled'
    | 'recordedHint'
    | 'recordedCost'
    | 'sourceTokensRecorded'
    | 'unknown'
    | 'sourceMeasured'
    | 'sourceTokensReported'
    | 'sourceTokensSimulated'
    | 'sourceCostEstimated'
    | 'sourceCostUnknown'
    | 'sourceModel'
    | 'sourceAttempts'
  >;
}

interface Figure {
  key: string;
  label: string;
  value: string;
  source: string;
  /** Read after the value by screen readers (the `title` is not reliably announced). */
  description?: string;
}

/**
 * Duration (ticking while the run goes), time to first output, tokens in/out, cost,
 * provider·model and attempts, as chips. Durations share one unit. Unknown figures show "—",
 * never `$0.00`; each figure's `title` says where it comes from. A mock run says
 * "Simulated · nothing billed", and what it would cost live only as a labelled estimate. A run
 * replayed from a tape (`usageSource: 'recorded'`) says "Recorded · not billed": its tokens and
 * cost are the recorded call's, shown as "Cost when recorded", not as spend of this run.
 */
export function MetricsBar({
  metrics,
  locale,
  pricingDate = PRICING_SOURCE.date,
  steps = 1,
  labels = defaultLabels,
}: MetricsBarProps) {
  const m = metrics ?? {};
  const simulated = m.simulated === true;
  const recorded = !simulated && m.usageSource === 'recorded';
  const unknown = labels.unknown;
  // Tokens the provider did not report are null (unknown, not zero). Records stored before that
  // change say 0 / 0 with no cost for the same case.
  const tokensKnown =
    m.inputTokens != null &&
    m.outputTokens != null &&
    !(m.inputTokens === 0 && m.outputTokens === 0 && m.costUsd === null);
  const [duration, firstOutput] = formatDurations([m.durationMs, m.timeToFirstOutputMs], locale);
  const figures: Figure[] = [
    {
      key: 'duration',
      label: labels.duration,
      value: m.durationMs === undefined ? unknown : (duration as string),
      source: labels.sourceMeasured,
    },
    {
      key: 'first-output',
      label: labels.timeToFirstOutput,
      value: m.timeToFirstOutputMs == null ? unknown : (firstOutput as string),
      source: labels.sourceMeasured,
    },
    {
      key: 'tokens',
      label: labels.tokens,
      value: tokensKnown
        ? `${formatCount(m.inputTokens ?? 0, locale)} / ${formatCount(m.outputTokens ?? 0, locale)}`
        : unknown,
      source: simulated
        ? labels.sourceTokensSimulated
        : recorded
          ? labels.sourceTokensRecorded
          : labels.sourceTokensReported,
    },
    simulated
      ? {
          key: 'cost',
          label: labels.cost,
          value: labels.simulatedNothingBilled,
          source: labels.simulatedHint,
        }
      : recorded
        ? {
            key: 'cost',
            label: labels.cost,
            value: labels.recordedNotBilled,
            source: labels.recordedHint,
            description: labels.recordedHint,
          }
        : {
            key: 'cost',
            label: labels.cost,
            value: m.costUsd == null ? unknown : formatUsd(m.costUsd, locale),
            source: m.costUsd == null ? labels.sourceCostUnknown : labels.sourceCostEstimated(pricingDate),
          },
    ...(simulated && m.costUsd != null
      ? [
          {
            key: 'live-estimate',
            label: labels.liveEstimate,
            value: `≈ ${formatUsd(m.costUsd, locale)}`,
            source: labels.sourceCostEstimated(pricingDate),
          },
        ]
      : []),
    ...(recorded && m.costUsd != null
      ? [
          {
            key: 'recorded-cost',
            label: labels.recordedCost,
            value: `≈ ${formatUsd(m.costUsd, locale)}`,
            source: labels.sourceCostEstimated(pricingDate),
          },
        ]
      : []),
    {
      key: 'model',
      label: labels.model,
      value: m.provider && m.model ? `${m.provider} · ${m.model}` : (m.provider ?? unknown),
      source: labels.sourceModel,
    },
    {
      key: 'attempts',
      label: labels.attempts,
      value: m.attempts === undefined ? unknown : formatCount(m.attempts, locale),
      source: labels.sourceAttempts,
    },
  ];
  return (
    <div className="agentry-metrics" data-simulated={simulated || undefined} data-recorded={recorded || undefined}>
      <h3 className="agentry-visually-hidden">{labels.metrics}</h3>
      <dl className="agentry-metrics__list">
        {figures.map((figure) => (
          <div
            key={figure.key}
            className="agentry-metric"
            data-metric={figure.key}
            data-state={figure.value === unknown ? 'unknown' : 'known'}
            data-retried={figure.key === 'attempts' && (m.attempts ?? 0) > steps ? '' : undefined}
            title={figure.source}
          >
            <dt className="agentry-metric__label">{figure.label}</dt>
            <dd className="agentry-metric__value">
              {figure.value}
              {figure.description ? <span className="agentry-visually-hidden"> ({figure.description})</span> : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
