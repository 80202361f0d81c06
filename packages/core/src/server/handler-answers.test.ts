// What createHandler's answers say, route by route, where mutation testing (round 4) found a
// wording, a header or an argument that no test looked at: the 404/405 details, 204 headers,
// delta ids, the seed, Last-Event-ID refusals, a stream the client or the executor ends, and what
// the host's resolveTenant and health see.

import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logging';
import { decodeServerSentEvents, type ExecutionEvent, type ExecutionEventEntry } from '../protocol';
import { createMemoryTestCaseStore } from '../test-cases/memory-test-case-store';
import { createHandler, type HandlerExecutor } from './create-handler';
import { recordingLogger } from './handler-parts.test-support';
import { resolveTenantFromSession, SECRET, sessionCookie, testExecutor } from './loopback.test-support';

const cookie = sessionCookie('acme', 'alice');
const tenant = { tenantId: 'acme', userId: 'alice' };
const ORIGIN = 'https://app.example.com';

function setup(options: { cors?: boolean; logger?: Logger } = {}) {
  const executor = testExecutor();
  const handler = createHandler({
    executor,
    resolveTenant: resolveTenantFromSession,
    basePath: '/api',
    heartbeatMs: 0,
    testCases: { store: createMemoryTestCaseStore() },
    ...(options.cors ? { cors: { origins: [ORIGIN] } } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const send = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('cookie')) headers.set('cookie', cookie);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    return handler(new Request(`http://localhost/api${path}`, { ...init, headers }));
  };
  return { executor, handler, send };
}

const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;

async function events(response: Response): Promise<{ event: string; data: string; id?: string }[]> {
  const out: { event: string; data: string; id?: string }[] = [];
  for await (const message of decodeServerSentEvents(response.body as ReadableStream<Uint8Array>)) {
    out.push({ event: message.event, data: message.data, ...(message.id === undefined ? {} : { id: message.id }) });
  }
  return out;
}

const runBody = (text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ input: { text }, mode: 'live', ...extra });

describe('routing answers', () => {
  it('an unknown route names the method and path', async () => {
    const { send } = setup();
    expect(await detail(await send('/nope'))).toBe('No route GET /api/nope. See docs/server.md for the routes.');
  });

  it('a wrong method names itself, the path and the methods to use', async () => {
    const { send } = setup();
    expect(await detail(await send('/agents', { method: 'DELETE' }))).toBe(
      'DELETE is not allowed on /api/agents; use GET.',
    );
    expect(await detail(await send('/agents/echo/test-cases', { method: 'PUT' }))).toBe(
      'PUT is not allowed on /api/agents/echo/test-cases; use GET or POST.',
    );
  });

  it('with CORS on, a wrong method lists OPTIONS in Allow too; without, it does not', async () => {
    const withCors = await setup({ cors: true }).send('/agents', { method: 'DELETE', headers: { origin: ORIGIN } });
    expect(withCors.status).toBe(405);
    expect(withCors.headers.get('allow')).toBe('GET, OPTIONS');
    const without = await setup().send('/agents', { method: 'DELETE' });
    expect(without.headers.get('allow')).toBe('GET');
  });

  it('a JSON answer is uncached and not sniffed; a 204 is uncached, has no content type and keeps CORS', async () => {
    const { send } = setup({ cors: true });
    const listed = await send('/agents', { headers: { origin: ORIGIN } });
    expect(listed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const created = await send('/agents/echo/test-cases', {
      method: 'POST',
      body: JSON.stringify({ name: 'one', input: { text: 'hi' } }),
    });
    const { id } = (await created.json()) as { id: string };
    const deleted = await send(`/agents/echo/test-cases/${id}`, { method: 'DELETE', headers: { origin: ORIGIN } });
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get('content-type')).toBeNull();
    expect(deleted.headers.get('cache-control')).toBe('no-store');
    expect(deleted.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await deleted.text()).toBe('');
  });
});

describe('POST /agents/:id/executions', () => {
  it("without handler secrets, every delta goes out with its id, even one the executor's redactor held back", async () => {
    // `sk` could be the start of a key: a second redaction pass would hold it and send it without an id.
    const { send } = setup();
    const response = await send('/agents/echo/executions', {
      method: 'POST',
      headers: { accept: 'text/event-stream' },
      body: runBody('ask sk'),
    });
    const received = await events(response);
    expect(received.map((message) => message.event)).toContain('output-delta');
    expect(received.map((message) => message.id)).toEqual(received.map((_, index) => String(index + 1)));
  });

  it('passes the seed to the executor, and none when the body has none', async () => {
    const { executor, send } = setup();
    const execute = vi.spyOn(executor, 'execute');
    await send('/agents/echo/executions', { method: 'POST', body: JSON.stringify({ input: { text: 'a' }, seed: 7 }) });
    expect(execute.mock.calls[0]?.[0]).toMatchObject({ seed: 7 });
    await send('/agents/echo/executions', { method: 'POST', body: JSON.stringify({ input: { text: 'a' } }) });
    expect(execute.mock.calls[1]?.[0]).not.toHaveProperty('seed');
  });

  it('an executor stream that ends without any event answers the generic 500, and logs why', async () => {
    const { logger, lines } = recordingLogger();
    const executor = testExecutor();
    const empty: HandlerExecutor = {
      ...executor,
      listAgents: executor.listAgents.bind(executor),
      async *stream() {},
    } as HandlerExecutor;
    const handler = createHandler({ executor: empty, resolveTenant: () => tenant, logger });
    const response = await handler(
      new Request('http://localhost/agents/echo/executions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: runBody('hi'),
      }),
    );
    expect(response.status).toBe(500);
    expect(JSON.stringify(lines)).toContain('The executor ended the stream without any event.');
  });
});

