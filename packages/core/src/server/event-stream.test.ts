import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from './create-handler';
import { resolveTenantFromSession, type ScriptedCalls, sessionCookie, testExecutor } from './loopback.test-support';

const BASE = '/api/agentry';
const cookie = sessionCookie('acme', 'alice');
const tenant = { tenantId: 'acme', userId: 'alice' };

function setup() {
  const calls: ScriptedCalls = { started: 0, aborted: 0 };
  const executor = testExecutor({}, calls);
  const handler = createHandler({
    executor,
    resolveTenant: resolveTenantFromSession,
    basePath: BASE,
    heartbeatMs: 1000,
  });
  return { executor, handler, calls };
}

function streamRequest(text: string, signal?: AbortSignal): Request {
  return new Request(`http://localhost${BASE}/agents/echo/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie },
    body: JSON.stringify({ input: { text }, mode: 'live' }),
    ...(signal === undefined ? {} : { signal }),
  });
}

const decoder = new TextDecoder();
async function readText(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? '<end>' : decoder.decode(value);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SSE execution stream', () => {
  it('sends a `: ping` comment every heartbeatMs while the run waits, and none before', async () => {
    vi.useFakeTimers();
    const { handler } = setup();
    const response = await handler(streamRequest('slow-start'));
    const reader = response.body!.getReader();
    expect(await readText(reader)).toMatch(/^id: 1\nevent: execution-start\ndata: \{.*\}\n\n$/);

    let next = reader.read();
    let settled = false;
    next.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(decoder.decode((await next).value)).toBe(': ping\n\n');

    next = reader.read();
    await vi.advanceTimersByTimeAsync(1000);
    expect(decoder.decode((await next).value)).toBe(': ping\n\n');
    await reader.cancel();
  });

  it('cancelling the body (client gone) cancels the run: status cancelled in history', async () => {
    const { handler, executor, calls } = setup();
    const response = await handler(streamRequest('hang'));
    const reader = response.body!.getReader();
    const start = JSON.parse((await readText(reader)).split('data: ')[1]!) as { executionId: string };
    expect(await readText(reader)).toContain('"delta":"partial "');
    await reader.cancel();
    await vi.waitFor(async () => {
      const record = await executor.getExecution(tenant, start.executionId);
      expect(record).toMatchObject({ status: 'cancelled', output: 'partial ' });
    });
    expect(calls.aborted).toBe(1);
  });

  it('an aborted request signal (how fetch runtimes report a disconnect) cancels the run too', async () => {
    const { handler, executor } = setup();
    const controller = new AbortController();
    const response = await handler(streamRequest('hang', controller.signal));
    const reader = response.body!.getReader();
    const start = JSON.parse((await readText(reader)).split('data: ')[1]!) as { executionId: string };
    controller.abort();
    let text = '';
    for (let chunk = await readText(reader); chunk !== '<end>'; chunk = await readText(reader)) text += chunk;
    expect(text).toContain('event: execution-error');
    expect(text).toContain('"status":"cancelled"');
    expect((await executor.getExecution(tenant, start.executionId)).status).toBe('cancelled');
  });
});

describe('CORS', () => {
  const allowed = 'https://app.example.com';
  const handler = createHandler({
    executor: testExecutor(),
    resolveTenant: resolveTenantFromSession,
    basePath: BASE,
    cors: { origins: [allowed], credentials: true },
  });

  it('answers a preflight from an allowed origin with the route methods', async () => {
    const response = await handler(
      new Request(`http://localhost${BASE}/agents/echo/executions`, {
        method: 'OPTIONS',
        headers: { origin: allowed, 'access-control-request-method': 'POST' },
      }),
    );
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': allowed,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type, authorization, accept',
      vary: 'Origin',
    });
  });

  it('gives other origins no CORS grant, on preflights and requests alike', async () => {
    const preflight = await handler(
      new Request(`http://localhost${BASE}/agents`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }),
    );
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await handler(
      new Request(`http://localhost${BASE}/agents`, { headers: { origin: 'https://evil.example', cookie } }),
    );
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the grant to real answers, problems included', async () => {
    const ok = await handler(new Request(`http://localhost${BASE}/agents`, { headers: { origin: allowed, cookie } }));
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
    const refused = await handler(new Request(`http://localhost${BASE}/agents`, { headers: { origin: allowed } }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(refused.headers.get('access-control-expose-headers')).toBe('retry-after');
  });

  it('without cors configured, OPTIONS is a 405 with Allow', async () => {
    const plain = createHandler({ executor: testExecutor(), resolveTenant: resolveTenantFromSession, basePath: BASE });
    const response = await plain(new Request(`http://localhost${BASE}/agents`, { method: 'OPTIONS' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
