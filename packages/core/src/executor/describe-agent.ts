import * as z from 'zod';
import type { AnyAgent } from '../agent';
import type { AgentSummary } from './types';

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

/** Describes an agent for UIs and the wire: JSON Schemas, example, modes, live availability. */
export function describeAgent(agent: AnyAgent, live: { available: boolean; reason?: string }): AgentSummary {
  const summary: AgentSummary = {
    id: agent.id,
    name: agent.name,
    inputSchema: jsonSchema(agent.input, 'input'),
    modes: agent.modes,
    live,
  };
  if (agent.description !== undefined) summary.description = agent.description;
  const output = outputJsonSchema(agent);
  if (output !== undefined) summary.outputSchema = output;
  if (agent.example !== undefined) summary.example = agent.example;
  if (agent.model !== undefined) summary.model = { provider: agent.model.provider, model: agent.model.model };
  return summary;
}
