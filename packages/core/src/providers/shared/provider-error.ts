import { AgentryError } from '../../errors';
import type { ErrorBase } from './sdk-errors';
import type { ServerLabel } from './server-label';

/** What a provider said about one error: from the HTTP status line, or from an error object in a 200 body or stream. */
export interface ProviderErrorFacts {
  /** The HTTP status, or the status an in-body error names; `undefined` when neither is known. */
  status?: number | undefined;
  /** The provider's error type (`invalid_request_error`, `overloaded_error`, `BadRequestError`, …). */
  type?: string | undefined;
  /** The provider's error code (`rate_limit_exceeded`, `insufficient_quota`, `tool_use_failed`, …). */
  code?: string | undefined;
  /** The provider's message, already scrubbed, as `: message` (or `''`). */
  message: string;
  /** How long the provider asked to wait, from headers or the error body. */
  retryAfterMs?: number | undefined;
  /** `stream`: an error event inside a stream whose status was 200; `body`: an error object in a 200 JSON body; `http`: the status line. */
  where: 'http' | 'stream' | 'body';
}

/** Error types and codes that imply a status, for errors that arrive without one (inside a stream). */
const STATUS_BY_NAME: Readonly<Record<string, number>> = {
  // OpenAI, Groq, Anthropic types
  invalidrequesterror: 400,
  authenticationerror: 401,
  invalidapikey: 401,
  billingerror: 402,
  permissionerror: 403,
  notfounderror: 404,
  modelnotfound: 404,
  requesttoolarge: 413,
  ratelimiterror: 429,
  ratelimitexceeded: 429,
  insufficientquota: 429,
  apierror: 500,
  servererror: 500,
  internalerror: 500,
  timeouterror: 504,
  overloadederror: 529,
  // vLLM and SGLang send the Python exception name as `type`
  badrequesterror: 400,
  unauthorizederror: 401,
  permissiondeniederror: 403,
  unprocessableentityerror: 422,
  internalservererror: 500,
  serviceunavailableerror: 503,
};

function nameKey(value: string | undefined): string {
  return (value ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The status to classify by: the one given, else the one the type or code implies. */
export function effectiveStatus(facts: Pick<ProviderErrorFacts, 'status' | 'type' | 'code'>): number | undefined {
  if (facts.status !== undefined) return facts.status;
  return STATUS_BY_NAME[nameKey(facts.code)] ?? STATUS_BY_NAME[nameKey(facts.type)];
}

/** `HTTP 429, requests, rate_limit_exceeded` (or `status 400, …` when the status came from a 200 body). */
function describe(facts: ProviderErrorFacts): string {
  const status =
    facts.status === undefined ? undefined : facts.where === 'http' ? `HTTP ${facts.status}` : `status ${facts.status}`;
  // Type and code come from the server's body: bounded, so a hostile server cannot flood the message.
  const parts = [status, facts.type?.slice(0, 64), facts.code?.slice(0, 64)].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return [...new Set(parts)].join(', ') || 'no status, type or code';
}

function lead(server: ServerLabel, facts: ProviderErrorFacts): string {
  switch (facts.where) {
    case 'http':
      return `${server.name} error`;
    case 'stream':
      return `${server.name} reported an error mid-stream`;
    case 'body':
      return `${server.name} answered with an error`;
    default:
      return facts.where satisfies never;
  }
}

/**
 * The one classifier for provider errors, whether they came as an HTTP status or inside a 200
 * stream or body: 401/403 → `provider_auth_failed`; 429 → `rate_limited` with the server's
 * retry-after (a quota that waiting cannot refill is not retried); 408/409/5xx/529 (overloaded) →
 * retryable `provider_error`; other 4xx → `provider_error`, not retried. An in-stream error with
 * no status, type or code at all is treated as transient (retryable).
 */
export function classifyProviderError(server: ServerLabel, facts: ProviderErrorFacts, base: ErrorBase): AgentryError {
  const status = effectiveStatus(facts);
  const details = describe(facts);
  const withRetryAfter = facts.retryAfterMs === undefined ? base : { ...base, retryAfterMs: facts.retryAfterMs };
  if (status === 401 || status === 403) {
    // The provider's message may echo part of the key, so it is left out.
    return new AgentryError(
      'provider_auth_failed',
      `${server.name} rejected the credentials (${details}). ${server.authHint}`,
      base,
    );
  }
  const quota = nameKey(facts.code) === 'insufficientquota' || nameKey(facts.type) === 'insufficientquota';
  if (status === 429 && quota) {
    // Waiting does not refill a quota: not retryable.
    return new AgentryError(
      'rate_limited',
      `${server.name} quota exhausted (${details})${facts.message}. Check the account's plan and billing.`,
      { ...withRetryAfter, retryable: false },
    );
  }
  if (status === 429) {
    const verb = facts.where === 'http' ? 'rate limit' : 'rate limit, reported mid-answer';
    return new AgentryError('rate_limited', `${server.name} ${verb} (${details})${facts.message}`, withRetryAfter);
  }
  const retryable = status === undefined || status === 408 || status === 409 || status >= 500;
  return new AgentryError('provider_error', `${lead(server, facts)} (${details})${facts.message}`, {
    ...withRetryAfter,
    retryable,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asStatus(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 100 && number <= 599 ? number : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function asSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
}

/** What an error object in a body or stream says, in any of the shapes servers use. */
export interface ErrorObjectFacts {
  status?: number;
  type?: string;
  code?: string;
  message?: string;
  retryAfterMs?: number;
}

/**
 * Reads an error object as servers send it inside a 200 stream or body:
 * OpenAI and Groq `{ message, type, code }`; OpenRouter `{ code: 429, message, metadata }` (the
 * status as a number in `code`); vLLM and SGLang `{ message, type: 'BadRequestError', code: 400 }`,
 * older vLLM with `object: 'error'` at the top; Anthropic `{ type: 'error', error: { type, message } }`;
 * and `status` / `status_code` where gateways put them. Retry hints: `retry_after_ms`, `retry_after`
 * and `retry_after_seconds` (seconds), also under `metadata`.
 */
export function readErrorObject(value: unknown): ErrorObjectFacts {
  if (typeof value === 'string') return asText(value) ? { message: value } : {};
  if (!isRecord(value)) return {};
  const inner = isRecord(value.error) ? value.error : value;
  const layers = inner === value ? [value] : [inner, value];
  const metadata = isRecord(inner.metadata) ? inner.metadata : undefined;
  const facts: ErrorObjectFacts = {};
  for (const layer of layers) {
    const status =
      asStatus(layer.status) ?? asStatus(layer.status_code) ?? asStatus(layer.statusCode) ?? asStatus(layer.code);
    if (status !== undefined) {
      facts.status = status;
      break;
    }
  }
  const type = asText(inner.type) ?? asText(metadata?.error_type);
  if (type !== undefined && type !== 'error') facts.type = type;
  if (typeof inner.code === 'string' && asStatus(inner.code) === undefined && asText(inner.code))
    facts.code = inner.code;
  const message = asText(inner.message) ?? (typeof inner.error === 'string' ? asText(inner.error) : undefined);
  if (message !== undefined) facts.message = message;
  const retryAfterMs =
    (typeof inner.retry_after_ms === 'number' ? asSeconds(inner.retry_after_ms / 1000) : undefined) ??
    asSeconds(inner.retry_after) ??
    asSeconds(inner.retry_after_seconds) ??
    asSeconds(metadata?.retry_after_seconds) ??
    asSeconds(metadata?.retry_after);
  if (retryAfterMs !== undefined) facts.retryAfterMs = retryAfterMs;
  return facts;
}
