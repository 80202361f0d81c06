// The one problem document of the protocol (RFC 9457 with Agentry's fields): how the server
// writes an error as one (`toProblem`) and how a client reads one back (`problemToError`).
import {
  type AgentryError,
  type AgentryErrorCode,
  deserializeError,
  ERROR_CODES,
  type ErrorLimit,
  isAgentryError,
  isAgentryErrorCode,
  type SerializedAgentryError,
  serializeError,
  type ValidationIssue,
} from '../errors';

/** Where problem `type` URIs point: `urn:agentry:error:<code>` (stable, not a web page). */
export const PROBLEM_TYPE_PREFIX = 'urn:agentry:error:';

/**
 * An RFC 9457 problem document, with Agentry's fields: what the handler answers for every
 * error (`application/problem+json`) and sends as a `problem` event when a stream fails.
 */
export interface ProblemDocument {
  /** `urn:agentry:error:<code>`, or `…:<ProtocolProblem>` (e.g. `…:method_not_allowed`) for protocol errors. */
  type: string;
  title: string;
  /** The HTTP status of the response. */
  status: number;
  /** What happened and what to do, for developers. Redacted. */
  detail: string;
  /** The stable Agentry error code. */
  code: AgentryErrorCode;
  /** A message fit to show an end user. */
  userMessage: string;
  retryable: boolean;
  issues?: ValidationIssue[];
  executionId?: string;
  provider?: string;
  requestId?: string;
  retryAfterMs?: number;
  /** The limit that was reached, when the error is about one. */
  limit?: ErrorLimit;
  /** When a spent budget resets (`budget_exceeded`), ISO 8601. */
  resetsAt?: string;
}

const TITLES: Record<AgentryErrorCode, string> = {
  validation_failed: 'Validation failed',
  invalid_json: 'Invalid JSON',
  input_too_large: 'Input too large',
  tenant_required: 'Tenant required',
  auth_unavailable: 'Authentication unavailable',
  not_found: 'Not found',
  forbidden: 'Forbidden',
  live_disabled: 'Live mode disabled',
  provider_not_configured: 'Provider not configured',
  provider_error: 'Provider error',
  provider_auth_failed: 'Provider authentication failed',
  rate_limited: 'Rate limited',
  timeout: 'Timeout',
  cancelled: 'Cancelled',
  output_invalid: 'Output invalid',
  max_steps_reached: 'Step limit reached',
  tool_call_invalid: 'Invalid tool calls',
  tool_failed: 'Tool failed',
  limit_exceeded: 'Limit exceeded',
  budget_exceeded: 'Budget exceeded',
  interrupted: 'Interrupted',
  not_agentry_endpoint: 'Not an Agentry endpoint',
  internal: 'Internal error',
};

/**
 * The HTTP status for each error code, as the handler answers it. It is `ERROR_CODES`'
 * status, one table for the whole SDK; documented in docs/server.md.
 */
export function statusForCode(code: AgentryErrorCode): number {
  return ERROR_CODES[code].status;
}

/**
 * Protocol-level problems that have no Agentry code of their own (documented exceptions to the
 * table). `bad_request`, `header_too_large` and `request_timeout` come from the Node adapter,
 * for requests that never reach the handler (a malformed target, a refused HTTP message).
 */
export type ProtocolProblem =
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'header_too_large'
  | 'request_timeout';

/** Each protocol problem's status, title and the Agentry code it carries. */
export const PROTOCOL_PROBLEMS: Readonly<
  Record<ProtocolProblem, { status: number; title: string; code: AgentryErrorCode }>
> = {
  method_not_allowed: { status: 405, title: 'Method not allowed', code: 'not_found' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', code: 'invalid_json' },
  bad_request: { status: 400, title: 'Bad request', code: 'validation_failed' },
  header_too_large: { status: 431, title: 'Request header fields too large', code: 'input_too_large' },
  request_timeout: { status: 408, title: 'Request timeout', code: 'timeout' },
};

/**
 * The `detail` of every `internal` problem. An internal error's own message can be anything
 * an app threw (a connection string, a file path, a stack line), so it is logged on the
 * server (`agentry.http.internal_error`) and never sent.
 */
export const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred on the server.';

function internalProblem(): ProblemDocument {
  return {
    type: `${PROBLEM_TYPE_PREFIX}internal`,
    title: TITLES.internal,
    status: statusForCode('internal'),
    detail: INTERNAL_ERROR_DETAIL,
    code: 'internal',
    userMessage: ERROR_CODES.internal.userMessage,
    retryable: false,
  };
}

/**
 * Builds the problem document for an error. Anything that is not an Agentry error, and every
 * `internal` one, becomes a generic `internal` problem whose `detail` is "An unexpected error
 * occurred on the server.": only errors Agentry phrased for the caller are quoted.
 */
export function toProblem(error: unknown, protocol?: ProtocolProblem): ProblemDocument {
  if (!isAgentryError(error)) return internalProblem();
  const agentryError: AgentryError = error;
  if (agentryError.code === 'internal') {
    const problem = internalProblem();
    problem.retryable = agentryError.retryable;
    if (agentryError.executionId !== undefined) problem.executionId = agentryError.executionId;
    return problem;
  }
  const special = protocol === undefined ? undefined : PROTOCOL_PROBLEMS[protocol];
  // The problem document is the error's JSON form (serializeError) under RFC 9457 names.
  const { message, ...fields } = serializeError(agentryError);
  return {
    ...fields,
    type: `${PROBLEM_TYPE_PREFIX}${protocol ?? agentryError.code}`,
    title: special?.title ?? TITLES[agentryError.code],
    status: special?.status ?? statusForCode(agentryError.code),
    detail: message,
  };
}

/** Whether a value carries a problem document's one required field a client relies on: a known `code`. */
export function isProblemDocument(value: unknown): value is Partial<ProblemDocument> & { code: AgentryErrorCode } {
  return typeof value === 'object' && value !== null && isAgentryErrorCode((value as { code?: unknown }).code);
}

/** What {@link problemToError} fills in when the document leaves it out. */
export interface ProblemToErrorOptions {
  /** The response's status, when the document has none. */
  status?: number;
  /** The wait the response's headers asked for, when the document has none. */
  retryAfterMs?: number;
  /** Names the provider on the error (set by the remote provider; overrides the document's). */
  provider?: string;
  /** The message when the document has neither `detail`, `message` nor `title`. */
  fallbackMessage?: string;
}

/** Reads a problem document back into the {@link AgentryError} it was written from. */
export function problemToError(
  problem: Partial<ProblemDocument> & { code: AgentryErrorCode },
  options: ProblemToErrorOptions = {},
): AgentryError {
  const fields = problem as Partial<ProblemDocument> & { message?: unknown };
  const message =
    typeof fields.detail === 'string'
      ? fields.detail
      : typeof fields.message === 'string'
        ? fields.message
        : typeof fields.title === 'string'
          ? fields.title
          : (options.fallbackMessage ?? 'The request failed.');
  const serialized = { ...(problem as object), code: problem.code, message } as SerializedAgentryError;
  if (typeof fields.status !== 'number' && options.status !== undefined) serialized.status = options.status;
  if (serialized.retryAfterMs === undefined && options.retryAfterMs !== undefined) {
    serialized.retryAfterMs = options.retryAfterMs;
  }
  if (options.provider !== undefined) serialized.provider = options.provider;
  return deserializeError(serialized);
}
