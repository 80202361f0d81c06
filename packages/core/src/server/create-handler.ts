import { AgentryError, isAgentryError, toAgentryError } from '../errors';
import type { Executor } from '../executor/types';
import { logUnexpectedError } from '../internal/unexpected-error';
import {
  composeRedactors,
  createRedactor,
  type Logger,
  type Redactor,
  redactingLogger,
  type Secret,
  silentLogger,
} from '../logging';
import {
  acceptsEventStream,
  type ExecutionEvent,
  type ExecutionEventEntry,
  type HealthReport,
  JSON_CONTENT_TYPE,
  matchRoute,
  normalizeBasePath,
  type ProtocolProblem,
  parseExecutionRequestBody,
  parseLastEventId,
  parseListExecutionsQuery,
  type Route,
  routeMethods,
  routeSegments,
  toProblem,
  withUtf8,
} from '../protocol';
import { assertTenant, type TenantContext } from '../tenant';
import { type CorsOptions, corsHeaders, preflightResponse } from './cors';
import { problemResponse, redactHeaders } from './problem-response';
import { readJsonBody, UnsupportedMediaTypeError } from './read-json-body';
import { type HandlerRunSaver, saveRun, withSavePermission } from './save-run';
import { createEventStreamResponse } from './sse-response';
import { createTestCaseRoutes, type TestCaseRoutesOptions } from './test-case-routes';

/** The part of an {@link Executor} the handler calls. A real executor fits; so does a test double. */
export type HandlerExecutor = Pick<
  Executor,
  'execute' | 'stream' | 'listAgents' | 'listExecutions' | 'getExecution' | 'cancel' | 'events' | 'health'
> & {
  /** The executor's redactor (the real executor has one, knowing its providers' keys). */
  readonly redactor?: Redactor;
};

/** Finds who is asking. Return nothing (or throw) for an anonymous request: the handler answers 401. */
export type ResolveTenant = (
  request: Request,
) => TenantContext | null | undefined | Promise<TenantContext | null | undefined>;

/** Options for {@link createHandler}. */
export interface HandlerOptions {
  /** The executor that runs agents and keeps history. */
  executor: HandlerExecutor;
  /**
   * The only source of the tenant: read your session cookie or verify your JWT here.
   * Tenant ids in request bodies, query strings or headers are never read by the handler.
   * Returning `null`/`undefined` answers 401 `tenant_required`; so does throwing (the error
   * is logged) unless you throw an `AgentryError`, whose code is then answered.
   */
  resolveTenant: ResolveTenant;
  /**
   * The path the handler is mounted at, as the client sees it (Express's mount path included).
   * @default ''
   * @example '/api/agentry'
   */
  basePath?: string;
  /** Cross-origin access for browsers on other origins. @default undefined (same-origin only) */
  cors?: CorsOptions;
  /**
   * Largest request body, in bytes, enforced while the body streams in (not after buffering it).
   * The executor's `maxInputBytes` still bounds the input itself.
   * @default 1_048_576
   */
  maxBodyBytes?: number;
  /** Milliseconds between `: ping` comments on an idle event stream. `0` disables them. @default 15_000 */
  heartbeatMs?: number;
  /**
   * Where unexpected errors are logged (redacted): `agentry.http.internal_error` with the
   * method, the path (no query string) and the error's own message, which the response
   * never carries. Request bodies are never logged.
   * @default silentLogger
   */
  logger?: Logger;
  /**
   * Values that must never appear in a response (API keys, service tokens). Added to the
   * executor's own redactor, which already knows its providers' keys.
   * @default []
   */
  secrets?: readonly (string | Secret)[];
  /**
   * Whether `GET /health` needs a tenant. Load balancers usually call it anonymously: with
   * `'public'`, a request `resolveTenant` does not recognise gets the overall status, the kill
   * switch and each provider's `status`, `configured` and `latencyMs`, but not the providers'
   * `message`s (they can name internal hosts). A recognised tenant gets the full report.
   * `'tenant'` answers 401 to anonymous requests. Never shows keys either way.
   * @default 'public'
   */
  healthAccess?: 'public' | 'tenant';
  /**
   * What a client that drops a run's event stream (`POST …/executions` with SSE) does to the run.
   * `'cancel'` stops it (nobody is reading). `'continue'` lets it finish, so the client can resume
   * its stream with `GET /executions/:id/events` and `Last-Event-ID` (the client does so on its
   * own), on this instance or another; it can still be stopped with `POST /executions/:id/cancel`.
   * Leaving `GET /executions/:id/events` never cancels a run.
   * @default 'cancel'
   */
  streamDisconnect?: 'cancel' | 'continue';
  // --- tapes (issue 14) ---
  /**
   * Lets users the host allows save a completed live run as a tape or a mock from the TestPanel
   * (`POST /executions/:id/tape`; `GET /agents` says `canSaveRuns`). Off when absent; with it,
   * still nobody unless its `canSave` says so. `createRunSaver({ store, capture, canSave })` of
   * `@agentry/core/tapes` builds one.
   */
  saveRuns?: HandlerRunSaver;
  // --- end tapes ---
  // ---- test cases (issue 16 item 8) ----
  /**
   * Saved test cases (`GET`/`POST /agents/:id/test-cases`, `PUT`/`DELETE …/test-cases/:caseId`),
   * kept per tenant and agent in `store`. Without it those routes answer 404.
   * @default undefined (off)
   * @example { store: createPostgresTestCaseStore({ pool }) }
   */
  testCases?: TestCaseRoutesOptions;
  // ---- end test cases ----
}

