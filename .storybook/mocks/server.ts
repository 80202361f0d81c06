/// <reference types="vite/client" />
// A simulated Agentry server inside the page: msw's service worker catches the
// TestPanel client's requests and answers them with the real `createHandler` (it uses
// only fetch-API types, so it runs in a browser) over an in-browser mock executor.
// No story needs a real server or an API key.
import type { AgentryError, Executor, TenantContext, TestCaseStore } from '@agentry/core';
import { type AgentryClient, createClient } from '@agentry/core/client';
import { createHandler } from '@agentry/core/server';
import { type AnyHandler, HttpResponse, http } from 'msw';
import { setupWorker } from 'msw/browser';
// Internal, not a public export: the stories answer a scripted error exactly as the server would.
import { toProblem } from '../../packages/core/src/protocol/problem';

/** The tenant every simulated request resolves to (the server never trusts one sent by the browser). */
export const STORY_TENANT: TenantContext = { tenantId: 'ws_design', userId: 'user_designer' };

/** Where the simulated server is mounted, below the page's own path (so it works under a sub-path too). */
export function apiBase(): URL {
  return new URL('api/agentry', document.baseURI);
}

const worker = setupWorker();
let started: Promise<unknown> | undefined;

/** Registers msw's service worker once (served from `.storybook/public` via `staticDirs`). */
export function startMockServer(): Promise<unknown> {
  started ??= worker.start({
    quiet: true,
    // Vite's own module requests pass through untouched.
    onUnhandledFrame: 'bypass',
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  });
  return started;
}

/** msw handlers that serve the whole wire protocol from `executor` (saved test cases when given a store). */
export function agentryServer(executor: Executor, options: { testCases?: TestCaseStore } = {}): AnyHandler[] {
  const base = apiBase();
  const handler = createHandler({
    executor,
    resolveTenant: () => STORY_TENANT,
    basePath: base.pathname,
    heartbeatMs: 0,
    ...(options.testCases ? { testCases: { store: options.testCases } } : {}),
  });
  return [http.all(`${base.href}/*`, ({ request }) => handler(request))];
}

/** A handler answering one route with the RFC 9457 problem the real server sends for `error`. */
export function problemAt(method: 'get' | 'post', path: string, error: AgentryError): AnyHandler {
  const problem = toProblem(error);
  return http[method](`${apiBase().href}${path}`, () =>
    HttpResponse.json(problem, {
      status: problem.status,
      headers: { 'content-type': 'application/problem+json' },
    }),
  );
}

/**
 * Points the simulated server at `handlers` (first match wins: put overrides before
 * `agentryServer(…)`) and returns a client for it, as the host app would create one.
 */
export async function serveAgentry(...handlers: AnyHandler[]): Promise<AgentryClient> {
  await startMockServer();
  worker.resetHandlers(...handlers);
  return createClient({ baseUrl: apiBase(), retry: 0 });
}
