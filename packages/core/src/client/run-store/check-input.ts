import type { ValidationIssue } from '../../errors';
import type { AgentSummary } from '../../executor/types';
import { defaultsFromSchema, type JsonParseResult, type JsonSchema } from '../../validation';
import { parseJsonQuickly } from '../../validation/json-limits';
import type { InputState } from './types';

/** The full input checks: `@agentry/core/client/validation`, once loaded. */
export interface InputChecks {
  /** Parses JSON text; a syntax error says its line and column. */
  parseJsonInput(text: string): JsonParseResult;
  /** Checks a value against a JSON Schema. */
  validateJsonSchema(schema: JsonSchema, value: unknown): ValidationIssue[];
}

/** The result of `checkInput`. */
export interface CheckInputResult {
  state: InputState;
  /** The JSON syntax error (with `line` and `column`), or the schema's issues. */
  issues: ValidationIssue[];
  /** The parsed value, when the text is JSON. */
  value?: unknown;
}

/**
 * Checks input text the way a run would, with the checks the run store has: parse it as JSON
 * (a syntax error says its line and column), then validate the value against the agent's input
 * JSON Schema. With no agent, any JSON is valid (the service checks again either way).
 *
 * While the checks load (`undefined`), JSON is `checking` and text that is not JSON is
 * `invalid-json` with an issue that has no position yet. When they could not be loaded (`null`),
 * the service's check is the only one for the schema. `checkInput` is this with the checks.
 */
export function checkInputWith(
  text: string,
  agent: AgentSummary | undefined,
  checks: InputChecks | null | undefined,
): CheckInputResult {
  const parsed = checks ? checks.parseJsonInput(text) : parseJsonQuickly(text);
  if (parsed === undefined) {
    // Deep or overflowing text: only the full scan can tell.
    return checks === undefined
      ? { state: 'checking', issues: [] }
      : {
          state: 'invalid-json',
          issues: [
            { path: [], code: 'json_syntax', message: 'The input nests too deeply or holds too large a number.' },
          ],
        };
  }
  if (!parsed.ok) return { state: 'invalid-json', issues: [parsed.issue] };
  if (agent && checks === undefined) return { state: 'checking', issues: [], value: parsed.value };
  const issues = agent && checks ? checks.validateJsonSchema(agent.inputSchema as JsonSchema, parsed.value) : [];
  return { state: issues.length > 0 ? 'schema-invalid' : 'valid', issues, value: parsed.value };
}

/** The text an agent's input starts with: its example, else the defaults of its schema, pretty-printed. */
export function initialInputText(agent: AgentSummary): string {
  const value = agent.example !== undefined ? agent.example : defaultsFromSchema(agent.inputSchema as JsonSchema);
  return JSON.stringify(value, null, 2) ?? '{}';
}
