import { AgentryError } from '../errors';
import { redactingLogger, silentLogger } from '../logging';
import {
  matchRoute,
  normalizeBasePath,
  parseListExecutionsQuery,
  type Route,
  routeMethods,
  routeSegments,
} from '../protocol';
import { corsHeaders, guardedCors, preflightResponse } from './cors';
import { createExecutionRoutes } from './execution-routes';
import type { AgentryHandler, HandlerOptions } from './handler-options';
import { createHealthRoute } from './health-route';
import { readJsonBody, UnsupportedMediaTypeError } from './read-json-body';
import { createResponder, handlerRedactor } from './responses';
import { saveRun, withSavePermission } from './save-run';
import { createTenantResolution } from './tenant-resolution';
import { createTestCaseRoutes } from './test-case-routes';

export type { AgentryHandler, HandlerExecutor, HandlerOptions, ResolveTenant } from './handler-options';

/**
 * Creates the HTTP handler for Agentry's wire protocol (see docs/server.md):
 *
 * | route | answers |
 * |---|---|
 * | `GET  {basePath}/agents` | the tenant's agents (`AgentSummary[]`) |
 * | `POST {basePath}/agents/:id/executions` | the `ExecutionResult`, or SSE `ExecutionEvent`s with `Accept: text/event-stream` |
 * | `GET  {basePath}/executions?agentId=&limit=&cursor=` | the tenant's history (`ExecutionPage`) |
 * | `GET  {basePath}/executions/:id` | one of the tenant's executions |
 * | `POST {basePath}/executions/:id/cancel` | cancels it wherever it runs; its record once ended (idempotent) |
 * | `GET  {basePath}/executions/:id/events` | its events as SSE with ids; `Last-Event-ID` resumes |
 * | `GET  {basePath}/health` | the `HealthReport` (503 when `down`) |
 * | `GET  {basePath}/agents/:id/test-cases` | the tenant's saved test cases of the agent (with `testCases`) |
 * | `POST {basePath}/agents/:id/test-cases` | saves one (201); `PUT`/`DELETE …/test-cases/:caseId` change or delete it |
 *
 * Errors are `application/problem+json`. Runs that started and then failed or were
 * cancelled answer 200 with their record (its `status` says how it ended): the request
 * succeeded in producing a record. The handler uses only web APIs (`Request`, `Response`,
 * streams), so it runs in any fetch-style runtime.
 */
export function createHandler(options: HandlerOptions): AgentryHandler {
  const { executor } = options;
  const basePath = normalizeBasePath(options.basePath);
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const redactor = handlerRedactor(options.secrets ?? [], executor.redactor);
  const logger = redactingLogger(options.logger ?? silentLogger, redactor);
  const cors = guardedCors(options.cors, logger, redactor);
  const responder = createResponder(redactor, logger);
  const { json, problem } = responder;
  const tenants = createTenantResolution(options.resolveTenant, logger);
  const health = createHealthRoute({
    executor,
    healthAccess: options.healthAccess ?? 'public',
    tenants,
    responder,
  });
  const executions = createExecutionRoutes({
    executor,
    responder,
    redactor,
    // The executor redacted its deltas as one text with this same redactor: no need to again.
    redactDeltas: redactor !== executor.redactor,
    maxBodyBytes,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    keepRunning: options.streamDisconnect === 'continue',
  });
  const testCaseRoute = createTestCaseRoutes({
    options: options.testCases,
    listAgents: (tenant) => executor.listAgents(tenant),
    maxBodyBytes,
  });

  async function dispatch(request: Request, route: Route, extra: Record<string, string>): Promise<Response> {
    if (route.name === 'health') return health(request, extra);
    const tenant = await tenants.required(request);
    switch (route.name) {
      case 'agents':
        return json(
          await withSavePermission(options.saveRuns, await executor.listAgents(tenant), tenant, request),
          200,
          extra,
        );
      case 'execute':
        return executions.execute(request, route.agentId, tenant, extra);
      case 'executions':
        return json(
          await executor.listExecutions(tenant, parseListExecutionsQuery(new URL(request.url).searchParams)),
          200,
          extra,
        );
      case 'execution':
        return json(await executor.getExecution(tenant, route.executionId), 200, extra);
      case 'cancel':
        return json(await executor.cancel(tenant, route.executionId), 200, extra);
      case 'events':
        return executions.events(request, route.executionId, tenant, extra);
      // --- tapes (issue 14) ---
      case 'saveRun': {
        const body = await readJsonBody(request, maxBodyBytes);
        const context = { tenant, executionId: route.executionId, request, body };
        const getExecution = executor.getExecution.bind(executor);
        return json(await saveRun(options.saveRuns, getExecution, context), 201, extra);
      }
      // --- end tapes ---
      // ---- test cases ----
      case 'test-cases':
      case 'test-case': {
        const answer = await testCaseRoute(request, route, tenant);
        if (answer.status !== 204) return json(answer.body, answer.status, extra);
        return responder.noContent(extra);
      }
      // ---- end test cases ----
      default:
        return route satisfies never;
    }
  }

  return async function handle(request: Request): Promise<Response> {
    const origin = request.headers.get('origin');
    const extra = corsHeaders(cors, origin);
    try {
      const url = new URL(request.url);
      const segments = routeSegments(url.pathname, basePath);
      const route = segments === undefined ? undefined : matchRoute(segments);
      if (route === undefined) {
        throw new AgentryError(
          'not_found',
          `No route ${request.method} ${url.pathname}. See docs/server.md for the routes.`,
        );
      }
      const methods = routeMethods(route.name);
      const allowed = methods.join(', ');
      if (request.method === 'OPTIONS' && cors !== undefined) {
        return preflightResponse(cors, origin, [...methods, 'OPTIONS']);
      }
      if (!(methods as readonly string[]).includes(request.method)) {
        const allow = cors === undefined ? allowed : `${allowed}, OPTIONS`;
        return problem(
          new AgentryError(
            'not_found',
            `${request.method} is not allowed on ${url.pathname}; use ${methods.join(' or ')}.`,
          ),
          { ...extra, allow },
          request,
          'method_not_allowed',
        );
      }
      return await dispatch(request, route, extra);
    } catch (error) {
      if (error instanceof UnsupportedMediaTypeError) return problem(error, extra, request, 'unsupported_media_type');
      return problem(error, extra, request);
    }
  };
}
