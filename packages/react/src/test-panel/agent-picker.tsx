'use client';

import type { AgentSummary } from '@agentry/core';
import { useId } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';

/** Props of {@link AgentPicker}. */
export interface AgentPickerProps {
  agents: readonly AgentSummary[];
  /** The selected agent id. */
  value: string | undefined;
  onValueChange: (agentId: string) => void;
  disabled?: boolean;
  labels?: Pick<TestPanelLabels, 'agent'>;
}

/** Picks which agent the panel runs. */
export function AgentPicker({
  agents,
  value,
  onValueChange,
  disabled = false,
  labels = defaultLabels,
}: AgentPickerProps) {
  const id = useId();
  return (
    <div className="agentry-picker">
      <label className="agentry-label" htmlFor={id}>
        {labels.agent}
      </label>
      <select
        id={id}
        className="agentry-select"
        value={value ?? ''}
        disabled={disabled}
        onChange={(event) => onValueChange(event.currentTarget.value)}
      >
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.name}
          </option>
        ))}
      </select>
    </div>
  );
}
