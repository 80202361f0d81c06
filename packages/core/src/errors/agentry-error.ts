import { type AgentryErrorCode, ERROR_CODES, isAgentryErrorCode } from './codes';

/** Where a validation problem is, as a path into the input (`['items', 0, 'name']`). */
export interface ValidationIssue {
  /** Path segments from the root of the input; empty for the root itself. */
  path: (string | number)[];
  /** What is wrong, in words a developer can act on. */
  message: string;
  /** The validator's own code for the problem (zod's issue code, `json_syntax`, …). */
  code?: string;
  /** 1-based line and column, for problems located in JSON text. */
  line?: number;
  column?: number;
}

/**
 * The limit an error reports reaching, so a UI can state it ("the limit is 30 s") instead of
 * parsing a message.
 */
export interface ErrorLimit {
  /**
   * What is limited: the whole run's time, the wait for the first output, a pause mid-stream,
   * the input's size, or the runs a tenant may have at once.
   */
  kind: 'total_time' | 'first_output_time' | 'idle_time' | 'input_size' | 'concurrent_runs';
  /** The limit's value, in `unit`. */
  value: number;
  unit: 'ms' | 'bytes' | 'runs';
}

const LIMIT_KINDS: ReadonlySet<string> = new Set([
  'total_time',
  'first_output_time',
  'idle_time',
  'input_size',
  'concurrent_runs',
]);
const LIMIT_UNITS: ReadonlySet<string> = new Set(['ms', 'bytes', 'runs']);

function isErrorLimit(value: unknown): value is ErrorLimit {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, value: amount, unit } = value as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    LIMIT_KINDS.has(kind) &&
    typeof unit === 'string' &&
    LIMIT_UNITS.has(unit) &&
    typeof amount === 'number' &&
    Number.isFinite(amount)
  );
}

/** Options for {@link AgentryError}. */
export interface AgentryErrorOptions {
  /** A message fit for an end user; defaults to the code's standard message. */
  userMessage?: string;
  /** Override whether retrying can help; defaults to the code's rule. */
  retryable?: boolean;
  /** HTTP status; defaults to the code's status. */
  status?: number;
  /** Validation problems, with their paths. */
  issues?: ValidationIssue[];
  /** The underlying error. It is redacted before it is logged or sent anywhere. */
  cause?: unknown;
  /** The execution this error belongs to, when there is one. */
  executionId?: string;
  /** The provider that raised it (`openai`, `anthropic`, `remote`, `mock`, …). */
  provider?: string;
  /** The provider's request id, for support tickets. */
  requestId?: string;
  /** How long the provider asked us to wait before retrying, in milliseconds. */
  retryAfterMs?: number;
  /** The limit that was reached (`timeout`, `input_too_large`, `limit_exceeded`). */
  limit?: ErrorLimit;
  /** When a spent budget's window ends (`budget_exceeded`), as an ISO 8601 timestamp. */
  resetsAt?: string;
}

/** The JSON form of an {@link AgentryError}: what the server sends and the store keeps. */
export interface SerializedAgentryError {
  code: AgentryErrorCode;
  message: string;
  userMessage: string;
  retryable: boolean;
  status: number;
  issues?: ValidationIssue[];
  executionId?: string;
  provider?: string;
  requestId?: string;
  retryAfterMs?: number;
  limit?: ErrorLimit;
  resetsAt?: string;
}

// A registered symbol survives duplicated copies of this package in one process,
// where `instanceof` does not.
const MARKER = Symbol.for('agentry.error');

/** The one error class Agentry throws. Check it with {@link isAgentryError}, not `instanceof`. */
export class AgentryError extends Error {
  readonly [MARKER] = true;
  readonly code: AgentryErrorCode;
  readonly userMessage: string;
  readonly retryable: boolean;
  readonly status: number;
  readonly issues?: ValidationIssue[];
  readonly executionId?: string;
  readonly provider?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly limit?: ErrorLimit;
  readonly resetsAt?: string;

  constructor(code: AgentryErrorCode, message: string, options: AgentryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentryError';
    const rule = ERROR_CODES[code];
    this.code = code;
    this.userMessage = options.userMessage ?? rule.userMessage;
    this.retryable = options.retryable ?? rule.retryable;
    this.status = options.status ?? rule.status;
    if (options.issues !== undefined) this.issues = options.issues;
    if (options.executionId !== undefined) this.executionId = options.executionId;
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.limit !== undefined) this.limit = { ...options.limit };
    if (options.resetsAt !== undefined) this.resetsAt = options.resetsAt;
  }

  /** The wire and storage form. Never includes the cause. */
  toJSON(): SerializedAgentryError {
    return serializeError(this);
  }
}

