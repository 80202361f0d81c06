// The options of `createHandler` and the types a host writes against: the executor it calls,
// how it finds the tenant, and the handler it returns.
import type { Executor } from '../executor/types';
import type { Logger, Redactor, Secret } from '../logging';
import type { TenantContext } from '../tenant';
import type { CorsOptions } from './cors';
import type { HandlerRunSaver } from './save-run';
import type { TestCaseRoutesOptions } from './test-case-routes';

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

/** Options for `createHandler`. */
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

/** A web-standard request handler: Next.js route handlers, Hono, Bun, Deno, Workers, and Node through `toNodeListener`. */
export type AgentryHandler = (request: Request) => Promise<Response>;
