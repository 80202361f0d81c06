'use client';

import type { ValidationIssue } from '@agentry/core';
import { defaultsFromSchema, type JsonSchema } from '@agentry/core/client';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { checkboxControl, enumControl, NumberInput, textControl } from './field-controls';
import { type Context, type FieldProps, hintOf, ITEMS_SHOWN } from './form-context';
import { type Field, fieldFor, isRecord, moveItem, type Path, pathKey, setIn } from './form-model';
import { defaultInputLabels, type InputLabels } from './input-labels';
import { JsonField } from './json-field';

// The form's structure: a field per schema node, objects and arrays of fields. The controls for
// single values are in field-controls.tsx, the JSON fallback in json-field.tsx.

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
        control = textControl(common, field, value, present, (next) => set(path, next));
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
        control = checkboxControl(common, value, (next) => set(path, next));
        break;
      case 'enum':
        control = enumControl(common, field, value, present, (next) => set(path, next));
        break;
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
      {actions || removable ? (
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
      ) : null}
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
