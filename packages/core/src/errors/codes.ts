/**
 * Every error Agentry raises carries one of these stable codes. The table is the single
 * source of truth for each code's HTTP status, whether a retry can help, and the
 * message a UI may show to an end user.
 */
export const ERROR_CODES = {
  validation_failed: {
    status: 400,
    retryable: false,
    userMessage: 'The input does not match what this agent expects. Fix the fields listed and try again.',
  },
  invalid_json: {
    status: 400,
    retryable: false,
    userMessage: 'The request body is not valid JSON. Check the position shown and try again.',
  },
  input_too_large: {
    status: 413,
    retryable: false,
    userMessage: 'The input is larger than this agent accepts. Shorten it and try again.',
  },
  tenant_required: {
    status: 401,
    retryable: false,
    userMessage: 'You are not signed in to a workspace. Sign in and try again.',
  },
  auth_unavailable: {
    status: 503,
    retryable: true,
    userMessage:
      'Sign-in cannot be checked right now because the sign-in service is unreachable. Try again in a moment.',
  },
  not_found: {
    status: 404,
    retryable: false,
    userMessage: 'That agent or execution does not exist in this workspace.',
  },
  forbidden: {
    status: 403,
    retryable: false,
    userMessage: 'You are not allowed to do this here. Ask an administrator for access if you need it.',
  },
  live_disabled: {
    status: 403,
    retryable: false,
    userMessage: 'Live mode is turned off here. Use mock mode, or ask an administrator to enable live mode.',
  },
  provider_not_configured: {
    status: 503,
    retryable: false,
    userMessage:
      'The model provider for this agent is not set up on the server. Use mock mode or ask an administrator.',
  },
  provider_error: {
    status: 502,
    retryable: true,
    userMessage: 'The model provider returned an error. Try again in a moment.',
  },
  provider_auth_failed: {
    status: 502,
    retryable: false,
    userMessage: 'The server could not authenticate with the model provider. An administrator must check the API key.',
  },
  rate_limited: {
    status: 429,
    retryable: true,
    userMessage: 'Too many requests right now. Wait a few seconds and try again.',
  },
  timeout: {
    status: 504,
    retryable: true,
    userMessage: 'The agent took too long to answer. Try again, or shorten the input.',
  },
  cancelled: {
    status: 499,
    retryable: false,
    userMessage: 'The run was stopped before it finished.',
  },
  output_invalid: {
    status: 502,
    retryable: false,
    userMessage: 'The agent answered, but not in the expected format. Try again or adjust the prompt.',
  },
  max_steps_reached: {
    status: 502,
    retryable: false,
    userMessage:
      'The agent kept calling tools and did not finish within its step limit. Try again with a simpler request, or raise the limit.',
  },
  tool_call_invalid: {
    status: 502,
    retryable: false,
    userMessage:
      'The agent kept calling its tools wrongly (an unknown tool or invalid arguments). Try again or adjust the prompt.',
  },
  tool_failed: {
    status: 500,
    retryable: false,
    userMessage: "One of the agent's tools failed. Try again; if it keeps happening, contact support.",
  },
  limit_exceeded: {
    status: 429,
    retryable: true,
    userMessage: 'This workspace has reached its limit of runs at once. Wait for a run to finish and try again.',
  },
  budget_exceeded: {
    status: 429,
    retryable: false,
    userMessage:
      'This workspace has used its budget for now. It resets at the time shown; an administrator can raise it.',
  },
  interrupted: {
    status: 503,
    retryable: true,
    userMessage: 'The run stopped because the server running it went away. Run it again.',
  },
  not_agentry_endpoint: {
    status: 502,
    retryable: false,
    userMessage:
      'The address this app uses for Agentry answered, but it is not an Agentry endpoint. The app needs its Agentry URL or routing fixed.',
  },
  internal: {
    status: 500,
    retryable: false,
    userMessage: 'Something went wrong on our side. Try again; if it keeps happening, contact support.',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; userMessage: string }>;

/** A stable, machine-readable error code. */
export type AgentryErrorCode = keyof typeof ERROR_CODES;

/** Which family an error belongs to, for UIs that show one callout per family. */
export type AgentryErrorFamily = 'input' | 'access' | 'provider' | 'limit' | 'cancelled' | 'internal';

const FAMILIES: Record<AgentryErrorCode, AgentryErrorFamily> = {
  validation_failed: 'input',
  invalid_json: 'input',
  input_too_large: 'input',
  output_invalid: 'provider',
  max_steps_reached: 'provider',
  tool_call_invalid: 'provider',
  tool_failed: 'internal',
  tenant_required: 'access',
  auth_unavailable: 'access',
  not_found: 'access',
  // The host's permission check said no to this user (e.g. saving runs); the thing itself exists in their workspace.
  forbidden: 'access',
  live_disabled: 'access',
  provider_not_configured: 'provider',
  provider_error: 'provider',
  provider_auth_failed: 'provider',
  rate_limited: 'limit',
  limit_exceeded: 'limit',
  budget_exceeded: 'limit',
  timeout: 'limit',
  cancelled: 'cancelled',
  // The server running it died: nothing the user did, and running again helps.
  interrupted: 'internal',
  // A setup problem (a wrong baseUrl, an SPA fallback answering the API path): nothing the user can fix.
  not_agentry_endpoint: 'internal',
  internal: 'internal',
};

/** The family of an error code (input, access, provider, limit, cancelled, internal). */
export function errorFamily(code: AgentryErrorCode): AgentryErrorFamily {
  return FAMILIES[code];
}

/** True when `value` is one of Agentry's error codes. */
export function isAgentryErrorCode(value: unknown): value is AgentryErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
