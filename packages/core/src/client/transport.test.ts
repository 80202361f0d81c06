import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAgentryError } from '../errors';
import { AGENT_LIST } from '../protocol';
import type { ClientOptions } from './client-options';
import { resolveRetry } from './client-options';
import { backoffMs, createTransport } from './transport';

// The transport on its own: a scripted fetch stands in for the server, waits run on fake time.

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function transportWith(answers: (() => Response)[], options: Partial<ClientOptions> = {}) {
  const calls: { url: string; init: RequestInit | undefined; at: number }[] = [];
  const start = Date.now();
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init, at: Date.now() - start });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (!answer) throw new Error('no answer scripted');
    return answer();
  }) as typeof globalThis.fetch;
  const transport = createTransport({ baseUrl: 'https://app.test/api/agentry/', fetch, timeoutMs: 1_000, ...options });
  return { transport, calls };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createTransport', () => {
  it('sends the query, the headers of the moment and a JSON body, under the prefix', async () => {
    let token = 0;
    const { transport, calls } = transportWith([() => new Response(null, { status: 204 })], {
      headers: () => ({ authorization: `Bearer ${++token}`, 'x-unset': undefined }),
    });
    await transport.send('executions', {
      method: 'POST',
      query: new URLSearchParams({ limit: '5' }),
      json: { a: 1 },
      headers: { 'last-event-id': '3' },
    });
    await transport.send('agents');
    expect(calls.map((call) => call.url)).toEqual([
      'https://app.test/api/agentry/executions?limit=5',
      'https://app.test/api/agentry/agents',
    ]);
    const first = new Headers(calls[0]?.init?.headers);
    expect(Object.fromEntries(first)).toEqual({
      authorization: 'Bearer 1',
      'content-type': 'application/json',
      'last-event-id': '3',
    });
    expect(calls[0]?.init?.body).toBe('{"a":1}');
    expect(new Headers(calls[1]?.init?.headers).get('authorization')).toBe('Bearer 2');
  });

  it('getJson retries a read after the Retry-After the server names; a write passing retries: 0 is not retried', async () => {
    const { transport, calls } = transportWith([
      () => json({ code: 'internal' }, 503, { 'retry-after': '2' }),
      () => json([]),
    ]);
    const read = transport.getJson('agents', AGENT_LIST);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(read).resolves.toEqual([]);
    expect(calls.map((call) => call.at)).toEqual([0, 2_000]);

    const write = transportWith([() => json({ code: 'internal' }, 503, { 'retry-after': '1' })]);
    const refused = write.transport.getJson('agents', AGENT_LIST, { method: 'POST', retries: 0 });
    await expect(refused).rejects.toMatchObject({ code: 'internal', status: 503 });
    expect(write.calls).toHaveLength(1);
  });

  it('call turns a timeout into an AgentryError naming the URL', async () => {
    const never = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const { transport } = transportWith([], { fetch: never });
    const answer = transport.call('agents', () => transport.send('agents')).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await answer;
    expect(isAgentryError(error) && error.code).toBe('timeout');
    expect(String((error as Error).message)).toContain('https://app.test/api/agentry/agents');
  });

  it('backs off 300 ms, 600 ms, 1.2 s, … up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffMs(attempt, 2_000))).toEqual([300, 600, 1_200, 2_000, 2_000]);
  });
});

describe('resolveRetry', () => {
  it('fills the defaults and takes a number as the limit', () => {
    expect(resolveRetry(undefined)).toEqual({ limit: 2, maxRetryAfterMs: 10_000 });
    expect(resolveRetry(0)).toEqual({ limit: 0, maxRetryAfterMs: 10_000 });
  });

  it('refuses values that cannot work, saying which', () => {
    expect(() => resolveRetry(-1)).toThrow(/retry limit must be an integer >= 0 \(got -1\)/);
    expect(() => resolveRetry({ maxRetryAfterMs: Number.NaN })).toThrow(/maxRetryAfterMs must be a number >= 0/);
  });
});
