import type { AgentSummary } from './agent-summary';
import type { ExecutionPage } from './execution-page';
import { type ExecutionResult, isExecutionRecord } from './execution-record';
import type { HealthReport } from './health-report';
import { notAgentryEndpoint } from './response-errors';

/** What a successful answer of the wire protocol holds, checked before the client trusts it. */
export interface AgentryBody<T> {
  /** What was expected, for the error message: `an agent list`. */
  readonly expected: string;
  is(value: unknown): value is T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `GET /agents`. */
export const AGENT_LIST: AgentryBody<AgentSummary[]> = {
  expected: 'an agent list',
  is: (value): value is AgentSummary[] =>
    Array.isArray(value) && value.every((agent) => isObject(agent) && typeof agent.id === 'string'),
};

/** `POST /agents/:id/executions` and `GET /executions/:id`. */
export const EXECUTION_RECORD: AgentryBody<ExecutionResult> = {
  expected: 'an execution record',
  is: isExecutionRecord,
};

/** `GET /executions`. */
export const EXECUTION_PAGE: AgentryBody<ExecutionPage> = {
  expected: 'a page of executions',
  is: (value): value is ExecutionPage => isObject(value) && Array.isArray(value.items),
};

/** `GET /health` (also answered with 503 when `down`). */
export const HEALTH_REPORT: AgentryBody<HealthReport> = {
  expected: 'a health report',
  is: (value): value is HealthReport =>
    isObject(value) && typeof value.status === 'string' && isObject(value.providers),
};

/**
 * Reads a successful answer as JSON of the expected shape. Anything else (an SPA's
 * `index.html` answered with 200, another API's JSON) rejects with `not_agentry_endpoint`,
 * naming the content type and the URL, instead of a `SyntaxError` about JSON.
 */
export async function readAgentryJson<T>(response: Response, url: string, body: AgentryBody<T>): Promise<T> {
  const text = await response.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw notAgentryEndpoint(response, url, body.expected);
  }
  if (!body.is(data)) throw notAgentryEndpoint(response, url, body.expected);
  return data;
}
