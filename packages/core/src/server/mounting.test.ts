import express from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../client/create-client';
import type { ExecutionEvent } from '../protocol';
import { createHandler } from './create-handler';
import { type Loopback, listen, resolveTenantFromSession, sessionCookie, testExecutor } from './loopback.test-support';
import { toNodeListener } from './node-listener';

const cookie = sessionCookie('acme', 'alice');

describe('mounted in Express 5 (real app on loopback)', () => {
  let server: Loopback;

  beforeAll(async () => {
    const app = express();
    // Express's own JSON parser must not run first on this path: the handler reads the body itself.
    app.get('/', (_req, res) => {
      res.send('host app');
    });
    app.use(
      '/api/agentry',
      toNodeListener(
        createHandler({ executor: testExecutor(), resolveTenant: resolveTenantFromSession, basePath: '/api/agentry' }),
      ),
    );
    server = await listen(app);
  });
  afterAll(() => server.close());

  it('serves every route through the client, streaming included', async () => {
    const client = createClient({ baseUrl: `${server.origin}/api/agentry`, headers: { cookie } });
    expect((await client.listAgents()).length).toBeGreaterThan(0);
    const result = await client.execute({ agentId: 'echo', input: { text: 'express' } });
    expect(result.output).toBe('echo: express');
    const events: ExecutionEvent[] = [];
    for await (const event of client.stream({ agentId: 'echo', input: { text: 'sse' } })) events.push(event);
    expect(events.at(-1)?.type).toBe('execution-finish');
    expect((await client.listExecutions()).items).toHaveLength(2);
    expect((await client.getExecution(result.id)).id).toBe(result.id);
    expect((await client.health()).status).toBe('ok');
  });

  it('leaves the host app routes alone', async () => {
    expect(await (await fetch(`${server.origin}/`)).text()).toBe('host app');
  });
});

describe('mounted in Hono (app.fetch with a Request)', () => {
  const handler = createHandler({
    executor: testExecutor(),
    resolveTenant: resolveTenantFromSession,
    basePath: '/api/agentry',
  });
  const app = new Hono();
  app.all('/api/agentry/*', (context) => handler(context.req.raw));

  it('answers JSON, problems and SSE through app.fetch', async () => {
    const agents = await app.fetch(new Request('http://localhost/api/agentry/agents', { headers: { cookie } }));
    expect(agents.status).toBe(200);

    const anonymous = await app.fetch(new Request('http://localhost/api/agentry/agents'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/problem\+json/);

    const streamed = await app.fetch(
      new Request('http://localhost/api/agentry/agents/echo/executions', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ input: { text: 'hono' } }),
      }),
    );
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await streamed.text();
    expect(text).toContain('event: execution-finish');
    expect(text).toContain('echo: hono');
  });

  it('works as the fetch of the typed client', async () => {
    const client = createClient({
      baseUrl: 'http://localhost/api/agentry',
      headers: { cookie },
      fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
    });
    const result = await client.execute({ agentId: 'echo', input: { text: 'via hono' } });
    expect(result.output).toBe('echo: via hono');
  });
});
