import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AgentryError, isAgentryError } from '../../errors';
import { retryAfterFromHeaders } from '../../internal/retry-after';
import type { Redactor } from '../../logging';
import {
  isAbortLike,
  otherError,
  type SdkErrorContext,
  scrubbedMessage,
  statusError,
  transportError,
} from '../shared/sdk-errors';

const VENDOR = 'OpenAI';

/** `HTTP 429, requests, rate_limit_exceeded`: the status and the provider's error type and code. */
function describe(status: number | undefined, error: APIError): string {
  const parts = [status === undefined ? undefined : `HTTP ${status}`, error.type, error.code];
  return [...new Set(parts.filter((part): part is string => typeof part === 'string' && part !== ''))].join(', ');
}

/** The provider's own message without the SDK's status prefix, scrubbed of credentials. */
function providerMessage(error: APIError, redactor: Redactor): string {
  const body = error.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s+/, '');
  return scrubbedMessage(raw, redactor);
}

/** What {@link toOpenAIError} needs besides the error. */
export type OpenAIErrorContext = SdkErrorContext;

/**
 * Turns anything the OpenAI SDK throws into an {@link AgentryError}. Messages keep the status,
 * the provider's error type and a scrubbed message; request bodies and headers never appear.
 * An aborted signal always wins: the executor decides whether that was a timeout or a cancel.
 */
export function toOpenAIError(error: unknown, context: OpenAIErrorContext): AgentryError {
  const { signal, redactor, provider } = context;
  if (signal.aborted || isAbortLike(error) || error instanceof APIUserAbortError) {
    return transportError(VENDOR, 'aborted', error, context);
  }
  if (isAgentryError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) return transportError(VENDOR, 'client-timeout', error, context);
  if (error instanceof APIConnectionError) return transportError(VENDOR, 'network', error, context);
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
    if (status === 429 && error.code === 'insufficient_quota') {
      // Waiting does not refill a quota: not retryable.
      return new AgentryError(
        'rate_limited',
        `OpenAI quota exhausted (${describe(status, error)})${providerMessage(error, redactor)}. Check the account's plan and billing.`,
        { ...base, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), retryable: false },
      );
    }
    return statusError(VENDOR, status, describe(status, error), providerMessage(error, redactor), base, retryAfterMs);
  }
  return otherError(VENDOR, error, context);
}
