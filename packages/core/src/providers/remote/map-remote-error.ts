// How an error the remote answered reads on this side: most codes kept, the ones about the
// caller's standing with the remote translated.
import type { AgentryErrorOptions } from '../../errors';
import { AgentryError, type AgentryErrorCode } from '../../errors';

/**
 * Re-codes an error the remote answered so it reads right on this side. Most codes are kept
 * (`rate_limited` with its retry-after, `timeout`, `validation_failed` with issues, …); codes
 * that describe the *caller's* standing with the remote are translated:
 * - `tenant_required`, `forbidden` → `provider_auth_failed` (the remote did not accept our credentials,
 *   or does not allow them this);
 * - `not_found` → `provider_not_configured` (the remote has no such agent for this tenant);
 * - `auth_unavailable` → `provider_error`, retryable (the remote could not check credentials);
 * - `not_agentry_endpoint` → `provider_not_configured` (`baseUrl` does not point at an Agentry handler);
 * - `invalid_json`, `internal`, an unrequested `cancelled` → `provider_error` (retryable for
 *   `internal` and `cancelled`).
 * The remote's execution id becomes `requestId`; this side's execution id is its own.
 */
export function mapRemoteError(error: AgentryError, provider: string): AgentryError {
  const translated: Partial<Record<AgentryErrorCode, AgentryErrorCode>> = {
    tenant_required: 'provider_auth_failed',
    forbidden: 'provider_auth_failed',
    not_found: 'provider_not_configured',
    auth_unavailable: 'provider_error',
    not_agentry_endpoint: 'provider_not_configured',
    invalid_json: 'provider_error',
    internal: 'provider_error',
    cancelled: 'provider_error',
  };
  const code = translated[error.code] ?? error.code;
  const options: AgentryErrorOptions = { provider, cause: error };
  if (code === error.code) {
    options.userMessage = error.userMessage;
    options.retryable = error.retryable;
  } else {
    options.retryable = error.code === 'internal' || error.code === 'cancelled' ? true : error.retryable;
  }
  if (error.issues !== undefined) options.issues = error.issues;
  const requestId = error.requestId ?? error.executionId;
  if (requestId !== undefined) options.requestId = requestId;
  if (error.retryAfterMs !== undefined) options.retryAfterMs = error.retryAfterMs;
  // The remote's own words for an internal error are whatever it threw; they stay in the cause (for logs).
  if (error.code === 'not_agentry_endpoint') {
    // Nothing the remote said: this side found the URL answering something else.
    const summary = error.message.slice(0, error.message.indexOf(').') + 2);
    return new AgentryError(
      code,
      `${summary} Check remoteProvider({ baseUrl }): it must be where the remote service mounts its Agentry handler.`,
      options,
    );
  }
  const message =
    error.code === 'internal'
      ? 'The remote agent service answered internal: an unexpected error on its side. Its own logs have the details.'
      : `${code === error.code ? 'The remote agent service answered' : `The remote agent service answered ${error.code}`}: ${error.message}`;
  return new AgentryError(code, message, options);
}