/**
 * The executor's events with their ids: the nth event of an execution has id n (see
 * `ExecutionEventEntry`). `detach`: closing it does not close the run's stream (which would
 * cancel the run) but reads it to its end unseen, so the run finishes and its log stays whole.
 */
function numbered(iterator: AsyncIterator<ExecutionEvent>, detach: boolean): AsyncIterator<ExecutionEventEntry> {
  let id = 0;
  return {
    async next() {
      const next = await iterator.next();
      if (next.done) return { done: true, value: undefined };
      id += 1;
      return { done: false, value: { id, event: next.value } };
    },
    async return() {
      if (!detach) await iterator.return?.();
      else
        void (async () => {
          while (!(await iterator.next()).done);
        })().catch(() => undefined);
      return { done: true, value: undefined };
    },
  };
}

/** A web-standard request handler: Next.js route handlers, Hono, Bun, Deno, Workers, and Node through `toNodeListener`. */
export type AgentryHandler = (request: Request) => Promise<Response>;

/**
 * CORS options whose `origins` predicate (your code) cannot break a request: one that throws
 * denies the origin (fail closed), and what it threw is logged, redacted, never answered.
 */
function guardedCors(cors: CorsOptions | undefined, logger: Logger, redactor: Redactor): CorsOptions | undefined {
  const origins = cors?.origins;
  if (cors === undefined || typeof origins !== 'function') return cors;
  return {
    ...cors,
    origins: (origin) => {
      try {
        return origins(origin) === true;
      } catch (error) {
        logUnexpectedError(logger, redactor, 'agentry.user_code.failed', error, { site: 'cors.origins' });
        return false;
      }
    },
  };
}

/** The handler's redactor: the executor's (which knows its providers' keys), plus the handler's own secrets. */
function handlerRedactor(secrets: readonly (string | Secret)[], executorRedactor: Redactor | undefined): Redactor {
  // One pass when there is nothing to add: every response is redacted, so this is on the hot path.
  if (executorRedactor !== undefined && secrets.length === 0) return executorRedactor;
  const first = createRedactor(secrets);
  const second = executorRedactor;
  if (second === undefined) return first;
  // Composed (not two calls in a row) so that event streams stay streaming: see createStreamRedactor.
  return composeRedactors(first, second);
}

