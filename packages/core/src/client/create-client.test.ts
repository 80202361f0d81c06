import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AgentryError, isAgentryError } from '../errors';
import type { ExecutionEvent } from '../protocol';
import { createHandler } from '../server/create-handler';
import {
  type Loopback,
  listen,
  resolveTenantFromSession,
  type ScriptedCalls,
  sessionCookie,
  testExecutor,
} from '../server/loopback.test-support';
import { toNodeListener } from '../server/node-listener';
import { createClient } from './create-client';

const BASE = '/api/agentry';
const calls: ScriptedCalls = { started: 0, aborted: 0 };
let server: Loopback;

beforeAll(async () => {
  const executor = testExecutor({}, calls);
  server = await listen(
    toNodeListener(
      createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: BASE, heartbeatMs: 0 }),
    ),
  );
});
afterAll(() => server.close());

function clientFor(tenantId = 'acme', userId = 'alice') {
  return createClient({ baseUrl: `${server.origin}${BASE}`, headers: { cookie: sessionCookie(tenantId, userId) } });
}

afterEach(() => {
  vi.useRealTimers();
});

/**
 * Waits for real I/O (a loopback server's answer) one event-loop turn at a time, without
 * sleeping and without moving fake time (`performance` is left real for this bound).
 */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`until: the condition did not hold within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

async function rejection(promise: Promise<unknown>): Promise<AgentryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
  return error;
}

describe('createClient against a real handler', () => {
  it('lists agents, executes, reads history and one record, and checks health', async () => {
    const client = clientFor();
    const agents = await client.listAgents();
    expect(agents.map((agent) => agent.id)).toContain('echo');

    const result = await client.execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'mock' });
    expect(result).toMatchObject({ status: 'succeeded', output: 'echo: hi' });

    const page = await client.listExecutions({ agentId: 'echo', limit: 5 });
    expect(page.items[0]?.id).toBe(result.id);
    expect(await client.getExecution(result.id)).toEqual(result);

    const health = await client.health();
    expect(health.status).toBe('ok');
  });

  it('streams events in order, ending with exactly one execution-finish', async () => {
    const events: ExecutionEvent[] = [];
    for await (const event of clientFor().stream({ agentId: 'echo', input: { text: 'a b c' }, mode: 'live' })) {
      events.push(event);
    }
    expect(events[0]?.type).toBe('execution-start');
    expect(events.filter((event) => event.type === 'execution-finish')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('execution-finish');
    const text = events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : [])).join('');
    expect(text).toBe('live: a b c');
  });

  it('breaking out of the loop disconnects, and the run is recorded as cancelled', async () => {
    const client = clientFor();
    const abortedBefore = calls.aborted;
    let executionId = '';
    for await (const event of client.stream({ agentId: 'echo', input: { text: 'hang' }, mode: 'live' })) {
      executionId = event.executionId;
      if (event.type === 'output-delta') break;
    }
    await vi.waitFor(async () => {
      const record = await client.getExecution(executionId);
      expect(record.status).toBe('cancelled');
      expect(record.output).toBe('partial ');
    });
    expect(calls.aborted).toBe(abortedBefore + 1);
  });

  it('aborting the signal rejects with cancelled, and the run is recorded as cancelled', async () => {
    const client = clientFor();
    const controller = new AbortController();
    let executionId = '';
    const consume = (async () => {
      for await (const event of client.stream({
        agentId: 'echo',
        input: { text: 'hang' },
        mode: 'live',
        signal: controller.signal,
      })) {
        executionId = event.executionId;
        if (event.type === 'output-delta') controller.abort();
      }
    })();
    const error = await rejection(consume);
    expect(error.code).toBe('cancelled');
    await vi.waitFor(async () => expect((await client.getExecution(executionId)).status).toBe('cancelled'));
  });

  it('turns problem responses into AgentryErrors with the same code, userMessage and issues', async () => {
    const client = clientFor();
    const invalid = await rejection(client.execute({ agentId: 'echo', input: { text: '' } }));
    expect(invalid).toMatchObject({ code: 'validation_failed', status: 400, retryable: false });
    expect(invalid.issues?.[0]?.path).toEqual(['text']);
    expect(invalid.userMessage).toMatch(/does not match/);

    const missing = await rejection(client.getExecution('exe_nope'));
    expect(missing.code).toBe('not_found');

    const streamRefusal = await rejection(
      (async () => {
        for await (const _ of client.stream({ agentId: 'nope', input: {} })) {
          // never reached
        }
      })(),
    );
    expect(streamRefusal.code).toBe('not_found');

    const anonymous = createClient({ baseUrl: `${server.origin}${BASE}` });
    expect((await rejection(anonymous.listAgents())).code).toBe('tenant_required');
  });

  it('calls a headers function before every request (fresh tokens)', async () => {
    const headers = vi.fn(async () => ({ cookie: sessionCookie('acme', 'alice') }));
    const client = createClient({ baseUrl: `${server.origin}${BASE}`, headers });
    await client.listAgents();
    await client.health();
    expect(headers).toHaveBeenCalledTimes(2);
  });
});

describe('createClient against failing servers', () => {
  let counts: { GET: number; POST: number };
  /** When each GET arrived, on the (faked) clock. */
  let readTimes: number[];
  let flaky: Loopback;
  let truncated: Loopback;
  let silent: Loopback;

  beforeAll(async () => {
    counts = { GET: 0, POST: 0 };
    readTimes = [];
    flaky = await listen((req, res) => {
      counts[req.method as 'GET' | 'POST'] += 1;
      if (req.method === 'GET') readTimes.push(Date.now());
      req.resume();
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>');
    });
    truncated = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        'event: execution-start\ndata: {"type":"execution-start","executionId":"exe_9"}\n\nevent: output-delta\ndata: {"type":"out',
      );
    });
    silent = await listen(() => {
      // never answers
    });
  });
  afterAll(async () => {
    await flaky.close();
    await truncated.close();
    await silent.close();
  });

  it('never retries an execution POST, and retries reads after the backoff', async () => {
    // Only the clock and timers are fake: the sockets are real, the 300 ms backoff is not slept.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const client = createClient({ baseUrl: flaky.origin, retry: 1 });
    const error = await rejection(client.execute({ agentId: 'echo', input: {} }));
    expect(counts.POST).toBe(1);
    expect(error).toMatchObject({ code: 'internal', status: 503, retryable: true });
    expect(error.message).toContain('without a problem document');

    const read = rejection(client.listAgents());
    await until(() => counts.GET === 1);
    await vi.advanceTimersByTimeAsync(299);
    expect(counts.GET).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await read).toMatchObject({ code: 'internal', status: 503 });
    expect(counts.GET).toBe(2);
    expect(readTimes[1]! - readTimes[0]!).toBe(300);
  });

  it('reports an unreachable server clearly', async () => {
    const closed = await listen(() => undefined);
    const baseUrl = closed.origin;
    await closed.close();
    const error = await rejection(createClient({ baseUrl, retry: 0 }).listAgents());
    expect(error).toMatchObject({ code: 'internal', retryable: true });
    expect(error.message).toContain('Could not reach');
    expect(error.userMessage).toContain('Could not reach the server');
  });

  it('reports a truncated event stream with the execution id', async () => {
    const client = createClient({ baseUrl: truncated.origin });
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of client.stream({ agentId: 'echo', input: {} })) seen.push(event.type);
      })(),
    );
    expect(seen).toEqual(['execution-start']);
    expect(error).toMatchObject({ retryable: true, executionId: 'exe_9' });
    expect(error.message).toContain('ended before the execution finished');
  });

  it('times out with a timeout error when the server never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = rejection(
      createClient({ baseUrl: silent.origin, timeoutMs: 5_000, retry: 0 }).listAgents(),
    ).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('5000 ms');
  });
});
