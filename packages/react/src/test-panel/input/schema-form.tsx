'use client';

import type { ValidationIssue } from '@agentry/core';
import { defaultsFromSchema, formatIssuePath, type JsonSchema } from '@agentry/core/client';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { type Field, fieldFor, isRecord, moveItem, type Path, pathKey, type Scalar, setIn } from './form-model';
import { defaultInputLabels, type InputLabels } from './input-labels';

/** Props of {@link SchemaForm}. */
export interface SchemaFormProps {
  /** The agent's input JSON Schema (`AgentSummary.inputSchema`). */
  schema: JsonSchema;
  /** The input value the form shows. */
  value: unknown;
  /** Called with the whole new value after each edit. */
  onValueChange: (value: unknown) => void;
  /** Problems to show at their fields (the validator's or the server's issues, by path). */
  issues?: readonly ValidationIssue[];
  disabled?: boolean;
  labels?: InputLabels;
}

interface Context {
  root: JsonSchema;
  set: (path: Path, value: unknown) => void;
  issues: Map<string, string[]>;
  all: readonly ValidationIssue[];
  labels: InputLabels;
  disabled: boolean;
}

interface FieldProps {
  context: Context;
  schema: unknown;
  value: unknown;
  present: boolean;
  path: Path;
  name: string;
  required: boolean;
  /** Extra buttons next to the label (array item moves). */
  actions?: ReactNode;
}

const ITEMS_SHOWN = 50;
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function hintOf(field: Field, labels: InputLabels): string {
  const node = field.schema;
  const parts: string[] = [];
  if (typeof node.description === 'string') parts.push(node.description);
  const range = (min: unknown, max: unknown, unit = '') =>
    typeof min === 'number' && typeof max === 'number'
      ? `${min}–${max}${unit}`
      : typeof min === 'number'
        ? `≥ ${min}${unit}`
        : typeof max === 'number'
          ? `≤ ${max}${unit}`
          : '';
  parts.push(
    range(node.minLength, node.maxLength, ' characters'),
    range(node.minimum ?? node.exclusiveMinimum, node.maximum ?? node.exclusiveMaximum),
    range(node.minItems, node.maxItems, ' items'),
  );
  if ('default' in node) parts.push(labels.defaultValue(text(node.default)));
  return parts.filter(Boolean).join(' · ');
}

/** A form generated from a JSON Schema, editing a JSON value without losing any part of it. */
export function SchemaForm({
  schema,
  value,
  onValueChange,
  issues = [],
  disabled = false,
  labels = defaultInputLabels,
}: SchemaFormProps) {
  const byPath = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const issue of issues) {
      const key = pathKey(issue.path);
      map.set(key, [...(map.get(key) ?? []), issue.message]);
    }
    return map;
  }, [issues]);
  const context: Context = {
    root: schema,
    set: (path, next) => onValueChange(setIn(value, path, next)),
    issues: byPath,
    all: issues,
    labels,
    disabled,
  };
  return (
    <div className="agentry-form">
      <FieldView context={context} schema={schema} value={value} present path={[]} name="" required />
    </div>
  );
}

