import type { ValidationIssue } from '@agentry/core';
import type { JsonSchema } from '@agentry/core/client';
import type { ReactNode } from 'react';
import type { Field, Path } from './form-model';
import type { InputLabels } from './input-labels';

// What every field of the schema form shares (schema-form.tsx), and the words around a field.

/** The form's shared state, handed down to every field. */
export interface Context {
  root: JsonSchema;
  set: (path: Path, value: unknown) => void;
  issues: Map<string, string[]>;
  all: readonly ValidationIssue[];
  labels: InputLabels;
  disabled: boolean;
}

export interface FieldProps {
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

/** Array items shown before "Show all". */
export const ITEMS_SHOWN = 50;
/** A value as a control shows it: strings as they are, the rest as JSON. */
export const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The hint under a field: its description, bounds and default. */
export function hintOf(field: Field, labels: InputLabels): string {
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
