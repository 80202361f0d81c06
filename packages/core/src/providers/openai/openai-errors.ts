import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AgentryError, isAgentryError } from '../../errors';
import { retryAfterFromHeaders } from '../../internal/retry-after';
import { errorKind, logUnexpectedError } from '../../internal/unexpected-error';
import type { Logger, Redactor } from '../../logging';

/** `HTTP 429, requests, rate_limit_exceeded`: the status and the provider's error type and code. */
function describe(status: number | undefined, error: APIError): string {
  const parts = [status === undefined ? undefined : `HTTP ${status}`, error.type, error.code];
  return [...new Set(parts.filter((part): part is string => typeof part === 'string' && part !== ''))].join(', ');
}

/** The provider's own message without the SDK's status prefix, scrubbed of credentials. */
function providerMessage(error: APIError, redactor: Redactor): string {
  const body = error.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s+/, '');
  const text = redactor.redactString(raw).trim();
  return text === '' ? '' : `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}

function isAbortLike(error: unknown): boolean {
  return (
    error instanceof APIUserAbortError ||
    (typeof error === 'object' &&
      error !== null &&
      ((error as { name?: unknown }).name === 'AbortError' ||
        (error as { name?: unknown }).name === 'APIUserAbortError'))
  );
}

/** What {@link toOpenAIError} needs besides the error. */
export interface OpenAIErrorContext {
  /** The request's signal: when it aborted, the error is `cancelled` whatever the SDK threw. */
  signal: AbortSignal;
  /** Scrubs configured keys and key shapes from provider messages. */
  redactor: Redactor;
  /** The provider id (`openai`, or the id the host chose). */
  provider: string;
  /** The request id, when the response headers already arrived. */
  requestId?: string | undefined;
  /** Where a network or unexpected error's own message is logged; the returned error never quotes it. @default undefined (not logged) */
  logger?: Logger | undefined;
}

/**
 * Turns anything the OpenAI SDK throws into an {@link AgentryError}. Messages keep the status,
 * the provider's error type and a scrubbed message; request bodies and headers never appear.
 * An aborted signal always wins: the executor decides whether that was a timeout or a cancel.
 */
export function toOpenAIError(error: unknown, context: OpenAIErrorContext): AgentryError {
  const { signal, redactor, provider } = context;
  const requestIdOption = context.requestId ? { requestId: context.requestId } : {};
  if (signal.aborted || isAbortLike(error)) {
    return new AgentryError('cancelled', 'The OpenAI request was aborted.', { provider, ...requestIdOption });
  }
  if (isAgentryError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new AgentryError('timeout', 'OpenAI did not answer within the client timeout.', {
      provider,
      ...requestIdOption,
    });
  }
  if (error instanceof APIConnectionError) {
    // The cause (a DNS or socket error) can name internal hosts and proxies: logged, not repeated.
    logUnexpectedError(context.logger, redactor, 'agentry.provider.network_error', error, { provider });
    return new AgentryError(
      'provider_error',
      'Could not reach OpenAI (network error). Check the network and baseURL; the underlying error is in the server log.',
      { provider, retryable: true, cause: error, ...requestIdOption },
    );
  }
  if (error instanceof APIError) {
    const requestId = error.requestID ?? context.requestId;
    const base = { provider, ...(requestId ? { requestId } : {}) };
    const status = error.status;
    if (status === undefined) {
      // An error event inside a stream (status 200 already sent).
      const rateLimited = error.code === 'rate_limit_exceeded' || error.type === 'rate_limit_exceeded';
      return new AgentryError(
        rateLimited ? 'rate_limited' : 'provider_error',
        `OpenAI reported an error mid-stream (${describe(undefined, error) || 'no type'})${providerMessage(error, redactor)}`,
        { ...base, retryable: true },
      );
    }
    if (status === 401 || status === 403) {
      // The provider's message may echo part of the key, so it is left out.
      return new AgentryError(
        'provider_auth_failed',
        `OpenAI rejected the credentials (${describe(status, error)}). Check the API key (OPENAI_API_KEY or the apiKey option) and its project access.`,
        base,
      );
    }
    const retryAfterMs = retryAfterFromHeaders(error.headers);
    const withRetryAfter = retryAfterMs === undefined ? base : { ...base, retryAfterMs };
    if (status === 429) {
      if (error.code === 'insufficient_quota') {
        return new AgentryError(
          'rate_limited',
          `OpenAI quota exhausted (${describe(status, error)})${providerMessage(error, redactor)}. Check the account's plan and billing.`,
          { ...withRetryAfter, retryable: false },
        );
      }
      return new AgentryError(
        'rate_limited',
        `OpenAI rate limit (${describe(status, error)})${providerMessage(error, redactor)}`,
        withRetryAfter,
      );
    }
    const retryable = status === 408 || status === 409 || status >= 500;
    return new AgentryError(
      'provider_error',
      `OpenAI error (${describe(status, error)})${providerMessage(error, redactor)}`,
      {
        ...withRetryAfter,
        retryable,
      },
    );
  }
  if (error instanceof SyntaxError) {
    return new AgentryError(
      'provider_error',
      'OpenAI sent a malformed stream event (not valid JSON). The response was cut or altered on the way; try again.',
      { provider, retryable: true, ...requestIdOption },
    );
  }
  logUnexpectedError(context.logger, redactor, 'agentry.provider.unexpected_error', error, { provider });
  return new AgentryError(
    'provider_error',
    `OpenAI call failed with an unexpected ${errorKind(error)}; the underlying error is in the server log.`,
    { provider, retryable: false, cause: error, ...requestIdOption },
  );
}