describe('GET /executions/:id/events', () => {
  it('a Last-Event-ID that is not an id: 400 quoting its first 40 characters', async () => {
    const { send } = setup();
    const header = `x${'9'.repeat(60)}`;
    const response = await send('/executions/exe_1/events', { headers: { 'last-event-id': header } });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { detail: string; issues: unknown };
    expect(problem.detail).toBe(
      `The Last-Event-ID header must be the id of an event received from this execution (an integer ≥ 0), got ${JSON.stringify(header.slice(0, 40))}. Send it as received, or leave it out to replay from the start.`,
    );
    expect(problem.issues).toEqual([{ path: ['Last-Event-ID'], message: 'Expected an integer ≥ 0.' }]);
  });

  it('a client whose request is aborted (how fetch runtimes report a disconnect) ends the stream of a run still going', async () => {
    const { send } = setup();
    const run = await send('/agents/echo/executions', {
      method: 'POST',
      headers: { accept: 'text/event-stream' },
      body: runBody('hang'),
    });
    const runReader = (run.body as ReadableStream<Uint8Array>).getReader();
    const start = new TextDecoder().decode((await runReader.read()).value);
    const executionId = /"executionId":"([^"]+)"/.exec(start)?.[1];
    const controller = new AbortController();
    const following = await send(`/executions/${executionId}/events`, { signal: controller.signal });
    const reader = (following.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^id: 1\nevent: execution-start\n/);
    controller.abort();
    // The events already logged may still come; then the stream ends (the run itself goes on).
    let done = false;
    while (!done) done = (await reader.read()).done;
    await runReader.cancel();
  });

  it("a client that cancels the events stream aborts the executor's read, even while it waits for the next event", async () => {
    const executor = testExecutor();
    let signal: AbortSignal | undefined;
    const waiting: HandlerExecutor = {
      ...executor,
      async *events(_tenant, _id, options): AsyncGenerator<ExecutionEventEntry> {
        signal = options?.signal;
        yield { id: 1, event: { type: 'execution-start', executionId: 'exe_1' } as ExecutionEvent };
        // A run that produces nothing more: only the signal can end this read.
        await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      },
    } as HandlerExecutor;
    const handler = createHandler({ executor: waiting, resolveTenant: () => tenant, heartbeatMs: 0 });
    const response = await handler(new Request('http://localhost/executions/exe_1/events'));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    expect(signal?.aborted).toBe(false);
    await reader.cancel();
    expect(signal?.aborted).toBe(true);
  });

  it('an events iterator that fails after the first event is logged as internal and answered in-band', async () => {
    const { logger, lines } = recordingLogger();
    const executor = testExecutor();
    const start = { type: 'execution-start', executionId: 'exe_1' } as ExecutionEvent;
    const failing: HandlerExecutor = {
      ...executor,
      async *events(): AsyncGenerator<ExecutionEventEntry> {
        yield { id: 1, event: start };
        throw new Error(`event log unreadable at ${SECRET}`);
      },
    } as HandlerExecutor;
    const handler = createHandler({ executor: failing, resolveTenant: () => tenant, logger, heartbeatMs: 0 });
    const received = await events(await handler(new Request('http://localhost/executions/exe_1/events')));
    expect(received.map((message) => message.event)).toEqual(['execution-start', 'problem']);
    expect(lines.map((line) => line.event)).toEqual(['agentry.http.internal_error']);
    expect(JSON.stringify(lines)).toContain('event log unreadable');
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });
});

describe('what the host is asked', () => {
  it('health: a signed-in caller is asked about with its tenant and the request signal; anyone else without a tenant', async () => {
    const { executor, send, handler } = setup();
    const health = vi.spyOn(executor, 'health');
    await send('/health');
    expect(health.mock.calls[0]?.[0]).toEqual({ tenant, signal: expect.any(AbortSignal) });
    await handler(new Request('http://localhost/api/health'));
    expect(health.mock.calls[1]?.[0]).toEqual({ signal: expect.any(AbortSignal) });
  });

  it("a resolveTenant that throws: 401 saying to sign in, and the log redacts the handler's and the executor's secrets", async () => {
    const { logger, lines } = recordingLogger();
    const handlerSecret = 'handler-own-secret-5521';
    const executor = testExecutor();
    const handler = createHandler({
      executor,
      secrets: [handlerSecret],
      logger,
      resolveTenant: () => {
        throw new Error(`session store refused ${handlerSecret} and ${SECRET}`);
      },
    });
    const response = await handler(new Request('http://localhost/agents'));
    expect(response.status).toBe(401);
    expect(await detail(response)).toBe('The request could not be authenticated: sign in and try again.');
    const logged = JSON.stringify(lines);
    expect(logged).toContain('session store refused [REDACTED] and [REDACTED]');
    expect(logged).not.toContain(handlerSecret);
    expect(logged).not.toContain(SECRET);
  });

  it('a resolveTenant that finds no one (null or undefined): 401 saying to sign in to a workspace', async () => {
    for (const found of [null, undefined]) {
      const handler = createHandler({ executor: testExecutor(), resolveTenant: () => found });
      const response = await handler(new Request('http://localhost/agents'));
      expect(response.status).toBe(401);
      expect(await detail(response)).toBe('The request is not signed in to a workspace: sign in and try again.');
    }
  });
});
