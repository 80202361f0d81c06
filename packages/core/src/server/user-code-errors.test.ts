// The handler's own calls into host code (resolveTenant, the CORS origins predicate): what they
// throw is answered generically and logged redacted, never echoed.
import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { jsonLogger } from '../logging';
import { createHandler, type HandlerOptions } from './create-handler';
import { SECRET, testExecutor } from './loopback.test-support';

const MARKER = 'zq-MARKER-5582';
const FAKE_KEY = 'sk-proj-FAKEKEY0123456789abcdef';
const RAW = `${MARKER}: session store at redis://:${SECRET}@cache.internal refused ${FAKE_KEY}`;
const tenant = { tenantId: 'ws_a', userId: 'u_1' };

function boom(): never {
  throw new Error(RAW);
}

function setup(options: Partial<HandlerOptions> = {}) {
  const lines: string[] = [];
  const handler = createHandler({
    executor: testExecutor(),
    resolveTenant: () => tenant,
    logger: jsonLogger({ level: 'debug', write: (line) => lines.push(line) }),
    heartbeatMs: 0,
    ...options,
  });
  return { handler, lines };
}

/** A request to every route, with the method it allows. */
const ROUTES: [method: string, path: string][] = [
  ['GET', '/agents'],
  ['POST', '/agents/echo/executions'],
  ['GET', '/executions'],
  ['GET', '/executions/exe_1'],
  ['GET', '/health'],
];

function request([method, path]: [string, string], headers: Record<string, string> = {}): Request {
  return new Request(`http://app.test${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: 'https://app.example.com', ...headers },
    ...(method === 'POST' ? { body: JSON.stringify({ input: { text: 'hi' } }) } : {}),
  });
}

function expectClean(where: string, text: string): void {
  expect(text, where).not.toContain(MARKER);
  expect(text, where).not.toContain(SECRET);
  expect(text, where).not.toContain(FAKE_KEY);
}

function expectLogged(lines: string[]): void {
  const log = lines.join('\n');
  expect(log).toContain(MARKER);
  expect(log).not.toContain(SECRET);
  expect(log).not.toContain(FAKE_KEY);
}

describe('resolveTenant that throws', () => {
  it.each(ROUTES)('%s %s answers a generic 401 and logs the words', async (method, path) => {
    const { handler, lines } = setup({ resolveTenant: () => boom(), healthAccess: 'tenant' });
    const response = await handler(request([method, path]));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'tenant_required' });
    expectClean(`${method} ${path}`, text);
    expectLogged(lines);
  });

  it('a deliberate AgentryError from resolveTenant is answered as thrown, redacted', async () => {
    const { handler } = setup({
      resolveTenant: () => {
        throw new AgentryError('tenant_required', `Your session expired (${SECRET}): sign in again.`);
      },
    });
    const response = await handler(request(ROUTES[0] as [string, string]));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ detail: 'Your session expired ([REDACTED]): sign in again.' });
  });
});

describe('a CORS origins predicate that throws', () => {
  it.each(ROUTES)('%s %s still answers, denies the origin (fail closed) and logs the words', async (method, path) => {
    const { handler, lines } = setup({ cors: { origins: () => boom() } });
    const response = await handler(request([method, path]));
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expectClean(`${method} ${path}`, `${[...response.headers].join('\n')}\n${await response.text()}`);
    expectLogged(lines);
  });

  it('a preflight answers 204 without allowing the origin', async () => {
    const { handler, lines } = setup({ cors: { origins: () => boom() } });
    const response = await handler(request(['OPTIONS', '/agents'], { 'access-control-request-method': 'GET' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expectLogged(lines);
  });

  it('a predicate that answers a promise does not allow every origin (fail closed)', async () => {
    const { handler } = setup({ cors: { origins: (async () => true) as never } });
    const response = await handler(request(ROUTES[0] as [string, string]));
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
