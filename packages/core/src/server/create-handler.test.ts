import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentryError, type AgentryErrorCode, ERROR_CODES } from '../errors';
import { createExecutor } from '../executor';
import type { LogFields, Logger } from '../logging';
import type { ExecutionResult, HealthReport } from '../protocol';
import { INTERNAL_ERROR_DETAIL } from '../protocol';
import type { ProviderAdapter } from '../providers';
import { mockProvider } from '../providers/mock';
import { createHandler, type HandlerExecutor } from './create-handler';
import {
  echoAgent,
  type Loopback,
  listen,
  resolveTenantFromSession,
  sessionCookie,
  testExecutor,
} from './loopback.test-support';
import { toNodeListener } from './node-listener';

const BASE = '/api/agentry';
const alice = sessionCookie('acme', 'alice');

let server: Loopback;
let lockedServer: Loopback;

beforeAll(async () => {
  const executor = testExecutor({
    limits: { maxRetries: 0, concurrencyPerTenant: 1, timeoutMs: { mock: 60_000, live: 60_000 } },
  });
  server = await listen(
    toNodeListener(createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: BASE })),
  );
  const locked = testExecutor({ live: { enabled: false, reason: 'Live is off for maintenance.' } });
  lockedServer = await listen(
    toNodeListener(createHandler({ executor: locked, resolveTenant: resolveTenantFromSession, basePath: BASE })),
  );
});

afterAll(async () => {
  await server.close();
  await lockedServer.close();
});

function call(path: string, init: RequestInit = {}, target: Loopback = server): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('cookie')) headers.set('cookie', alice);
  return fetch(`${target.origin}${BASE}${path}`, { ...init, headers });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}, target?: Loopback) {
  return call(
    path,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    target,
  );
}

async function expectProblem(response: Response, status: number, code: AgentryErrorCode) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code, type: expect.stringContaining(':') });
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  expect(problem.userMessage).toBe(ERROR_CODES[code].userMessage);
  return problem;
}

describe('GET /agents', () => {
  it("lists the tenant's agents with input JSON Schema, example and live availability", async () => {
    const response = await call('/agents');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const agents = (await response.json()) as Array<Record<string, unknown>>;
    const echo = agents.find((agent) => agent.id === 'echo');
    expect(echo).toMatchObject({
      name: 'Echo',
      example: { text: 'hello' },
      live: { available: true },
      modes: ['mock', 'live'],
      inputSchema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] },
    });
    expect(agents.find((agent) => agent.id === 'needs-openai')).toMatchObject({
      live: { available: false, reason: expect.stringContaining('openai') },
    });
  });

  it('says live is unavailable, and why, when the kill switch is off', async () => {
    const agents = (await (await call('/agents', {}, lockedServer)).json()) as Array<Record<string, unknown>>;
    expect(agents.find((agent) => agent.id === 'echo')).toMatchObject({
      live: { available: false, reason: 'Live is off for maintenance.' },
    });
  });
});

