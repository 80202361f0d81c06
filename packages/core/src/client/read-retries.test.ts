import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AgentryError, isAgentryError } from '../errors';
import { type AgentryClient, createClient } from './create-client';

// The client's waits (Retry-After, backoff) run on fake time: a scripted `fetch` stands in for
// the server, answering each request in turn and noting when it was asked.

const BASE = 'https://app.test/api/agentry';

interface Call {
  url: string;
  method: string;
  /** Fake-clock time of the request, in ms since the test began. */
  at: number;
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `urn:agentry:error:${code}`, title: code, status, detail: `${code}.`, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

const ok = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** A fetch that answers with `answers` in order (the last one repeats), recording every call. */
function scriptedFetch(...answers: (() => Response)[]) {
  const calls: Call[] = [];
  const start = Date.now();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), method: init?.method ?? 'GET', at: Date.now() - start });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (!answer) throw new Error('scriptedFetch: no answer scripted');
    return answer();
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** Settles `promise` into a value or an AgentryError, and says whether it has settled yet. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: AgentryError } = { settled: false };
  const done = promise.then(
    (value) => {
      Object.assign(state, { settled: true, value });
    },
    (error: unknown) => {
      if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
      Object.assign(state, { settled: true, error });
    },
  );
  return Object.assign(state, { done });
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date('2026-12-01T12:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Each read, the URL it asks, and a body of the shape it accepts. */
const reads: [string, (client: AgentryClient) => Promise<unknown>, string, unknown][] = [
  ['listAgents', (client) => client.listAgents(), `${BASE}/agents`, [{ id: 'echo' }]],
  ['listExecutions', (client) => client.listExecutions({ limit: 5 }), `${BASE}/executions?limit=5`, { items: [] }],
  [
    'getExecution',
    (client) => client.getExecution('exe_1'),
    `${BASE}/executions/exe_1`,
    { id: 'exe_1', status: 'succeeded' },
  ],
];

describe('reads honour Retry-After', () => {
  it.each(reads)(
    '%s waits the seconds a 429 asks for, then retries and returns the answer',
    async (_name, read, url, body) => {
      const server = scriptedFetch(
        () => problem(429, 'rate_limited', { 'retry-after': '3' }),
        () => ok(body),
      );
      const result = track(read(createClient({ baseUrl: BASE, fetch: server.fetch })));
      await vi.advanceTimersByTimeAsync(2_999);
      expect(server.calls).toHaveLength(1);
      expect(result.settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await result.done;
      expect(server.calls.map((call) => [call.method, call.url, call.at])).toEqual([
        ['GET', url, 0],
        ['GET', url, 3_000],
      ]);
      expect(result.value).toEqual(body);
    },
  );

  it('waits until the HTTP date a 503 names', async () => {
    const server = scriptedFetch(
      () => problem(503, 'internal', { 'retry-after': new Date(Date.now() + 5_000).toUTCString() }),
      () => ok([]),
    );
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).listAgents());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await result.done;
    expect(server.calls.map((call) => call.at)).toEqual([0, 5_000]);
    expect(result.value).toEqual([]);
  });

  it('reads retry-after-ms before retry-after', async () => {
    const server = scriptedFetch(
      () => problem(429, 'rate_limited', { 'retry-after-ms': '1500', 'retry-after': '9' }),
      () => ok([]),
    );
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).listAgents());
    await vi.advanceTimersByTimeAsync(1_500);
    await result.done;
    expect(server.calls.map((call) => call.at)).toEqual([0, 1_500]);
  });

  it('is bounded by the retry limit: then fails with the server error and its retryAfterMs', async () => {
    const server = scriptedFetch(() => problem(429, 'rate_limited', { 'retry-after': '1' }));
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).listExecutions());
    await vi.advanceTimersByTimeAsync(10_000);
    await result.done;
    // The default limit: the first attempt and two retries, one second apart.
    expect(server.calls.map((call) => call.at)).toEqual([0, 1_000, 2_000]);
    expect(result.error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 1_000, retryable: true });
  });

  it('does not retry early when the server asks for longer than maxRetryAfterMs: fails at once, saying how long', async () => {
    const server = scriptedFetch(
      () => problem(429, 'rate_limited', { 'retry-after': '120' }),
      () => ok([]),
    );
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).listAgents());
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(server.calls).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 });
    await vi.advanceTimersByTimeAsync(200_000);
    expect(server.calls).toHaveLength(1);
  });

  it('honours a longer Retry-After up to a raised maxRetryAfterMs', async () => {
    const server = scriptedFetch(
      () => problem(503, 'internal', { 'retry-after': '30' }),
      () => ok([]),
    );
    const client = createClient({ baseUrl: BASE, fetch: server.fetch, retry: { maxRetryAfterMs: 60_000 } });
    const result = track(client.listAgents());
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await result.done;
    expect(server.calls.map((call) => call.at)).toEqual([0, 30_000]);
  });

  it('stops waiting when the caller aborts: cancelled at once, no further request', async () => {
    const server = scriptedFetch(
      () => problem(429, 'rate_limited', { 'retry-after': '5' }),
      () => ok([]),
    );
    const controller = new AbortController();
    const result = track(
      createClient({ baseUrl: BASE, fetch: server.fetch }).listAgents({ signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(result.settled).toBe(true);
    expect(result.error?.code).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls).toHaveLength(1);
  });

  it('never retries an execution, even when the server names a short Retry-After', async () => {
    const server = scriptedFetch(
      () => problem(429, 'rate_limited', { 'retry-after': '1' }),
      () => ok({ status: 'succeeded' }),
    );
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).execute({ agentId: 'echo', input: {} }));
    await vi.advanceTimersByTimeAsync(5_000);
    await result.done;
    expect(server.calls.map((call) => call.method)).toEqual(['POST']);
    expect(result.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 1_000 });
  });
});

