import { AgentryError } from '../../errors';
import { errorKind, logUnexpectedError } from '../../internal/unexpected-error';
import type { Logger, Redactor } from '../../logging';
import type { ServerLabel } from './server-label';

/** What every SDK error mapper needs besides the error. */
export interface SdkErrorContext {
  /** The request's signal: when it aborted, the error is `cancelled` whatever the SDK threw. */
  signal: AbortSignal;
  /** Scrubs configured keys and key shapes from provider messages. */
  redactor: Redactor;
  /** The provider id (`openai`, `anthropic`, or the id the host chose). */
  provider: string;
  /** The request id, when the response headers already arrived. */
  requestId?: string | undefined;
  /** Where a network or unexpected error's own message is logged; the returned error never quotes it. @default undefined (not logged) */
  logger?: Logger | undefined;
  /** How messages name the server (a compatible server by its host). @default the vendor */
  server?: ServerLabel | undefined;
}

/** The fields every mapped error carries: the provider and, when known, its request id. */
export interface ErrorBase {
  provider: string;
  requestId?: string;
}

/** True for the SDKs' abort errors and DOM `AbortError`s. */
export function isAbortLike(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'AbortError' || name === 'APIUserAbortError';
}

/** A provider message, scrubbed, trimmed to 500 characters, as `: message` (or nothing). */
export function scrubbedMessage(raw: string, redactor: Redactor): string {
  const text = redactor.redactString(raw).trim();
  return text === '' ? '' : `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}

/** The abort, client-timeout and network cases, which read the same for every SDK. */
export function transportError(
  vendor: string,
  kind: 'aborted' | 'client-timeout' | 'network',
  error: unknown,
  context: SdkErrorContext,
): AgentryError {
  const { provider } = context;
  const requestId = context.requestId ? { requestId: context.requestId } : {};
  switch (kind) {
    case 'aborted':
      return new AgentryError('cancelled', `The ${vendor} request was aborted.`, { provider, ...requestId });
    case 'client-timeout':
      return new AgentryError('timeout', `${vendor} did not answer within the client timeout.`, {
        provider,
        ...requestId,
      });
    case 'network':
      // The cause (a DNS or socket error) can name internal hosts and proxies: logged, not repeated.
      logUnexpectedError(context.logger, context.redactor, 'agentry.provider.network_error', error, { provider });
      return new AgentryError(
        'provider_error',
        `Could not reach ${vendor} (network error). Check the network and baseURL; the underlying error is in the server log.`,
        { provider, retryable: true, cause: error, ...requestId },
      );
    default:
      return kind satisfies never;
  }
}

/** What is left once the SDK's own error classes were handled: broken stream JSON, or a bug. */
export function otherError(vendor: string, error: unknown, context: SdkErrorContext): AgentryError {
  const { provider } = context;
  const requestId = context.requestId ? { requestId: context.requestId } : {};
  if (error instanceof SyntaxError) {
    return new AgentryError(
      'provider_error',
      `${vendor} sent a malformed stream event (not valid JSON). The response was cut or altered on the way; try again.`,
      { provider, retryable: true, ...requestId },
    );
  }
  logUnexpectedError(context.logger, context.redactor, 'agentry.provider.unexpected_error', error, { provider });
  return new AgentryError(
    'provider_error',
    `${vendor} call failed with an unexpected ${errorKind(error)}; the underlying error is in the server log.`,
    { provider, retryable: false, cause: error, ...requestId },
  );
}
