// How an answer of the protocol that is not a success becomes an AgentryError, for the client
// and the remote provider alike: a problem document, another server's page, a failed fetch.
import { AgentryError, type AgentryErrorCode, isAgentryError } from '../errors';
import { retryAfterFromHeaders, retryAfterValue } from '../internal/retry-after';
import { JSON_CONTENT_TYPE, mediaType } from './content-type';
import { isProblemDocument, problemToError } from './problem';

/**
 * How long the server asked to wait, in milliseconds. Give the response's `Headers` to read
 * `retry-after-ms` first, then `retry-after`; or give one `Retry-After` value (seconds or an
 * HTTP date). `undefined` when there is nothing readable.
 *
 * @example parseRetryAfter(response.headers) // 'retry-after: 2' → 2000
 */
export function parseRetryAfter(
  source: Pick<Headers, 'get'> | string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  return typeof source === 'object' && source !== null
    ? retryAfterFromHeaders(source, now)
    : retryAfterValue(source, now);
}

function codeForStatus(status: number): AgentryErrorCode {
  if (status === 400) return 'validation_failed';
  if (status === 401 || status === 403) return 'tenant_required';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'input_too_large';
  if (status === 429) return 'rate_limited';
  return 'internal';
}

/**
 * The error for an answer that did not come from an Agentry handler: an SPA's `index.html`
 * served for every path, a login page, another API, a 404 of a server that has no Agentry
 * route. Its message names what came back and from where, so the wrong `baseUrl` or the
 * missing route is found at once instead of a `SyntaxError` about JSON.
 *
 * @param expected What an Agentry handler would have sent (`an agent list`), named when the
 * body was JSON of another shape.
 */
export function notAgentryEndpoint(response: Response, url: string, expected?: string): AgentryError {
  const type = mediaType(response.headers.get('content-type')) ?? 'no content type';
  const where = describeUrl(response.url || url) || 'the server';
  // "without an agent list" only says something about JSON; for HTML the type says it all.
  const json = type === JSON_CONTENT_TYPE || type.endsWith('+json');
  const got = expected !== undefined && json ? `${type} without ${expected}` : type;
  const summary = `This URL is not an Agentry endpoint (got ${got} from ${where}).`;
  return new AgentryError(
    'not_agentry_endpoint',
    `${summary} Check that createClient({ baseUrl }) is the path where createHandler is mounted (its basePath) and that requests to it reach that server: a missing dev-server proxy, an SPA fallback or another route answered instead.`,
    {
      status: response.status,
      userMessage: `${summary} The app's Agentry URL or its routing needs fixing.`,
    },
  );
}

/**
 * Turns an error response into an {@link AgentryError}: a problem document keeps its `code`,
 * `userMessage`, `issues` and `executionId`; anything else (a proxy's HTML page) gets a code
 * from its status, except a 404 or 405 without a problem document, which no Agentry handler
 * sends: that is `not_agentry_endpoint`. `Retry-After` fills `retryAfterMs` when the body did not.
 *
 * @param url The URL requested, for the message when the response does not carry it.
 */
export function errorFromResponse(response: Response, data: unknown, provider?: string, url = ''): AgentryError {
  const retryAfterMs = parseRetryAfter(response.headers);
  if (isProblemDocument(data)) {
    return problemToError(data, {
      status: response.status,
      fallbackMessage: `HTTP ${response.status}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(provider === undefined ? {} : { provider }),
    });
  }
  const status = response.status;
  // An Agentry handler answers every unknown route and method with a problem document.
  if (status === 404 || status === 405) return notAgentryEndpoint(response, url);
  const options: ConstructorParameters<typeof AgentryError>[2] = { status };
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if (provider !== undefined) options.provider = provider;
  if (status >= 500) options.retryable = status !== 501;
  return new AgentryError(
    codeForStatus(status),
    `The server answered ${status}${response.statusText ? ` ${response.statusText}` : ''} without a problem document.`,
    options,
  );
}

/** What {@link errorFromFailure} needs to phrase its message. */
export interface FailureContext {
  /** The URL that was requested (no query string is added to messages). */
  url: string;
  /** The per-request timeout that applied, for the timeout message. */
  timeoutMs?: number | false;
  /** Set for provider calls so the error names the provider. */
  provider?: string;
  /** The code for an unreachable server. @default 'internal' */
  networkCode?: AgentryErrorCode;
}

function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

// By name: fetch's DOMExceptions and errors made by test doubles alike.
function errorName(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

/**
 * Normalizes anything a `fetch` call threw into an {@link AgentryError}: network failures
 * and timeouts into clear, retryable errors, aborts into `cancelled`.
 */
export function errorFromFailure(error: unknown, context: FailureContext): AgentryError {
  if (isAgentryError(error)) return error;
  const where = describeUrl(context.url);
  const providerOption = context.provider === undefined ? {} : { provider: context.provider };
  if (errorName(error) === 'TimeoutError') {
    return new AgentryError(
      'timeout',
      `No answer from ${where} within ${context.timeoutMs === false ? 'the time allowed' : `${context.timeoutMs} ms`}.`,
      { cause: error, ...providerOption },
    );
  }
  if (errorName(error) === 'AbortError') {
    return new AgentryError('cancelled', 'The request was cancelled.', { cause: error, ...providerOption });
  }
  if (errorName(error) === 'NetworkError' || error instanceof TypeError) {
    return new AgentryError(
      context.networkCode ?? 'internal',
      `Could not reach ${where}: the connection failed. Check that the server is running and the URL is right.`,
      {
        cause: error,
        retryable: true,
        userMessage: 'Could not reach the server. Check your connection and try again.',
        ...providerOption,
      },
    );
  }
  // The thrown message is not ours to repeat: on a server it can name internal hosts or
  // credentials, and this message can end up in a response. It stays on `cause` (never serialized).
  const kind = error instanceof Error ? error.name || 'Error' : typeof error;
  return new AgentryError(
    'internal',
    `Request to ${where} failed with an unexpected ${kind}. The original error is attached as the cause.`,
    { cause: error, ...providerOption },
  );
}
