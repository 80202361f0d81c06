import * as z from 'zod';
import type { AnyAgent } from '../agent';
import type { AgentSummary } from '../protocol';

const schemaCache = {
  input: new WeakMap<z.ZodType, Record<string, unknown>>(),
  output: new WeakMap<z.ZodType, Record<string, unknown>>(),
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const cached = schemaCache[io].get(schema);
  if (cached) return cached;
  // `unrepresentable: 'any'` keeps transforms and dates from throwing: they become `{}`.
  const result = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  schemaCache[io].set(schema, result);
  return result;
}

/** The JSON Schema of an agent's output, for providers' structured-output modes. */
export function outputJsonSchema(agent: AnyAgent): Record<string, unknown> | undefined {
  return agent.output === undefined ? undefined : jsonSchema(agent.output, 'output');
}

/** A copy of plain data, or the value itself when it cannot be copied (it then cannot be sent either). */
function copy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/**
 * Describes an agent for UIs and the wire: JSON Schemas, example, modes, live availability.
 * Only these fields, never the owner or the mock; and each summary is a copy, so a caller that
 * edits one (adds a `title` to a schema, say) changes nothing another tenant or a provider sees.
 */
export function describeAgent(
  agent: AnyAgent,
  live: { available: boolean; reason?: string },
  maxInputBytes?: number,
): AgentSummary {
  const summary: AgentSummary = {
    id: agent.id,
    name: agent.name,
    inputSchema: copy(jsonSchema(agent.input, 'input')),
    ...(maxInputBytes === undefined ? {} : { maxInputBytes }),
    modes: [...agent.modes],
    live:
      live.reason === undefined ? { available: live.available } : { available: live.available, reason: live.reason },
  };
  if (typeof agent.description === 'string') summary.description = agent.description;
  const output = outputJsonSchema(agent);
  if (output !== undefined) summary.outputSchema = copy(output);
  if (agent.example !== undefined) summary.example = copy(agent.example);
  if (agent.model !== undefined) summary.model = { provider: agent.model.provider, model: agent.model.model };
  return summary;
}
