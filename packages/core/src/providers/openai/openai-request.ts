import { AgentryError } from '../../errors';
import type { ProviderRequest } from '../types';

/** A JSON Schema ready for structured output, and how to read the answer back. */
export interface PreparedSchema {
  /** A name the API accepts (`^[A-Za-z0-9_-]{1,64}$`). */
  name: string;
  /** An object schema: structured output needs an object at the root. */
  schema: Record<string, unknown>;
  /** True when a non-object schema was wrapped as `{ value: … }`. */
  wrapped: boolean;
  /** True when every object closes its properties and requires them all (what OpenAI's strict mode needs). */
  strictCompatible: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when every object closes its properties and requires them all (what OpenAI's strict mode needs). */
export function isStrictCompatible(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrictCompatible);
  if (!isRecord(schema)) return true;
  if (schema.type === 'object' || isRecord(schema.properties)) {
    const properties = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (schema.additionalProperties !== false) return false;
    if (!properties.every((key) => required.includes(key))) return false;
  }
  return Object.values(schema).every(isStrictCompatible);
}

/** Prepares the agent's output JSON Schema (from `request.outputSchema`) for structured output. */
export function prepareSchema(outputSchema: NonNullable<ProviderRequest['outputSchema']>): PreparedSchema {
  const { $schema: _dialect, $defs, ...rest } = outputSchema.schema;
  const wrapped = rest.type !== 'object';
  const schema: Record<string, unknown> = wrapped
    ? { type: 'object', properties: { value: rest }, required: ['value'], additionalProperties: false }
    : { ...rest };
  if ($defs !== undefined) schema.$defs = $defs;
  const name = outputSchema.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'output';
  return { name, schema, wrapped, strictCompatible: isStrictCompatible(schema) };
}

/**
 * Parses the model's JSON answer. Text that is not JSON fails with `output_invalid`
 * (the executor then validates the object against the agent's zod schema).
 */
export function parseStructured(
  text: string,
  prepared: PreparedSchema,
  providerName: string,
  provider: string,
): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AgentryError(
      'output_invalid',
      `${providerName} answered text that is not JSON, although the agent has an output schema (${text.length} characters received).`,
      { provider },
    );
  }
  if (!prepared.wrapped) return parsed;
  if (!isRecord(parsed) || !('value' in parsed)) {
    throw new AgentryError('output_invalid', `${providerName} answered JSON without the expected "value" field.`, {
      provider,
    });
  }
  return parsed.value;
}