/** The health report for an anonymous caller: statuses and timings, not the providers' messages. */
function anonymousHealth(report: HealthReport): HealthReport {
  const providers: HealthReport['providers'] = {};
  for (const [id, health] of Object.entries(report.providers)) {
    providers[id] = {
      status: health.status,
      configured: health.configured,
      ...(health.latencyMs === undefined ? {} : { latencyMs: health.latencyMs }),
      ...(health.live === undefined ? {} : { live: health.live }),
    };
  }
  return { ...report, providers };
}

function isEmpty(record: Record<string, string>): boolean {
  for (const _ in record) return false;
  return true;
}

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
  const { executor, resolveTenant } = options;
  const basePath = normalizeBasePath(options.basePath);
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const healthAccess = options.healthAccess ?? 'public';
  const keepRunning = options.streamDisconnect === 'continue';
  const redactor = handlerRedactor(options.secrets ?? [], executor.redactor);
  // The executor redacted its deltas as one text with this same redactor: no need to again.
  const redactDeltas = redactor !== executor.redactor;
  const logger = redactingLogger(options.logger ?? silentLogger, redactor);
  const cors = guardedCors(options.cors, logger, redactor);
  const testCaseRoute = createTestCaseRoutes({
    options: options.testCases,
    listAgents: (tenant) => executor.listAgents(tenant),
    maxBodyBytes,
  });

  const jsonHeaders: Record<string, string> = redactHeaders(
    {
      'content-type': withUtf8(JSON_CONTENT_TYPE),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    redactor,
  );

  function json(value: unknown, status: number, extra: Record<string, string>): Response {
    const headers = isEmpty(extra) ? jsonHeaders : { ...jsonHeaders, ...redactHeaders(extra, redactor) };
    return new Response(JSON.stringify(redactor.redactValue(value)), { status, headers });
  }

  /** Internal errors answer a generic problem; their own words are logged here, redacted, and nowhere else. */
  function logIfInternal(error: unknown, request: Request): void {
    if (isAgentryError(error) && error.code !== 'internal') return;
    logUnexpectedError(logger, redactor, 'agentry.http.internal_error', error, {
      method: request.method,
      path: new URL(request.url).pathname,
    });
  }

  function problem(
    error: unknown,
    extra: Record<string, string>,
    request: Request,
    protocol?: ProtocolProblem,
  ): Response {
    logIfInternal(error, request);
    return problemResponse(toProblem(error, protocol), redactor, extra);
  }

  async function tenantOf(request: Request): Promise<TenantContext> {
    let tenant: TenantContext | null | undefined;
    try {
      tenant = await resolveTenant(request);
    } catch (error) {
      if (isAgentryError(error)) throw error;
      logger.warn('agentry.server.resolve_tenant_failed', { error: toAgentryError(error) });
      throw new AgentryError('tenant_required', 'The request could not be authenticated: sign in and try again.');
    }
    if (tenant === null || tenant === undefined) {
      throw new AgentryError('tenant_required', 'The request is not signed in to a workspace: sign in and try again.');
    }
    assertTenant(tenant);
    return tenant;
  }

  /** The tenant when `resolveTenant` recognises the request, else `undefined` (never throws). */
  async function optionalTenant(request: Request): Promise<TenantContext | undefined> {
    try {
      const tenant = await resolveTenant(request);
      if (tenant === null || tenant === undefined) return undefined;
      assertTenant(tenant);
      return tenant;
    } catch {
      return undefined;
    }
  }

  async function health(request: Request, extra: Record<string, string>): Promise<Response> {
    // `tenantOf` answers 401 for anonymous callers; `optionalTenant` lets them through with less.
    const tenant = healthAccess === 'tenant' ? await tenantOf(request) : await optionalTenant(request);
    const full = tenant !== undefined;
    const report = await executor.health(tenant ? { signal: request.signal, tenant } : { signal: request.signal });
    return json(full ? report : anonymousHealth(report), report.status === 'down' ? 503 : 200, extra);
  }

  async function execute(
    request: Request,
    agentId: string,
    tenant: TenantContext,
    extra: Record<string, string>,
  ): Promise<Response> {
    const body = parseExecutionRequestBody(await readJsonBody(request, maxBodyBytes));
    const wantsStream = acceptsEventStream(request.headers.get('accept'));
    const base = {
      agentId,
      input: body.input,
      mode: body.mode,
      tenant,
      ...(body.seed === undefined ? {} : { seed: body.seed }),
    };
    if (!wantsStream) {
      const record = await executor.execute({ ...base, signal: request.signal });
      return json(record, 200, extra);
    }
    // Cancel on either a disconnect the runtime reports (request.signal) or the body being cancelled,
    // unless runs outlive their streams (`streamDisconnect: 'continue'`).
    const controller = new AbortController();
    const signal = keepRunning ? undefined : AbortSignal.any([request.signal, controller.signal]);
    const iterator = numbered(
      executor
        .stream({ ...base, ...(signal ? { signal } : {}) })
        [Symbol.asyncIterator]() as AsyncIterator<ExecutionEvent>,
      keepRunning,
    );
    const first = await iterator.next();
    if (first.done) {
      throw new AgentryError('internal', 'The executor ended the stream without any event.');
    }
    return createEventStreamResponse({
      first: first.value,
      iterator,
      heartbeatMs,
      redactor,
      redactDeltas,
      headers: extra,
      onCancel: () => controller.abort(new AgentryError('cancelled', 'The client disconnected.')),
      onError: (error) => logIfInternal(error, request),
    });
  }

  /** `GET /executions/:id/events`: the log so far (after `Last-Event-ID`), then live, as SSE. */
  async function events(
    request: Request,
    executionId: string,
    tenant: TenantContext,
    extra: Record<string, string>,
  ): Promise<Response> {
    const header = request.headers.get('last-event-id');
    const lastEventId = parseLastEventId(header);
    if (lastEventId === undefined) {
      throw new AgentryError(
        'validation_failed',
        `The Last-Event-ID header must be the id of an event received from this execution (an integer ≥ 0), got ${JSON.stringify(header?.slice(0, 40))}. Send it as received, or leave it out to replay from the start.`,
        { issues: [{ path: ['Last-Event-ID'], message: 'Expected an integer ≥ 0.' }] },
      );
    }
    const controller = new AbortController();
    const signal = AbortSignal.any([request.signal, controller.signal]);
    const iterator = executor
      .events(tenant, executionId, { lastEventId, signal })
      [Symbol.asyncIterator]() as AsyncIterator<ExecutionEventEntry>;
    // Refusals (404, 400) come from the first read, before the response starts.
    const first = await iterator.next();
    return createEventStreamResponse({
      first: first.done ? undefined : first.value,
      iterator,
      heartbeatMs,
      redactor,
      redactDeltas,
      headers: extra,
      onCancel: () => controller.abort(),
      onError: (error) => logIfInternal(error, request),
    });
  }

  async function dispatch(request: Request, route: Route, extra: Record<string, string>): Promise<Response> {
    if (route.name === 'health') return health(request, extra);
    const tenant = await tenantOf(request);
    switch (route.name) {
      case 'agents':
        return json(
          await withSavePermission(options.saveRuns, await executor.listAgents(tenant), tenant, request),
          200,
          extra,
        );
      case 'execute':
        return execute(request, route.agentId, tenant, extra);
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
        return events(request, route.executionId, tenant, extra);
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
        return new Response(null, {
          status: 204,
          headers: { 'cache-control': 'no-store', ...redactHeaders(extra, redactor) },
        });
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
