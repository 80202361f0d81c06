import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionResult } from '../executor/types';
import { createHandler } from './create-handler';
import {
  type Loopback,
  listen,
  resolveTenantFromSession,
  type ScriptedCalls,
  sessionCookie,
  testExecutor,
} from './loopback.test-support';
import { toNodeListener } from './node-listener';

// A client that goes away while a plain JSON execute (no event stream) is still running: the
// handler sees it through `request.signal` (toNodeListener aborts it when the socket closes
// before the answer), and the run must stop: recorded `cancelled`, the provider's request
// aborted, the tenant's concurrency slot free again.

const BASE = '/api/agentry';
const cookie = sessionCookie('acme', 'alice');
const tenant = { tenantId: 'acme', userId: 'alice' };
const body = (text: string) => JSON.stringify({ input: { text }, mode: 'live' });

/** One slot per tenant, so a slot that is not given back shows up as a 429 on the next run. */
function setup() {
  const calls: ScriptedCalls = { started: 0, aborted: 0 };
  const executor = testExecutor(
    { limits: { maxRetries: 0, concurrencyPerTenant: 1, timeoutMs: { mock: 60_000, live: 60_000 } } },
    calls,
  );
  const handler = createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: BASE });
  return { calls, executor, handler };
}

/** Polls real I/O (the server noticing a closed socket); never a fixed sleep. */
const eventually = (assertion: () => void | Promise<void>) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 });

async function onlyRecord(executor: ReturnType<typeof setup>['executor']): Promise<ExecutionResult> {
  const { items } = await executor.listExecutions(tenant);
  expect(items).toHaveLength(1);
  return items[0]!;
}

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a client that disconnects during a JSON execute', () => {
  it('over node:http: the run is cancelled, the provider request aborted and the slot freed', async () => {
    const { calls, executor, handler } = setup();
    server = await listen(toNodeListener(handler));
    const url = new URL(`${server.origin}${BASE}/agents/echo/executions`);

    // `slow-start` makes the scripted provider wait until its request is aborted.
    const request = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie },
    });
    request.on('error', () => undefined); // the socket is destroyed on purpose
    request.on('response', () => {
      throw new Error('no answer was expected: the client left first');
    });
    request.end(body('slow-start'));
    await eventually(() => expect(calls.started).toBe(1));
    expect(calls.aborted).toBe(0);

    request.destroy();

    await eventually(() => expect(calls.aborted).toBe(1));
    await eventually(async () => {
      const record = await onlyRecord(executor);
      expect(record).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' }, mode: 'live' });
    });

    // The single slot is free: the next run on the same tenant goes through (no 429).
    const next = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: body('hello'),
    });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ status: 'succeeded', output: 'live: hello' });
  });

  it('in a fetch runtime: an aborted request.signal cancels the run the same way', async () => {
    const { calls, executor, handler } = setup();
    const controller = new AbortController();
    const answer = handler(
      new Request(`http://app.test${BASE}/agents/echo/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: body('slow-start'),
        signal: controller.signal,
      }),
    );
    await eventually(() => expect(calls.started).toBe(1));
    controller.abort();

    // Nobody is left to read it, but the handler still settles with the run's record.
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
    expect(calls.aborted).toBe(1);
    expect((await onlyRecord(executor)).status).toBe('cancelled');

    const next = await handler(
      new Request(`http://app.test${BASE}/agents/echo/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: body('hello'),
      }),
    );
    expect(await next.json()).toMatchObject({ status: 'succeeded' });
  });
});