function FieldView(props: FieldProps) {
  const { context, value, present, path, name, required, actions } = props;
  const { labels, set, disabled } = context;
  const id = useId();
  const field = fieldFor(context.root, props.schema, present ? value : undefined);
  const errors = context.issues.get(pathKey(path)) ?? [];
  const hint = hintOf(field, labels);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', errors.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const label = typeof field.schema.title === 'string' ? field.schema.title : name;
  const isRoot = path.length === 0;
  const group = field.kind === 'object' || field.kind === 'array';

  let control: ReactNode;
  const common = {
    id,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': errors.length > 0 || undefined,
    'data-path': pathKey(path),
  };
  if (!present && !((field.kind === 'string' || field.kind === 'number') && required)) {
    control = (
      <button
        type="button"
        className="agentry-button agentry-button--ghost agentry-field__add"
        disabled={disabled}
        aria-describedby={describedBy}
        onClick={() => set(path, defaultsFromSchema(field.schema as JsonSchema))}
      >
        {labels.addField(label || labels.item(0))}
      </button>
    );
  } else {
    switch (field.kind) {
      case 'string':
        control = field.multiline ? (
          <textarea
            {...common}
            className="agentry-input agentry-input--text"
            value={present ? String(value) : ''}
            rows={Math.min(12, Math.max(2, String(value ?? '').split('\n').length))}
            onChange={(event) => set(path, event.currentTarget.value)}
          />
        ) : (
          <input
            {...common}
            type="text"
            className="agentry-input"
            value={present ? String(value) : ''}
            onChange={(event) => set(path, event.currentTarget.value)}
          />
        );
        break;
      case 'number':
        control = (
          <NumberInput
            common={common}
            field={field}
            value={present ? value : undefined}
            path={path}
            context={context}
          />
        );
        break;
      case 'boolean':
        control = (
          <input
            {...common}
            type="checkbox"
            className="agentry-checkbox"
            checked={value === true}
            onChange={(event) => set(path, event.currentTarget.checked)}
          />
        );
        break;
      case 'enum': {
        const index = field.options.indexOf(value as Scalar);
        const segmented = field.options.length <= 4 && field.options.every((option) => text(option).length <= 14);
        control = segmented ? (
          <div
            role="radiogroup"
            aria-labelledby={`${id}-label`}
            aria-describedby={describedBy}
            className="agentry-segments"
            data-path={pathKey(path)}
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
                  onChange={() => set(path, option)}
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
            onChange={(event) => set(path, field.options[Number(event.currentTarget.value)])}
          >
            {index === -1 ? <option value="-1">{present ? text(value) : '—'}</option> : null}
            {field.options.map((option, optionIndex) => (
              <option key={optionIndex} value={optionIndex}>
                {text(option)}
              </option>
            ))}
          </select>
        );
        break;
      }
      case 'const':
        control = (
          <code className="agentry-field__const" id={id}>
            {JSON.stringify(field.value)}
          </code>
        );
        break;
      case 'nullable':
        control =
          value === null ? (
            <span className="agentry-field__null">
              <code id={id}>{labels.isNull}</code>
              <button
                type="button"
                className="agentry-button agentry-button--ghost"
                disabled={disabled}
                onClick={() => set(path, defaultsFromSchema(field.inner as JsonSchema))}
              >
                {labels.setValue}
              </button>
            </span>
          ) : (
            <FieldView
              {...props}
              schema={field.inner}
              actions={
                <>
                  {actions}
                  <button
                    type="button"
                    className="agentry-button agentry-button--ghost"
                    disabled={disabled}
                    onClick={() => set(path, null)}
                  >
                    {labels.setNull}
                  </button>
                </>
              }
            />
          );
        if (value !== null) return control;
        break;
      case 'object':
        control = <ObjectFields context={context} field={field} value={value} path={path} />;
        break;
      case 'array':
        control = <ArrayItems context={context} field={field} value={value as unknown[]} path={path} />;
        break;
      case 'json':
        control = <JsonField common={common} context={context} value={value} path={path} reason={field.reason} />;
        break;
      default:
        field satisfies never;
    }
  }

  const removable = present && !required && !isRoot;
  const header = (
    <span className="agentry-field__header">
      {label ? (
        group ? (
          <span className="agentry-field__label" id={`${id}-label`}>
            {label}
          </span>
        ) : (
          <label className="agentry-field__label" id={`${id}-label`} htmlFor={id}>
            {label}
          </label>
        )
      ) : null}
      {required && !isRoot && name ? <span className="agentry-field__required">{labels.required}</span> : null}
      <span className="agentry-field__actions">
        {actions}
        {removable ? (
          <button
            type="button"
            className="agentry-button agentry-button--ghost"
            disabled={disabled}
            aria-label={labels.removeField(label)}
            onClick={() => set(path, undefined)}
          >
            ×
          </button>
        ) : null}
      </span>
    </span>
  );
  const body = (
    <>
      {hint ? (
        <p id={hintId} className="agentry-field__hint">
          {hint}
        </p>
      ) : null}
      {control}
      {errors.length ? (
        <p id={errorId} className="agentry-field__error">
          {errors.join(' ')}
        </p>
      ) : null}
    </>
  );
  if (isRoot && group) return body;
  return group ? (
    <fieldset
      className="agentry-field agentry-field--group"
      data-kind={field.kind}
      data-invalid={errors.length > 0 || undefined}
    >
      <legend className="agentry-field__legend">{header}</legend>
      {body}
    </fieldset>
  ) : (
    <div className="agentry-field" data-kind={field.kind} data-invalid={errors.length > 0 || undefined}>
      {header}
      {body}
    </div>
  );
}