/** The options an error was built with (everything but code and message). */
function optionsOf(error: AgentryError): AgentryErrorOptions {
  const options: AgentryErrorOptions = {
    userMessage: error.userMessage,
    retryable: error.retryable,
    status: error.status,
  };
  if (error.issues !== undefined) options.issues = error.issues;
  if (error.cause !== undefined) options.cause = error.cause;
  if (error.executionId !== undefined) options.executionId = error.executionId;
  if (error.provider !== undefined) options.provider = error.provider;
  if (error.requestId !== undefined) options.requestId = error.requestId;
  if (error.retryAfterMs !== undefined) options.retryAfterMs = error.retryAfterMs;
  if (error.limit !== undefined) options.limit = error.limit;
  if (error.resetsAt !== undefined) options.resetsAt = error.resetsAt;
  return options;
}

/** A copy of an error with some fields replaced (errors are immutable). */
export function cloneError(error: AgentryError, patch: AgentryErrorOptions & { message?: string } = {}): AgentryError {
  const { message = error.message, ...options } = patch;
  return new AgentryError(error.code, message, { ...optionsOf(error), ...options });
}

/** True for any Agentry error, including one thrown by another copy of this package. */
export function isAgentryError(value: unknown): value is AgentryError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[MARKER] === true &&
    isAgentryErrorCode((value as { code?: unknown }).code)
  );
}

function isAbortError(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as { name?: unknown }).name === 'AbortError' || (value as { name?: unknown }).name === 'APIUserAbortError')
  );
}

/**
 * The one normalizer: turns anything thrown into an {@link AgentryError}. Agentry errors
 * pass through unchanged; a serialized error (from the wire or the store) is revived;
 * aborts become `cancelled`; anything else becomes `internal` with the original as cause.
 */
export function toAgentryError(value: unknown, fallbackCode: AgentryErrorCode = 'internal'): AgentryError {
  if (isAgentryError(value)) return value;
  if (isSerializedAgentryError(value)) return deserializeError(value);
  if (isAbortError(value)) {
    return new AgentryError('cancelled', 'The execution was cancelled.', { cause: value });
  }
  const message = value instanceof Error ? value.message : typeof value === 'string' ? value : 'Unknown error';
  return new AgentryError(fallbackCode, message || 'Unknown error', { cause: value });
}

/** The JSON form of an error, without its cause. */
export function serializeError(error: AgentryError): SerializedAgentryError {
  const out: SerializedAgentryError = {
    code: error.code,
    message: error.message,
    userMessage: error.userMessage,
    retryable: error.retryable,
    status: error.status,
  };
  if (error.issues !== undefined) out.issues = error.issues;
  if (error.executionId !== undefined) out.executionId = error.executionId;
  if (error.provider !== undefined) out.provider = error.provider;
  if (error.requestId !== undefined) out.requestId = error.requestId;
  if (error.retryAfterMs !== undefined) out.retryAfterMs = error.retryAfterMs;
  if (error.limit !== undefined) out.limit = { ...error.limit };
  if (error.resetsAt !== undefined) out.resetsAt = error.resetsAt;
  return out;
}

/** True when `value` looks like the JSON form of an Agentry error. */
export function isSerializedAgentryError(value: unknown): value is SerializedAgentryError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    isAgentryErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Revives the JSON form of an error (from the wire or the store) into an {@link AgentryError}. */
export function deserializeError(value: SerializedAgentryError): AgentryError {
  const code = isAgentryErrorCode(value.code) ? value.code : 'internal';
  const options: AgentryErrorOptions = {};
  if (typeof value.userMessage === 'string') options.userMessage = value.userMessage;
  if (typeof value.retryable === 'boolean') options.retryable = value.retryable;
  if (typeof value.status === 'number') options.status = value.status;
  if (Array.isArray(value.issues)) options.issues = value.issues;
  if (typeof value.executionId === 'string') options.executionId = value.executionId;
  if (typeof value.provider === 'string') options.provider = value.provider;
  if (typeof value.requestId === 'string') options.requestId = value.requestId;
  if (typeof value.retryAfterMs === 'number') options.retryAfterMs = value.retryAfterMs;
  // A limit from the wire is kept only when it is well-formed: a UI states it as a fact.
  if (isErrorLimit(value.limit))
    options.limit = { kind: value.limit.kind, value: value.limit.value, unit: value.limit.unit };
  if (typeof value.resetsAt === 'string') options.resetsAt = value.resetsAt;
  return new AgentryError(code, value.message, options);
}
