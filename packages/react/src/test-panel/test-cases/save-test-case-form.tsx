'use client';

import type { AgentryError, ExecutionResult, TestCaseBody, TestCaseExpectations } from '@agentry/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { TestCaseLabels } from './test-case-labels';

/** Props of {@link SaveTestCaseForm}. */
export interface SaveTestCaseFormProps {
  /** The input to save (the editor's, valid). */
  input: unknown;
  /** The run shown in the panel, whose output "equals" compares with. */
  result: ExecutionResult | undefined;
  /** Whether the agent has an output schema ("matches the output schema" is offered then). */
  hasOutputSchema: boolean;
  defaultName: string;
  onSave: (body: TestCaseBody) => Promise<void>;
  onCancel: () => void;
  labels: TestCaseLabels;
}

/** Text typed for "contains": JSON when it parses (an object, a number…), else the text itself. */
export function containsValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads a limit field: a number ≥ 0, or `undefined` with the reason. */
function limit(text: string): number | undefined {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The inline "Save as test case" form: a name and the expectations to check on every run. */
export function SaveTestCaseForm(props: SaveTestCaseFormProps) {
  const { labels, result } = props;
  const id = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const succeeded = result?.status === 'succeeded';
  const [name, setName] = useState(props.defaultName);
  const [schemaValid, setSchemaValid] = useState(props.hasOutputSchema);
  const [equals, setEquals] = useState(false);
  const [contains, setContains] = useState<string | undefined>(undefined);
  const [maxLatency, setMaxLatency] = useState<string | undefined>(undefined);
  const [maxCost, setMaxCost] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => nameRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const expectations: TestCaseExpectations = {};
    if (schemaValid && props.hasOutputSchema) expectations.schemaValid = true;
    if (equals && succeeded) expectations.equals = result.output;
    if (contains !== undefined && contains.trim() !== '') expectations.contains = containsValue(contains);
    if (maxLatency !== undefined) {
      const value = limit(maxLatency);
      if (value === undefined) return setError(`${labels.expectMaxLatency}: a number ≥ 0.`);
      expectations.maxLatencyMs = value;
    }
    if (maxCost !== undefined) {
      const value = limit(maxCost);
      if (value === undefined) return setError(`${labels.expectMaxCost}: a number ≥ 0.`);
      expectations.maxCostUsd = value;
    }
    setSaving(true);
    setError(undefined);
    try {
      await props.onSave({ name: name.trim(), input: props.input, expectations });
    } catch (failure) {
      const agentryError = failure as Partial<AgentryError>;
      const detail = agentryError.issues
        ?.map((issue) => `${issue.path.join('.') || '—'}: ${issue.message}`)
        .join(' · ');
      setError(
        detail
          ? `${agentryError.userMessage ?? agentryError.message} ${detail}`
          : (agentryError.userMessage ?? String(failure)),
      );
      setSaving(false);
    }
  }

  const toggle = (
    key: string,
    label: string,
    checked: boolean,
    onChange: (checked: boolean) => void,
    options: { disabled?: boolean; hint?: string } = {},
  ) => (
    <div className="agentry-cases__option">
      <input
        id={`${id}-${key}`}
        type="checkbox"
        checked={checked}
        disabled={options.disabled}
        aria-describedby={options.hint ? `${id}-${key}-hint` : undefined}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <label htmlFor={`${id}-${key}`}>{label}</label>
      {options.hint ? (
        <span id={`${id}-${key}-hint`} className="agentry-cases__hint">
          {options.hint}
        </span>
      ) : null}
    </div>
  );

  return (
    <form className="agentry-cases__form" aria-label={labels.saveAsTestCase} onSubmit={submit} noValidate>
      <div className="agentry-cases__field">
        <label className="agentry-label" htmlFor={`${id}-name`}>
          {labels.testCaseName}
        </label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          className="agentry-cases__text"
          value={name}
          maxLength={120}
          required
          onChange={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <fieldset className="agentry-cases__expectations">
        <legend className="agentry-label">{labels.expectations}</legend>
        {props.hasOutputSchema ? toggle('schema', labels.expectSchemaValid, schemaValid, setSchemaValid) : null}
        {toggle('equals', labels.expectEquals, equals && succeeded, setEquals, {
          disabled: !succeeded,
          hint: succeeded ? labels.expectEqualsHint : labels.expectEqualsNeedsResult,
        })}
        {toggle('contains', labels.expectContains, contains !== undefined, (on) => setContains(on ? '' : undefined))}
        {contains !== undefined ? (
          <textarea
            className="agentry-cases__text"
            aria-label={labels.expectContains}
            aria-describedby={`${id}-contains-hint`}
            rows={2}
            value={contains}
            onChange={(event) => setContains(event.currentTarget.value)}
          />
        ) : null}
        {contains !== undefined ? (
          <span id={`${id}-contains-hint`} className="agentry-cases__hint">
            {labels.expectContainsHint}
          </span>
        ) : null}
        {toggle('latency', labels.expectMaxLatency, maxLatency !== undefined, (on) =>
          setMaxLatency(on ? String(Math.max(1000, Math.ceil((result?.metrics.durationMs ?? 0) * 2))) : undefined),
        )}
        {maxLatency !== undefined ? (
          <input
            className="agentry-cases__text agentry-cases__number"
            type="number"
            min={0}
            step={100}
            aria-label={labels.expectMaxLatency}
            value={maxLatency}
            onChange={(event) => setMaxLatency(event.currentTarget.value)}
          />
        ) : null}
        {toggle('cost', labels.expectMaxCost, maxCost !== undefined, (on) => setMaxCost(on ? '0.01' : undefined))}
        {maxCost !== undefined ? (
          <input
            className="agentry-cases__text agentry-cases__number"
            type="number"
            min={0}
            step={0.001}
            aria-label={labels.expectMaxCost}
            value={maxCost}
            onChange={(event) => setMaxCost(event.currentTarget.value)}
          />
        ) : null}
      </fieldset>
      {error ? (
        <p className="agentry-cases__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="agentry-cases__buttons">
        <button
          type="submit"
          className="agentry-button agentry-button--primary"
          disabled={saving || name.trim() === ''}
        >
          {saving ? labels.saving : labels.save}
        </button>
        <button type="button" className="agentry-button agentry-button--secondary" onClick={props.onCancel}>
          {labels.cancelSave}
        </button>
      </div>
    </form>
  );
}
