import type { ExecutionMode } from '../agent';
import { AgentryError, type ValidationIssue } from '../errors';

/** The modes a run can ask for. */
export const EXECUTION_MODES: readonly ExecutionMode[] = ['mock', 'live'];

/** The body of `POST /agents/:id/executions`. The tenant is never part of it: the server derives it. */
export interface ExecutionRequestBody {
  input: unknown;
  /** @default 'mock' */
  mode: ExecutionMode;
  /** Seed for mock mode. */
  seed?: number;
}

/** The request body for a run (`mode` defaults to `mock`; `seed` only when set). */
export function executionRequestBody(run: {
  input: unknown;
  mode?: ExecutionMode;
  seed?: number;
}): ExecutionRequestBody {
  const body: ExecutionRequestBody = { input: run.input, mode: run.mode ?? 'mock' };
  if (run.seed !== undefined) body.seed = run.seed;
  return body;
}

/**
 * Checks a run's request body. Unknown fields (a forged `tenantId`, say) are ignored, never
 * read; a missing `input`, an unknown `mode` or a non-integer `seed` is `validation_failed`
 * with one issue per field.
 */
export function parseExecutionRequestBody(value: unknown): ExecutionRequestBody {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AgentryError(
      'validation_failed',
      'The request body must be a JSON object: { "input": …, "mode": "mock" }.',
      {
        issues: [{ path: [], code: 'invalid_type', message: 'Expected an object with "input" and "mode".' }],
      },
    );
  }
  const body = value as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (!Object.hasOwn(body, 'input')) {
    issues.push({ path: ['input'], code: 'required', message: 'Required: the input for the agent.' });
  }
  const mode = body.mode ?? 'mock';
  if (!EXECUTION_MODES.includes(mode as ExecutionMode)) {
    issues.push({ path: ['mode'], code: 'invalid_value', message: 'Expected "mock" or "live".' });
  }
  const seed = body.seed;
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    issues.push({ path: ['seed'], code: 'invalid_type', message: 'Expected an integer.' });
  }
  if (issues.length > 0) {
    throw new AgentryError(
      'validation_failed',
      `The request body is invalid: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
      { issues },
    );
  }
  const parsed: ExecutionRequestBody = { input: body.input, mode: mode as ExecutionMode };
  if (typeof seed === 'number') parsed.seed = seed;
  return parsed;
}
