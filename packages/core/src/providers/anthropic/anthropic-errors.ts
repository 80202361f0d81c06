import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
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

/** What {@link toAnthropicError} needs besides the error. */
export type AnthropicErrorContext = SdkErrorContext;

const VENDOR = 'Anthropic';

/** The error `type` from the body (`rate_limit_error`, `overloaded_error`, …). */
function errorType(error: APIError): string | undefined {
  if (typeof error.type === 'string') return error.type;
  const body = error.error as { error?: { type?: unknown }; type?: unknown } | undefined;
  const nested = body?.error?.type;
  return typeof nested === 'string' ? nested : undefined;
}

/** The provider's own message, scrubbed of credentials and trimmed. */
function providerMessage(error: APIError, redactor: Redactor): string {
  const body = error.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const raw =
    error.apiMessage ??
    (typeof body?.error?.message === 'string'
      ? body.error.message
      : typeof body?.message === 'string'
        ? body.message
        : error.message.replace(/^\d{3}\s+/, ''));
  return scrubbedMessage(raw, redactor);
}

function describe(status: number | undefined, type: string | undefined): string {
  return [status === undefined ? undefined : `HTTP ${status}`, type].filter(Boolean).join(', ');
}

/**
 * Turns anything the Anthropic SDK throws into an {@link AgentryError}: 401/403 → `provider_auth_failed`,
 * 429 → `rate_limited` with the server's retry-after, 408/409/5xx and 529 `overloaded_error` →
 * retryable `provider_error`, other 4xx → non-retryable, network errors → retryable. Messages keep the
 * status, the error type and a scrubbed message; request bodies and headers never appear.
 */
export function toAnthropicError(error: unknown, context: AnthropicErrorContext): AgentryError {
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
    const type = errorType(error);
    if (status === undefined) {
      // An `error` event inside a stream (status 200 already sent).
      const message = `Anthropic reported an error mid-stream (${type ?? 'no type'})${providerMessage(error, redactor)}`;
      if (type === 'rate_limit_error') return new AgentryError('rate_limited', message, base);
      if (type === 'authentication_error' || type === 'permission_error') {
        return new AgentryError('provider_auth_failed', message, base);
      }
      return new AgentryError('provider_error', message, { ...base, retryable: type !== 'invalid_request_error' });
    }
    if (status === 401 || status === 403) {
      return new AgentryError(
        'provider_auth_failed',
        `Anthropic rejected the credentials (${describe(status, type)}). Check the API key (ANTHROPIC_API_KEY or the apiKey option) and its workspace access.`,
        base,
      );
    }
    return statusError(
      VENDOR,
      status,
      describe(status, type),
      providerMessage(error, redactor),
      base,
      retryAfterFromHeaders(error.headers),
    );
  }
  return otherError(VENDOR, error, context);
}
