import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { type AgentryError, isAgentryError } from '../../errors';
import { retryAfterFromHeaders } from '../../internal/retry-after';
import type { Redactor } from '../../logging';
import { classifyProviderError, readErrorObject } from '../shared/provider-error';
import { isAbortLike, otherError, type SdkErrorContext, scrubbedMessage, transportError } from '../shared/sdk-errors';
import type { ServerLabel } from '../shared/server-label';

/** How errors name OpenAI's own API. */
export const OPENAI_SERVER: ServerLabel = {
  name: 'OpenAI',
  authHint: 'Check the API key (OPENAI_API_KEY or the apiKey option) and its project access.',
};

/** What {@link toOpenAIError} needs besides the error. */
export type OpenAIErrorContext = SdkErrorContext;

/** The provider's own message without the SDK's status prefix, scrubbed of credentials. */
function providerMessage(error: APIError, bodyMessage: string | undefined, redactor: Redactor): string {
  const raw = bodyMessage ?? error.message.replace(/^\d{3}\s+/, '');
  return scrubbedMessage(raw, redactor);
}

/**
 * An error object a compatible server put in a 200 body or stream chunk (OpenRouter's
 * `{ error: { code, message } }`, vLLM's `{ object: 'error', … }`), classified exactly as the
 * same status would be over HTTP.
 */
export function errorFromBody(body: unknown, where: 'stream' | 'body', context: OpenAIErrorContext): AgentryError {
  const facts = readErrorObject(body);
  const base = { provider: context.provider, ...(context.requestId ? { requestId: context.requestId } : {}) };
  return classifyProviderError(
    context.server ?? OPENAI_SERVER,
    {
      status: facts.status,
      type: facts.type,
      code: facts.code,
      message: facts.message === undefined ? '' : scrubbedMessage(facts.message, context.redactor),
      retryAfterMs: facts.retryAfterMs,
      where,
    },
    base,
  );
}

/**
 * Turns anything the OpenAI SDK throws into an {@link AgentryError}. HTTP errors and error events
 * inside a stream go through one classifier ({@link classifyProviderError}), so an in-stream 400
 * is as final as an HTTP 400. Messages name the server, keep the status, the provider's error
 * type and a scrubbed message; request bodies and headers never appear. An aborted signal always
 * wins: the executor decides whether that was a timeout or a cancel.
 */
export function toOpenAIError(error: unknown, context: OpenAIErrorContext): AgentryError {
  const { signal, redactor, provider } = context;
  const server = context.server ?? OPENAI_SERVER;
  if (signal.aborted || isAbortLike(error) || error instanceof APIUserAbortError) {
    return transportError(server.name, 'aborted', error, context);
  }
  if (isAgentryError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) return transportError(server.name, 'client-timeout', error, context);
  if (error instanceof APIConnectionError) return transportError(server.name, 'network', error, context);
  if (error instanceof APIError) {
    const requestId = error.requestID ?? context.requestId;
    const base = { provider, ...(requestId ? { requestId } : {}) };
    // In a stream (status 200 already sent) the SDK puts the chunk's error object in `error.error`.
    const facts = readErrorObject(error.error);
    const inStream = error.status === undefined;
    const type = typeof error.type === 'string' && error.type !== '' ? error.type : facts.type;
    const code =
      typeof error.code === 'string' && error.code !== '' && !/^\d{3}$/.test(error.code) ? error.code : facts.code;
    const retryAfterMs = retryAfterFromHeaders(error.headers) ?? facts.retryAfterMs;
    return classifyProviderError(
      server,
      {
        status: error.status ?? facts.status,
        type,
        code,
        message: providerMessage(error, facts.message, redactor),
        retryAfterMs,
        where: inStream ? 'stream' : 'http',
      },
      base,
    );
  }
  return otherError(server.name, error, context);
}
