import { AgentryError, type AgentryErrorOptions, isAgentryError } from '../errors';
import { logUnexpectedError } from '../internal/unexpected-error';
import type { Logger, Redactor } from '../logging';

/*
 * Errors from code the pipeline calls but does not own: an agent's `prompt`, `mock` (function,
 * fixture `match`, `fallback`) and schemas; the host's `resolveAgent`, `listAgents`, store,
 * `live.enabled`, pricing table, `generateId`, `onEvent`, `onRetry`; custom providers; and, in
 * the server, `resolveTenant` and the CORS `origins` predicate.
 *
 * The rule (docs/security.md, "Errors from your code"):
 * - A deliberate `AgentryError` is trusted: its code, message, user message and issues reach
 *   the caller, through the redactor. Except code `internal`, which means "unexpected": its
 *   words are never quoted, whoever threw it.
 * - Anything else (a `TypeError`, a driver's error, a string) is not: the caller gets a
 *   generic `internal` error in Agentry's words, saying where it happened; the thrown value
 *   stays as the error's `cause` (never serialized) and its text goes to the redacted log.
 */

/** True for an error user code threw on purpose, whose words may reach the caller (redacted). */
export function isTrustedError(value: unknown): value is AgentryError {
  return isAgentryError(value) && value.code !== 'internal';
}

// Errors built by `userCodeFailure`: their message is Agentry's own, safe to show.
const phrased = new WeakSet<object>();

/**
 * The generic `internal` error for something user code threw. `message` is Agentry's words
 * (it may name the agent, never quote the thrown value); the thrown value is the `cause`.
 */
export function userCodeFailure(message: string, thrown: unknown): AgentryError {
  const error = new AgentryError('internal', message, { cause: thrown });
  phrased.add(error);
  return error;
}

/** True for an error made by {@link userCodeFailure}. */
export function isUserCodeFailure(value: unknown): value is AgentryError {
  return typeof value === 'object' && value !== null && phrased.has(value);
}

/** What user code threw, as the caller may see it: trusted errors as they are, anything else generic. */
export function fromUserCode(thrown: unknown, message: string): AgentryError {
  return isTrustedError(thrown) || isUserCodeFailure(thrown) ? thrown : userCodeFailure(message, thrown);
}

/** Calls user code (sync or async); what it throws goes through {@link fromUserCode}. */
export async function callUserCode<T>(message: string, call: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    throw fromUserCode(thrown, message);
  }
}

/**
 * {@link callUserCode} without a promise when the user code answers synchronously (most
 * schemas, prompts and conversions do): `call(a, b)` itself, or a promise when it gave one. The
 * message, `message(a)`, is built only on failure. The arguments are passed, not closed over:
 * this runs several times on every run, and a closure is an object.
 */
export function callUserCodeNow<A, B, T>(
  message: (a: A) => string,
  call: (a: A, b: B) => T | PromiseLike<T>,
  a: A,
  b: B,
): T | Promise<T> {
  let value: T | PromiseLike<T>;
  try {
    value = call(a, b);
  } catch (thrown) {
    throw fromUserCode(thrown, message(a));
  }
  if (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<T>).then === 'function'
  ) {
    return Promise.resolve(value).catch((thrown: unknown) => {
      throw fromUserCode(thrown, message(a));
    });
  }
  return value as T;
}

/** A message that says something failed and where to look, never what it said. */
export function seeServerLog(what: string): string {
  return `${what}; the details are in the server log.`;
}

/** Reports what user code threw: to the redacted log, and to the caller in the form the rule allows. */
export interface UserCodeReporter {
  /** Logs, redacted, what user code threw where nothing else reports it (`agentry.user_code.failed`). */
  log(site: string, thrown: unknown, fields: Record<string, unknown>): void;
  /**
   * The error an executor method answers for what user code threw outside a run (`listAgents`,
   * `getAgent`, history, health): a trusted error, redacted; anything else is logged and becomes
   * a generic `internal` error saying that `what` failed.
   */
  error(site: string, thrown: unknown, what: string, fields: Record<string, unknown>): AgentryError;
  /**
   * A run's failure as it leaves the run (record, SSE, response). An `internal` failure (the
   * mock or the output schema threw, a provider raised `internal`) is logged with its words
   * (`agentry.execution.internal_error`) and answered generically, naming the agent.
   */
  publicFailure(failure: AgentryError, agentId: string, tenantId: string): AgentryError;
}

export function createUserCodeReporter(options: {
  logger: Logger;
  redactor: Redactor;
  /** The executor's redaction of an error's message, user message, issues and cause. */
  redactError: (error: AgentryError) => AgentryError;
}): UserCodeReporter {
  const { logger, redactor, redactError } = options;

  function log(site: string, thrown: unknown, fields: Record<string, unknown>): void {
    logUnexpectedError(logger, redactor, 'agentry.user_code.failed', thrown, { site, ...fields });
  }

  function error(site: string, thrown: unknown, what: string, fields: Record<string, unknown>): AgentryError {
    const normalized = fromUserCode(thrown, seeServerLog(what));
    if (!isTrustedError(normalized)) log(site, thrown, fields);
    const redacted = redactError(normalized);
    // The redacted copy keeps Agentry's own words: a refusal may still show them.
    if (isUserCodeFailure(normalized)) phrased.add(redacted);
    return redacted;
  }

  function publicFailure(failure: AgentryError, agentId: string, tenantId: string): AgentryError {
    if (failure.code !== 'internal') return redactError(failure);
    logUnexpectedError(logger, redactor, 'agentry.execution.internal_error', failure, {
      tenant_id: tenantId,
      agent_id: agentId,
      execution_id: failure.executionId ?? null,
    });
    const generic: AgentryErrorOptions = { retryable: failure.retryable, cause: failure };
    if (failure.executionId !== undefined) generic.executionId = failure.executionId;
    if (failure.provider !== undefined) generic.provider = failure.provider;
    return redactError(
      new AgentryError('internal', seeServerLog(`Agent "${agentId}" failed with an unexpected error`), generic),
    );
  }

  return { log, error, publicFailure };
}
