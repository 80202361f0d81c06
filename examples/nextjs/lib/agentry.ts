import { createExecutor, jsonLogger } from '@agentry/core';
import { reportExecutionErrors } from '@agentry/core/sentry';
import { createHandler } from '@agentry/core/server';
import * as Sentry from '@sentry/node';
import { agents } from './agents';
import { resolveTenant } from './session';

// One executor per server process. Live mode needs a provider: add
// `providers: { openai: openaiProvider({ apiKey: process.env.OPENAI_API_KEY }) }`
// from `@agentry/core/openai`. Without it the panel shows live as unavailable.
const executor = createExecutor({
  agents,
  live: { enabled: process.env.AGENTRY_LIVE !== 'off' },
  logger: jsonLogger(),
  limits: { timeoutMs: { mock: 2_000, live: 30_000 } },
  // Each failed execution becomes a Sentry event tagged tenant_id, agent_id, execution_id and
  // mode (sentry.server.config.ts starts Sentry when SENTRY_DSN is set; otherwise a no-op).
  onEvent: reportExecutionErrors(Sentry),
});

/** The Agentry wire protocol, mounted at `/api/agentry` by `app/api/agentry/[...path]/route.ts`. */
export const agentryHandler = createHandler({ executor, resolveTenant, basePath: '/api/agentry' });
