import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { type AgentryError, isAgentryError } from '../../errors';
import { retryAfterFromHeaders } from '../../internal/retry-after';
import { classifyProviderError, readErrorObject } from '../shared/provider-error';
import { isAbortLike, otherError, type SdkErrorContext, scrubbedMessage, transportError } from '../shared/sdk-errors';
import type { ServerLabel } from '../shared/server-label';

/** How errors name Anthropic's own API. */
export const ANTHROPIC_SERVER: ServerLabel = {
  name: 'Anthropic',
  authHint: 'Check the API key (ANTHROPIC_API_KEY or the apiKey option) and its workspace access.',
};

/** What {@link toAnthropicError} needs besides the error. */
export type AnthropicErrorContext = SdkErrorContext;

/**
 * Turns anything the Anthropic SDK throws into an {@link AgentryError}. HTTP errors and `error`
 * events inside a stream go through one classifier ({@link classifyProviderError}): 401/403 →
 * `provider_auth_failed`, 429 → `rate_limited` with the server's retry-after, 408/409/5xx and 529
 * `overloaded_error` → retryable `provider_error`, other 4xx (an in-stream `invalid_request_error`
 * too) → not retried; network errors → retryable. Messages name the server and keep the status,
 * the error type and a scrubbed message; request bodies and headers never appear.
 */
export function toAnthropicError(error: unknown, context: AnthropicErrorContext): AgentryError {
  const { signal, redactor, provider } = context;
  const server = context.server ?? ANTHROPIC_SERVER;
  if (signal.aborted || isAbortLike(error) || error instanceof APIUserAbortError) {
    return transportError(server.name, 'aborted', error, context);
  }
  if (isAgentryError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) return transportError(server.name, 'client-timeout', error, context);
  if (error instanceof APIConnectionError) return transportError(server.name, 'network', error, context);
  if (error instanceof APIError) {
    const requestId = error.requestID ?? context.requestId;
    const base = { provider, ...(requestId ? { requestId } : {}) };
    // The body: `{ type: 'error', error: { type, message } }`, over HTTP and in a stream's `error` event.
    const facts = readErrorObject(error.error);
    const type = (error.type as string | null | undefined) || facts.type;
    const raw = error.apiMessage ?? facts.message ?? error.message.replace(/^\d{3}\s+/, '');
    return classifyProviderError(
      server,
      {
        status: error.status ?? facts.status,
        type,
        code: facts.code,
        message: scrubbedMessage(raw, redactor),
        retryAfterMs: retryAfterFromHeaders(error.headers) ?? facts.retryAfterMs,
        where: error.status === undefined ? 'stream' : 'http',
      },
      base,
    );
  }
  return otherError(server.name, error, context);
}
