'use client';

import type { ExecutionMode } from '@agentry/core';
import { useId } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link ModeSwitch}. */
export interface ModeSwitchProps {
  /** The selected mode. */
  value: ExecutionMode;
  onValueChange: (mode: ExecutionMode) => void;
  /** Whether live mode can run; when false the option is disabled and `liveReason` says why. @default true */
  liveAvailable?: boolean;
  /** Why live is unavailable (e.g. `AgentSummary.live.reason`). */
  liveReason?: string;
  /** Whether mock mode can run (an agent may allow live only). @default true */
  mockAvailable?: boolean;
  /** Disables both options, e.g. while a run is active. @default false */
  disabled?: boolean;
  labels?: Pick<
    TestPanelLabels,
    'mode' | 'mock' | 'live' | 'mockHint' | 'liveHint' | 'liveUnavailable' | 'modeNotSupported'
  >;
}

/** The mock/live switch: a radio group, so arrow keys move between modes. */
export function ModeSwitch({
  value,
  onValueChange,
  liveAvailable = true,
  liveReason,
  mockAvailable = true,
  disabled = false,
  labels = defaultLabels,
}: ModeSwitchProps) {
  const id = useId();
  const reasonId = `${id}-reason`;
  const options: { mode: ExecutionMode; label: string; hint: string; available: boolean }[] = [
    { mode: 'mock', label: labels.mock, hint: labels.mockHint, available: mockAvailable },
    { mode: 'live', label: labels.live, hint: labels.liveHint, available: liveAvailable },
  ];
  const reason = !liveAvailable
    ? (liveReason ?? labels.liveUnavailable)
    : !mockAvailable
      ? labels.modeNotSupported
      : undefined;
  return (
    <fieldset className="agentry-mode" data-state={value} disabled={disabled}>
      <legend className="agentry-mode__legend">{labels.mode}</legend>
      <div className="agentry-mode__options">
        {options.map((option) => (
          <label
            key={option.mode}
            className="agentry-mode__option"
            data-mode={option.mode}
            data-state={value === option.mode ? 'checked' : 'unchecked'}
            data-disabled={option.available ? undefined : ''}
            title={option.available ? option.hint : reason}
          >
            <input
              className="agentry-mode__input"
              type="radio"
              name={`${id}-mode`}
              value={option.mode}
              checked={value === option.mode}
              disabled={!option.available}
              aria-describedby={!option.available && reason ? reasonId : undefined}
              onChange={() => onValueChange(option.mode)}
            />
            <span className="agentry-mode__dot" aria-hidden="true" />
            {option.label}
          </label>
        ))}
      </div>
      {reason ? (
        <p id={reasonId} className="agentry-mode__reason">
          {reason}
        </p>
      ) : null}
    </fieldset>
  );
}