describe('reads back off without Retry-After', () => {
  it('waits 300 ms, then 600 ms, between attempts on a 503 with no Retry-After', async () => {
    const server = scriptedFetch(
      () => new Response('<h1>Service Unavailable</h1>', { status: 503, headers: { 'content-type': 'text/html' } }),
    );
    const result = track(createClient({ baseUrl: BASE, fetch: server.fetch }).listAgents());
    await vi.advanceTimersByTimeAsync(10_000);
    await result.done;
    expect(server.calls.map((call) => call.at)).toEqual([0, 300, 900]);
    expect(result.error).toMatchObject({ code: 'internal', status: 503, retryable: true });
    expect(result.error?.message).toContain('without a problem document');
  });

  it('retries a network error the same way, and `retry: 0` turns retries off', async () => {
    let calls = 0;
    const failing = (async () => {
      calls += 1;
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const retried = track(createClient({ baseUrl: BASE, fetch: failing, retry: 1 }).listAgents());
    await vi.advanceTimersByTimeAsync(300);
    await retried.done;
    expect(calls).toBe(2);
    expect(retried.error).toMatchObject({ code: 'internal', retryable: true });

    calls = 0;
    const once = track(createClient({ baseUrl: BASE, fetch: failing, retry: 0 }).listAgents());
    await vi.advanceTimersByTimeAsync(0);
    await once.done;
    expect(calls).toBe(1);
  });
});

describe('retry options', () => {
  it.each([
    ['retry: -1', { retry: -1 }, /retry limit must be an integer >= 0 \(got -1\)/],
    ['retry.limit: 1.5', { retry: { limit: 1.5 } }, /retry limit must be an integer >= 0 \(got 1\.5\)/],
    [
      'retry.maxRetryAfterMs: NaN',
      { retry: { maxRetryAfterMs: Number.NaN } },
      /retry\.maxRetryAfterMs must be a number >= 0 \(got NaN\)/,
    ],
  ])('refuses %s with a clear error', (_name, options, message) => {
    expect(() => createClient({ baseUrl: BASE, ...options })).toThrow(message);
  });
});