function NumberInput({
  common,
  field,
  value,
  path,
  context,
}: {
  common: Record<string, unknown>;
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

function ObjectFields({
  context,
  field,
  value,
  path,
}: {
  context: Context;
  field: Extract<Field, { kind: 'object' }>;
  value: unknown;
  path: Path;
}) {
  const record = isRecord(value) ? value : {};
  const known = new Set(field.properties.map(([key]) => key));
  const extraKeys = Object.keys(record).filter((key) => !known.has(key));
  return (
    <div className="agentry-form__fields">
      {field.properties.map(([key, property]) => (
        <FieldView
          key={key}
          context={context}
          schema={property}
          value={record[key]}
          present={Object.hasOwn(record, key)}
          path={[...path, key]}
          name={key}
          required={field.required.has(key)}
        />
      ))}
      {extraKeys.length > 0 ? (
        <div className="agentry-field" data-kind="json">
          <span className="agentry-field__label">{context.labels.otherFields}</span>
          <JsonField
            common={{ 'aria-label': context.labels.otherFields }}
            context={{
              ...context,
              // The extra keys edited together: replaced as a group, the schema's fields kept.
              set: (_path, next) => {
                const kept = Object.fromEntries(Object.entries(record).filter(([key]) => known.has(key)));
                context.set(path, { ...kept, ...(isRecord(next) ? next : {}) });
              },
            }}
            value={Object.fromEntries(extraKeys.map((key) => [key, record[key]]))}
            path={path}
            only={extraKeys}
          />
        </div>
      ) : null}
    </div>
  );
}

function ArrayItems({
  context,
  field,
  value,
  path,
}: {
  context: Context;
  field: Extract<Field, { kind: 'array' }>;
  value: unknown[];
  path: Path;
}) {
  const { labels, set, disabled } = context;
  const [all, setAll] = useState(false);
  const shown = all ? value : value.slice(0, ITEMS_SHOWN);
  const button = (label: string, onClick: () => void, off = false, content: ReactNode = label) => (
    <button
      type="button"
      className="agentry-button agentry-button--ghost"
      aria-label={label}
      disabled={disabled || off}
      onClick={onClick}
    >
      {content}
    </button>
  );
  return (
    <div className="agentry-form__items">
      <ol className="agentry-form__list">
        {shown.map((item, index) => (
          <li key={index}>
            <FieldView
              context={context}
              schema={field.items}
              value={item}
              present
              path={[...path, index]}
              name={labels.item(index + 1)}
              required
              actions={
                <>
                  {button(
                    labels.moveUp(index + 1),
                    () => set(path, moveItem(value, index, index - 1)),
                    index === 0,
                    '↑',
                  )}
                  {button(
                    labels.moveDown(index + 1),
                    () => set(path, moveItem(value, index, index + 1)),
                    index === value.length - 1,
                    '↓',
                  )}
                  {button(labels.removeItem(index + 1), () => set([...path, index], undefined), false, '×')}
                </>
              }
            />
          </li>
        ))}
      </ol>
      {shown.length < value.length ? (
        <button type="button" className="agentry-button agentry-button--ghost" onClick={() => setAll(true)}>
          {labels.showAllItems(value.length)}
        </button>
      ) : null}
      <button
        type="button"
        className="agentry-button agentry-button--secondary"
        disabled={disabled}
        onClick={() => set(path, [...value, defaultsFromSchema(field.items as JsonSchema)])}
      >
        {labels.addItem}
      </button>
    </div>
  );
}

function JsonField({
  common,
  context,
  value,
  path,
  reason,
  only,
}: {
  common: Record<string, unknown>;
  context: Context;
  value: unknown;
  path: Path;
  reason?: Extract<Field, { kind: 'json' }>['reason'];
  /** The keys this box holds, when it holds only some of the object's (the fields not in the schema). */
  only?: readonly string[];
}) {
  const formatted = JSON.stringify(value, null, 2) ?? '';
  // The text as typed, while it is not JSON (or until the value changes elsewhere).
  const [draft, setDraft] = useState<{ text: string; error: string; from: string } | undefined>(undefined);
  const shownDraft = draft?.from === formatted ? draft : undefined;
  // Issues inside this subtree (the form has no field for them), or inside its own keys only.
  const nested = context.all.filter(
    (issue) =>
      issue.path.length > path.length &&
      path.every((key, index) => issue.path[index] === key) &&
      (only === undefined || only.includes(String(issue.path[path.length]))),
  );
  return (
    <div className="agentry-field__json" data-reason={reason}>
      {reason ? <p className="agentry-field__note">{context.labels.jsonFallback[reason]}</p> : null}
      <textarea
        {...common}
        className="agentry-input agentry-input--json"
        spellCheck={false}
        value={shownDraft?.text ?? formatted}
        rows={Math.min(12, Math.max(2, (shownDraft?.text ?? formatted).split('\n').length))}
        onChange={(event) => {
          const next = event.currentTarget.value;
          try {
            const parsed: unknown = JSON.parse(next);
            setDraft(
              JSON.stringify(parsed, null, 2) === next
                ? undefined
                : { text: next, error: '', from: JSON.stringify(parsed, null, 2) },
            );
            context.set(path, parsed);
          } catch (thrown) {
            setDraft({ text: next, error: (thrown as Error).message, from: formatted });
          }
        }}
      />
      {shownDraft?.error ? <p className="agentry-field__error">{shownDraft.error}</p> : null}
      {nested.length ? (
        <ul className="agentry-field__error">
          {nested.map((issue, index) => (
            <li key={index}>
              <code>{formatIssuePath(issue.path)}</code> {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
