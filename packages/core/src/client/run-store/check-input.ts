import type { ValidationIssue } from '../../errors';
import type { AgentSummary } from '../../executor/types';
import { defaultsFromSchema, type JsonSchema, parseJsonInput, validateJsonSchema } from '../../validation';
import type { InputState } from './types';

/** The result of {@link checkInput}. */
export interface CheckInputResult {
  state: InputState;
  /** The JSON syntax error (with `line` and `column`), or the schema's issues. */
  issues: ValidationIssue[];
  /** The parsed value, when the text is JSON. */
  value?: unknown;
}

/**
 * Checks input text the way a run would: parse it as JSON (a syntax error says its line and
 * column), then validate the value against the agent's input JSON Schema. With no agent, any
 * JSON is valid (the service checks again either way).
 */
export function checkInput(text: string, agent: AgentSummary | undefined): CheckInputResult {
  const parsed = parseJsonInput(text);
  if (!parsed.ok) return { state: 'invalid-json', issues: [parsed.issue] };
  const issues = agent ? validateJsonSchema(agent.inputSchema as JsonSchema, parsed.value) : [];
  return { state: issues.length > 0 ? 'schema-invalid' : 'valid', issues, value: parsed.value };
}

/** The text an agent's input starts with: its example, else the defaults of its schema, pretty-printed. */
export function initialInputText(agent: AgentSummary): string {
  const value = agent.example !== undefined ? agent.example : defaultsFromSchema(agent.inputSchema as JsonSchema);
  return JSON.stringify(value, null, 2) ?? '{}';
}
