import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { AgentryError, isAgentryError } from '../../errors';
import { retryAfterFromHeaders } from '../../internal/retry-after';
import { errorKind, logUnexpectedError } from '../../internal/unexpected-error';
import type { Logger, Redactor } from '../../logging';

/** What {@link toAnthropicError} needs besides the error. */
export interface AnthropicErrorContext {
  /** The request's signal: when it aborted, the error is `cancelled` whatever the SDK threw. */
  signal: AbortSignal;
  /** Scrubs configured keys and key shapes from provider messages. */
  redactor: Redactor;
  /** The provider id (`anthropic`, or the id the host chose). */
  provider: string;
  /** The request id, when the response headers already arrived. */
  requestId?: string | undefined;
  /** Where a network or unexpected error's own message is logged; the returned error never quotes it. @default undefined (not logged) */
  logger?: Logger | undefined;
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
  const text = redactor.redactString(raw).trim();
  return text === '' ? '' : `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
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
  const requestIdOption = context.requestId ? { requestId: context.requestId } : {};
  if (signal.aborted || isAbortLike(error)) {
    return new AgentryError('cancelled', 'The Anthropic request was aborted.', { provider, ...requestIdOption });
  }
  if (isAgentryError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new AgentryError('timeout', 'Anthropic did not answer within the client timeout.', {
      provider,
      ...requestIdOption,
    });
  }
  if (error instanceof APIConnectionError) {
    // The cause (a DNS or socket error) can name internal hosts and proxies: logged, not repeated.
    logUnexpectedError(context.logger, redactor, 'agentry.provider.network_error', error, { provider });
    return new AgentryError(
      'provider_error',
      'Could not reach Anthropic (network error). Check the network and baseURL; the underlying error is in the server log.',
      { provider, retryable: true, cause: error, ...requestIdOption },
    );
  }
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
    const retryAfterMs = retryAfterFromHeaders(error.headers);
    const withRetryAfter = retryAfterMs === undefined ? base : { ...base, retryAfterMs };
    if (status === 429) {
      return new AgentryError(
        'rate_limited',
        `Anthropic rate limit (${describe(status, type)})${providerMessage(error, redactor)}`,
        withRetryAfter,
      );
    }
    const retryable = status === 408 || status === 409 || status >= 500;
    return new AgentryError(
      'provider_error',
      `Anthropic error (${describe(status, type)})${providerMessage(error, redactor)}`,
      {
        ...withRetryAfter,
        retryable,
      },
    );
  }
  if (error instanceof SyntaxError) {
    return new AgentryError(
      'provider_error',
      'Anthropic sent a malformed stream event (not valid JSON). The response was cut or altered on the way; try again.',
      { provider, retryable: true, ...requestIdOption },
    );
  }
  logUnexpectedError(context.logger, redactor, 'agentry.provider.unexpected_error', error, { provider });
  return new AgentryError(
    'provider_error',
    `Anthropic call failed with an unexpected ${errorKind(error)}; the underlying error is in the server log.`,
    { provider, retryable: false, cause: error, ...requestIdOption },
  );
}
