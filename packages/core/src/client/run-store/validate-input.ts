import type { AgentSummary } from '../../executor/types';
import { parseJsonInput } from '../../validation/json-input';
import { validateJsonSchema } from '../../validation/json-schema';
import { type CheckInputResult, checkInputWith } from './check-input';

/**
 * Checks input text the way a run would: parse it as JSON (a syntax error says its line and
 * column), then validate the value against the agent's input JSON Schema. With no agent, any
 * JSON is valid (the service checks again either way).
 *
 * @example
 * checkInput('{"text": 3}', agent) // → { state: 'schema-invalid', issues: [{ path: ['text'], … }], value: { text: 3 } }
 */
export function checkInput(text: string, agent: AgentSummary | undefined): CheckInputResult {
  return checkInputWith(text, agent, { parseJsonInput, validateJsonSchema });
}