describe('POST /agents/:id/executions', () => {
  it('runs in mock mode and answers the record as JSON', async () => {
    const response = await post('/agents/echo/executions', { input: { text: 'hi' }, mode: 'mock' });
    expect(response.status).toBe(200);
    const record = (await response.json()) as ExecutionResult;
    expect(record).toMatchObject({
      status: 'succeeded',
      output: 'echo: hi',
      mode: 'mock',
      tenantId: 'acme',
      userId: 'alice',
    });
    expect(record.input).toEqual({ text: 'hi', shout: false });
  });

  it('defaults the mode to mock and runs live when asked', async () => {
    const mock = (await (await post('/agents/echo/executions', { input: { text: 'a' } })).json()) as ExecutionResult;
    expect(mock.mode).toBe('mock');
    const live = (await (
      await post('/agents/echo/executions', { input: { text: 'a' }, mode: 'live' })
    ).json()) as ExecutionResult;
    expect(live).toMatchObject({ mode: 'live', status: 'succeeded', output: 'live: a' });
  });

  it('answers 200 with a failed record (status in the body) when a started run fails', async () => {
    const response = await post('/agents/echo/executions', { input: { text: 'leak' }, mode: 'live' });
    expect(response.status).toBe(200);
    const record = (await response.json()) as ExecutionResult;
    expect(record.status).toBe('failed');
    if (record.status === 'failed') expect(record.error.code).toBe('provider_error');
  });

  it('streams ExecutionEvents as SSE with event, id and data lines', async () => {
    const response = await post(
      '/agents/echo/executions',
      { input: { text: 'one two' }, mode: 'live' },
      { accept: 'text/event-stream' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    const text = await response.text();
    const blocks = text.split('\n\n').filter((block) => block !== '' && !block.startsWith(':'));
    const events = blocks.map((block) => {
      const lines = block.split('\n');
      return {
        id: lines.find((line) => line.startsWith('id: '))?.slice(4),
        event: lines.find((line) => line.startsWith('event: '))?.slice(7),
        data: JSON.parse(
          lines
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n'),
        ) as { type: string; delta?: string },
      };
    });
    expect(events.map((event) => event.event)).toEqual([
      'execution-start',
      'output-delta',
      'output-delta',
      'output-delta',
      'usage',
      'execution-finish',
    ]);
    expect(events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events.map((event) => event.data.type)).toEqual(events.map((event) => event.event));
    expect(events.flatMap((event) => event.data.delta ?? []).join('')).toBe('live: one two');
  });
});

describe('GET /executions and /executions/:id', () => {
  it('lists history newest first, filtered and paged, and fetches one record', async () => {
    const first = (await (
      await post('/agents/echo/executions', { input: { text: 'first' } })
    ).json()) as ExecutionResult;
    const second = (await (
      await post('/agents/summarize/executions', { input: { text: 'second' } })
    ).json()) as ExecutionResult;

    const page = (await (await call('/executions?limit=1')).json()) as {
      items: ExecutionResult[];
      nextCursor?: string;
    };
    expect(page.items.map((item) => item.id)).toEqual([second.id]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = (await (await call(`/executions?limit=1&cursor=${page.nextCursor}`)).json()) as {
      items: ExecutionResult[];
    };
    expect(next.items.map((item) => item.id)).toEqual([first.id]);

    const onlySummarize = (await (await call('/executions?agentId=summarize')).json()) as {
      items: ExecutionResult[];
    };
    const ids = onlySummarize.items.map((item) => item.id);
    expect(ids).toContain(second.id);
    expect(ids).not.toContain(first.id);
    expect(onlySummarize.items.map((item) => item.agentId)).toEqual(ids.map(() => 'summarize'));

    const fetched = await call(`/executions/${first.id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(first);
  });
});

describe('GET /health', () => {
  it('reports providers and the kill switch without a session', async () => {
    const response = await fetch(`${lockedServer.origin}${BASE}/health`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as HealthReport;
    expect(report).toMatchObject({
      status: 'ok',
      live: { enabled: false, reason: 'Live is off for maintenance.' },
      providers: { mock: { status: 'ok' }, scripted: { status: 'ok' } },
    });
  });
});

describe('error statuses', () => {
  it('401 tenant_required without a valid session (forged signature included)', async () => {
    await expectProblem(await call('/agents', { headers: { cookie: 'none=1' } }), 401, 'tenant_required');
    const forged = sessionCookie('acme', 'alice').replace(/.$/, (char) => (char === '0' ? '1' : '0'));
    await expectProblem(await call('/executions', { headers: { cookie: forged } }), 401, 'tenant_required');
  });

  it('400 validation_failed with the path of each issue', async () => {
    const bad = await expectProblem(
      await post('/agents/echo/executions', { input: { text: '' } }),
      400,
      'validation_failed',
    );
    expect(bad.issues).toEqual([expect.objectContaining({ path: ['text'] })]);
    const envelope = await expectProblem(
      await post('/agents/echo/executions', { mode: 'turbo' }),
      400,
      'validation_failed',
    );
    expect((envelope.issues as { path: string[] }[]).map((issue) => issue.path)).toEqual([['input'], ['mode']]);
    const limit = await expectProblem(await call('/executions?limit=1000'), 400, 'validation_failed');
    expect(limit.issues).toEqual([expect.objectContaining({ path: ['limit'] })]);
  });

  it('400 invalid_json with line and column', async () => {
    const response = await call('/agents/echo/executions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{\n  "input": { "text": "x" },\n  "mode": mock\n}',
    });
    const problem = await expectProblem(response, 400, 'invalid_json');
    expect(problem.issues).toEqual([expect.objectContaining({ line: 3, column: 11, code: 'json_syntax' })]);
    expect(problem.detail).toContain('line 3, column 11');
  });

  // Two limits answer 413: the handler's maxBodyBytes (the whole body, while it streams in)
  // and the executor's maxInputBytes (the input). Each test sets them so only one can trigger.
  it('413 input_too_large from maxBodyBytes for a body over it, even though the executor would accept the input', async () => {
    const handler = createHandler({
      executor: testExecutor({ limits: { maxInputBytes: 10_000_000 } }),
      resolveTenant: resolveTenantFromSession,
      basePath: BASE,
      maxBodyBytes: 2_000,
    });
    const request = (text: string) =>
      new Request(`http://app.test${BASE}/agents/echo/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: alice },
        body: JSON.stringify({ input: { text } }),
      });
    const problem = await expectProblem(await handler(request('x'.repeat(3_000))), 413, 'input_too_large');
    expect(problem.detail).toMatch(/\b2000 bytes\b/);
    expect(problem.detail).toContain('maxBodyBytes');
    // Just under the limit, the same request runs.
    expect((await handler(request('x'.repeat(1_900)))).status).toBe(200);
  });

  it('413 input_too_large from maxInputBytes for an input over it inside a body the handler accepts', async () => {
    const handler = createHandler({
      executor: testExecutor({ limits: { maxInputBytes: 1_000 } }),
      resolveTenant: resolveTenantFromSession,
      basePath: BASE,
      maxBodyBytes: 1_000_000,
    });
    const response = await handler(
      new Request(`http://app.test${BASE}/agents/echo/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: alice },
        body: JSON.stringify({ input: { text: 'x'.repeat(3_000) } }),
      }),
    );
    const problem = await expectProblem(response, 413, 'input_too_large');
    expect(problem.detail).toMatch(/\bat most 1000\b/);
    expect(problem.detail).not.toContain('maxBodyBytes');
  });

  it('413 input_too_large for a body over the default maxBodyBytes (1 MiB) on a real socket', async () => {
    // The server's executor takes inputs up to its default 64 kB, so only a body limit answers this
    // before a megabyte is read; the detail names which limit it was.
    const response = await post('/agents/echo/executions', { input: { text: 'x'.repeat(1_100_000) } });
    const problem = await expectProblem(response, 413, 'input_too_large');
    expect(problem.detail).toContain('larger than 1048576 bytes');
  });

  it('415 for a body that is not declared as JSON', async () => {
    const response = await call('/agents/echo/executions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"input":{}}',
    });
    expect(response.status).toBe(415);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'urn:agentry:error:unsupported_media_type',
      code: 'invalid_json',
      status: 415,
    });
  });

  it('404 for an unknown route, an unknown agent, a tenant-owned agent and an unknown execution', async () => {
    await expectProblem(await call('/nope'), 404, 'not_found');
    await expectProblem(await call('/agents/echo/executions/extra'), 404, 'not_found');
    await expectProblem(
      await fetch(`${server.origin}/elsewhere/agents`, { headers: { cookie: alice } }),
      404,
      'not_found',
    );
    await expectProblem(await post('/agents/missing/executions', { input: {} }), 404, 'not_found');
    await expectProblem(await call('/executions/exe_does_not_exist'), 404, 'not_found');
  });

  it('405 with Allow for a wrong method', async () => {
    const response = await call('/agents', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toMatchObject({ type: 'urn:agentry:error:method_not_allowed', status: 405 });
    const onExecute = await call('/agents/echo/executions');
    expect(onExecute.status).toBe(405);
    expect(onExecute.headers.get('allow')).toBe('POST');
  });

  it('403 live_disabled when the kill switch is off', async () => {
    const response = await post('/agents/echo/executions', { input: { text: 'x' }, mode: 'live' }, {}, lockedServer);
    await expectProblem(response, 403, 'live_disabled');
  });

  it('503 provider_not_configured for a live agent whose provider is missing', async () => {
    await expectProblem(
      await post('/agents/needs-openai/executions', { input: { text: 'x' }, mode: 'live' }),
      503,
      'provider_not_configured',
    );
  });

  it('429 limit_exceeded when the tenant has too many runs at once', async () => {
    const hanging = await post(
      '/agents/echo/executions',
      { input: { text: 'hang' }, mode: 'live' },
      { accept: 'text/event-stream' },
    );
    const reader = hanging.body!.getReader();
    await reader.read();
    const refused = await post('/agents/echo/executions', { input: { text: 'x' } });
    const problem = await expectProblem(refused, 429, 'limit_exceeded');
    expect(problem.retryable).toBe(true);
    await reader.cancel();
  });
});

describe('the status of every error code', () => {
  const codes = Object.keys(ERROR_CODES) as AgentryErrorCode[];
  let thrower: Loopback;
  let current: AgentryError;

  beforeAll(async () => {
    const fake: HandlerExecutor = {
      execute: async () => {
        throw current;
      },
      stream: () => ({
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            throw current;
          },
        }),
      }),
      cancel: async () => {
        throw current;
      },
      events: () => ({
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            throw current;
          },
        }),
      }),
      listAgents: async () => {
        throw current;
      },
      listExecutions: async () => {
        throw current;
      },
      getExecution: async () => {
        throw current;
      },
      health: async () => ({
        status: 'down',
        live: { enabled: true },
        providers: {},
        checkedAt: new Date(0).toISOString(),
      }),
    };
    thrower = await listen(
      toNodeListener(createHandler({ executor: fake, resolveTenant: () => ({ tenantId: 't1' }), basePath: BASE })),
    );
  });
  afterAll(() => thrower.close());

  it.each(codes)('%s answers ERROR_CODES status as problem+json, on JSON and SSE requests alike', async (code) => {
    current = new AgentryError(code, `refused with ${code}`, {
      executionId: 'exe_1',
      ...(code === 'rate_limited' ? { retryAfterMs: 2500 } : {}),
    });
    const json = await fetch(`${thrower.origin}${BASE}/agents`);
    const problem = await expectProblem(json, ERROR_CODES[code].status, code);
    expect(problem).toMatchObject({
      // An internal error's message is never sent: it can be anything the app threw.
      detail: code === 'internal' ? INTERNAL_ERROR_DETAIL : `refused with ${code}`,
      executionId: 'exe_1',
      type: `urn:agentry:error:${code}`,
    });
    if (code === 'rate_limited') expect(json.headers.get('retry-after')).toBe('3');

    const sse = await fetch(`${thrower.origin}${BASE}/agents/echo/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ input: {} }),
    });
    await expectProblem(sse, ERROR_CODES[code].status, code);
  });

  it('answers an unexpected (non-Agentry) error as a generic 500 without its message', async () => {
    current = new Error('database password is hunter2') as AgentryError;
    const response = await fetch(`${thrower.origin}${BASE}/executions`);
    const problem = await expectProblem(response, 500, 'internal');
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('answers 503 with the report when health is down', async () => {
    const response = await fetch(`${thrower.origin}${BASE}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'down' });
  });
});

/** A logger that keeps every `error` event it is given. */
function capturingLogger(): Logger & { errors: { event: string; fields: LogFields | undefined }[] } {
  const errors: { event: string; fields: LogFields | undefined }[] = [];
  return { debug() {}, info() {}, warn() {}, error: (event, fields) => errors.push({ event, fields }), errors };
}

/** Status line, every header and the body, as one text to search. */
async function everything(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return `${response.status}\n${headers}\n\n${await response.text()}`;
}

describe('an app error inside a real executor', () => {
  const LEAK = 'connect failed postgres://admin:hunter2@db.internal:5432/app';

  function leakyHandler() {
    const logger = capturingLogger();
    const executor = createExecutor({
      agents: [],
      providers: { mock: mockProvider() },
      resolveAgent: () => {
        throw new Error(LEAK);
      },
    });
    const handler = createHandler({ executor, resolveTenant: () => ({ tenantId: 't1' }), basePath: BASE, logger });
    return { handler, logger };
  }

  const execute = (accept: string) =>
    new Request(`http://app.test${BASE}/agents/reports/executions?session=abc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ input: { text: 'body-only-text' }, mode: 'mock' }),
    });

  it.each(['application/json', 'text/event-stream'])(
    'answers a generic 500 (Accept: %s): neither body nor headers name the database',
    async (accept) => {
      const { handler } = leakyHandler();
      const response = await handler(execute(accept));
      const text = await everything(response.clone());
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('db.internal');
      const problem = await expectProblem(response, 500, 'internal');
      expect(problem.detail).toBe('An unexpected error occurred on the server.');
    },
  );

  it('logs the real message with the method and path, never the body or the query string', async () => {
    const { handler, logger } = leakyHandler();
    await handler(execute('application/json'));
    expect(logger.errors).toContainEqual({
      event: 'agentry.http.internal_error',
      fields: expect.objectContaining({
        method: 'POST',
        path: `${BASE}/agents/reports/executions`,
        error_message: expect.stringContaining('connect failed postgres://'),
      }),
    });
    const logged = JSON.stringify(logger.errors);
    expect(logged).not.toContain('body-only-text');
    expect(logged).not.toContain('session=abc');
  });
});

describe('GET /health for anonymous callers', () => {
  const internalUrl = 'Could not reach https://agents.internal.example.com/api/agentry/health';
  const unreachable: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'remote',
    execute: async () => {
      throw new Error('not used');
    },
    health: async () => ({ status: 'down', configured: true, latencyMs: 12, message: internalUrl }),
  };
  const executor = () =>
    createExecutor({ agents: [echoAgent], providers: { mock: mockProvider(), remote: unreachable } });
  const healthRequest = (cookie?: string) =>
    new Request(`http://app.test${BASE}/health`, cookie === undefined ? {} : { headers: { cookie } });

  it("'public' (the default): an anonymous caller gets statuses and timings but no provider messages", async () => {
    const handler = createHandler({ executor: executor(), resolveTenant: resolveTenantFromSession, basePath: BASE });
    const response = await handler(healthRequest());
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('agents.internal');
    const report = JSON.parse(text) as HealthReport;
    expect(report.status).toBe('degraded');
    expect(report.providers.remote).toEqual({
      status: 'down',
      configured: true,
      latencyMs: 12,
      live: { available: true },
    });
    expect(report.providers.mock).toMatchObject({ status: 'ok' });
  });

  it("'public': a caller resolveTenant recognises gets the full report", async () => {
    const handler = createHandler({ executor: executor(), resolveTenant: resolveTenantFromSession, basePath: BASE });
    const report = (await (await handler(healthRequest(alice))).json()) as HealthReport;
    expect(report.providers.remote).toEqual({
      status: 'down',
      configured: true,
      latencyMs: 12,
      message: internalUrl,
      live: { available: true },
    });
  });

  it("'public': a resolveTenant that throws counts as anonymous rather than failing the check", async () => {
    const handler = createHandler({
      executor: executor(),
      resolveTenant: () => {
        throw new Error('no session store in this region');
      },
      basePath: BASE,
    });
    const response = await handler(healthRequest(alice));
    expect(response.status).toBe(200);
    expect(((await response.json()) as HealthReport).providers.remote).not.toHaveProperty('message');
  });

  it("'tenant': anonymous callers get 401, signed-in ones the full report", async () => {
    const handler = createHandler({
      executor: executor(),
      resolveTenant: resolveTenantFromSession,
      basePath: BASE,
      healthAccess: 'tenant',
    });
    await expectProblem(await handler(healthRequest()), 401, 'tenant_required');
    const report = (await (await handler(healthRequest(alice))).json()) as HealthReport;
    expect(report.providers.remote?.message).toBe(internalUrl);
  });
});

describe('an internal failure after the event stream began', () => {
  it('sends a generic problem event and logs the real message', async () => {
    const logger = capturingLogger();
    const executor: HandlerExecutor = {
      execute: async () => {
        throw new Error('not used');
      },
      async *stream() {
        yield { type: 'execution-start', executionId: 'exe_1' } as never;
        throw new AgentryError('internal', 'lost connection to redis://:hunter2@cache.internal:6379');
      },
      listAgents: async () => [],
      listExecutions: async () => ({ items: [] }),
      getExecution: async () => {
        throw new Error('not used');
      },
      cancel: async () => {
        throw new Error('not used');
      },
      events: () => {
        throw new Error('not used');
      },
      health: async () => ({ status: 'ok', live: { enabled: true }, providers: {}, checkedAt: '' }),
    };
    const handler = createHandler({ executor, resolveTenant: () => ({ tenantId: 't1' }), logger, heartbeatMs: 0 });
    const response = await handler(
      new Request('http://app.test/agents/echo/executions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ input: {} }),
      }),
    );
    const text = await response.text();
    expect(text).toContain('event: problem');
    expect(text).toContain(INTERNAL_ERROR_DETAIL);
    expect(text).not.toMatch(/hunter2|cache\.internal/);
    expect(logger.errors).toEqual([
      {
        event: 'agentry.http.internal_error',
        fields: expect.objectContaining({ path: '/agents/echo/executions', error_message: expect.any(String) }),
      },
    ]);
  });
});
