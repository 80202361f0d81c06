'use client';

import { type ReactNode, useState } from 'react';
import { type Context, text } from './form-context';
import type { Field, Path, Scalar } from './form-model';

// The schema form's controls for one value each (string, number, boolean, enum), as
// schema-form.tsx's FieldView places them. Plain functions where a control keeps no state: a
// component per control would add a fiber to each of hundreds of fields.

/** The attributes every control of a field shares: its id, description, validity, path. */
export type CommonProps = Record<string, unknown> & { id: string; disabled: boolean };

/** A text input; a textarea when the schema allows long text. */
export function textControl(
  common: CommonProps,
  field: Extract<Field, { kind: 'string' }>,
  value: unknown,
  present: boolean,
  onValue: (next: string) => void,
): ReactNode {
  return field.multiline ? (
    <textarea
      {...common}
      className="agentry-input agentry-input--text"
      value={present ? String(value) : ''}
      rows={Math.min(12, Math.max(2, String(value ?? '').split('\n').length))}
      onChange={(event) => onValue(event.currentTarget.value)}
    />
  ) : (
    <input
      {...common}
      type="text"
      className="agentry-input"
      value={present ? String(value) : ''}
      onChange={(event) => onValue(event.currentTarget.value)}
    />
  );
}

export function checkboxControl(common: CommonProps, value: unknown, onValue: (next: boolean) => void): ReactNode {
  return (
    <input
      {...common}
      type="checkbox"
      className="agentry-checkbox"
      checked={value === true}
      onChange={(event) => onValue(event.currentTarget.checked)}
    />
  );
}

/** A segmented control for a few short options, else a select; a value not among them is kept and shown. */
export function enumControl(
  common: CommonProps,
  field: Extract<Field, { kind: 'enum' }>,
  value: unknown,
  present: boolean,
  onValue: (next: Scalar) => void,
): ReactNode {
  const { id, disabled } = common;
  const index = field.options.indexOf(value as Scalar);
  const segmented = field.options.length <= 4 && field.options.every((option) => text(option).length <= 14);
  return segmented ? (
    <div
      role="radiogroup"
      aria-labelledby={`${id}-label`}
      aria-describedby={common['aria-describedby'] as string | undefined}
      className="agentry-segments"
      data-path={common['data-path'] as string}
    >
      {field.options.map((option, optionIndex) => (
        <label
          key={optionIndex}
          className="agentry-segment"
          data-state={optionIndex === index ? 'checked' : 'unchecked'}
        >
          <input
            type="radio"
            name={id}
            disabled={disabled}
            checked={optionIndex === index}
            onChange={() => onValue(option)}
          />
          {text(option)}
        </label>
      ))}
    </div>
  ) : (
    <select
      {...common}
      className="agentry-input agentry-select"
      value={String(index)}
      onChange={(event) => onValue(field.options[Number(event.currentTarget.value)] as Scalar)}
    >
      {index === -1 ? <option value="-1">{present ? text(value) : '—'}</option> : null}
      {field.options.map((option, optionIndex) => (
        <option key={optionIndex} value={optionIndex}>
          {text(option)}
        </option>
      ))}
    </select>
  );
}

/** A number input within the schema's bounds; text that is not a number yet is kept, not sent. */
export function NumberInput({
  common,
  field,
  value,
  path,
  context,
}: {
  common: CommonProps;
  field: Extract<Field, { kind: 'number' }>;
  value: unknown;
  path: Path;
  context: Context;
}) {
  // What was typed while it is not a number yet ("-", "1e"): kept here, not sent.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const node = field.schema;
  return (
    <>
      <input
        {...common}
        type="number"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        className="agentry-input agentry-input--number"
        min={(node.minimum ?? node.exclusiveMinimum) as number | undefined}
        max={(node.maximum ?? node.exclusiveMaximum) as number | undefined}
        step={field.integer ? 1 : 'any'}
        value={draft ?? (typeof value === 'number' ? value : '')}
        onChange={(event) => {
          const raw = event.currentTarget.value;
          const parsed = raw.trim() === '' ? Number.NaN : Number(raw);
          if (Number.isFinite(parsed)) {
            setDraft(undefined);
            context.set(path, parsed);
          } else setDraft(raw);
        }}
        onBlur={() => setDraft(undefined)}
      />
      {draft !== undefined ? <p className="agentry-field__error">{context.labels.enterNumber}</p> : null}
    </>
  );
}
