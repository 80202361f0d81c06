import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import type { StreamConnectionState } from '../executor/types';
import type { ExecutionEvent } from '../protocol';
import { A, B, setup } from '../server/coordination.test-support';
import { createClient } from './create-client';
import { cuttingFetch } from './cutting-fetch.test-support';

// The client against the real handler (called in-process through `fetch`): cancel, events with
// Last-Event-ID, and a dropped run stream that resumes on its own with every event exactly once.

describe('client.stream reconnects a dropped stream', () => {
  it('resumes with Last-Event-ID and yields every event exactly once', async () => {
    const { handler, gated } = setup();
    const { fetch, requests } = cuttingFetch(handler, { cutAfter: 3 });
    const client = createClient({ baseUrl: 'http://app.test/api', headers: { cookie: A }, fetch });
    const events: ExecutionEvent[] = [];
    const states: StreamConnectionState[] = [];
    const onConnectionChange = (state: StreamConnectionState) => states.push(state);
    for await (const event of client.stream({
      agentId: 'words',
      input: { text: 'go' },
      mode: 'live',
      onConnectionChange,
    })) {
      events.push(event);
      if (events.length === 3) gated.open();
    }
    // A "Reconnecting…" status can show while it resumes, and clear once the stream is back.
    expect(states.map((state) => [state.status, state.lastEventId])).toEqual([
      ['reconnecting', 3],
      ['connected', 3],
    ]);
    expect(states[0]).toMatchObject({ attempt: 1, error: { retryable: true } });
    expect(events.map((event) => event.type)).toEqual([
      'execution-start',
      'output-delta',
      'output-delta',
      'output-delta',
      'output-delta',
      'usage',
      'execution-finish',
    ]);
    const text = events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : [])).join('');
    expect(text).toBe('one two three four');
    const resumed = requests.find((request) => request.url.endsWith('/events'));
    expect(resumed?.lastEventId).toBe('3');
  });

  it('gives up after the reconnect attempts when the server keeps failing, with a retryable error', async () => {
    const { handler } = setup();
    const { fetch: cutting } = cuttingFetch(handler, { cutAfter: 2 });
    let resumes = 0;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/events')) {
        resumes += 1;
        throw new TypeError('fetch failed');
      }
      return cutting(input, init);
    }) as typeof globalThis.fetch;
    const client = createClient({
      baseUrl: 'http://app.test/api',
      headers: { cookie: A },
      fetch,
      retry: 0,
      reconnectAttempts: 2,
    });
    let thrown: unknown;
    const attempts: number[] = [];
    const onConnectionChange = (state: StreamConnectionState) => {
      if (state.status === 'reconnecting') attempts.push(state.attempt);
      else throw new Error('never connected again');
    };
    try {
      for await (const _event of client.stream({
        agentId: 'words',
        input: { text: 'go' },
        mode: 'live',
        onConnectionChange,
      })) {
        // read until it fails
      }
    } catch (error) {
      thrown = error;
    }
    expect(isAgentryError(thrown) && thrown.retryable).toBe(true);
    expect(resumes).toBe(2);
    expect(attempts).toEqual([1, 2]);
  });
});

describe('client.events and client.cancel', () => {
  it('cancel stops a running execution and answers its cancelled record; events replays it', async () => {
    const { handler } = setup();
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      handler(new Request(input, init))) as typeof globalThis.fetch;
    const client = createClient({ baseUrl: 'http://app.test/api', headers: { cookie: A }, fetch });
    const stream = client.stream({ agentId: 'words', input: { text: 'go' }, mode: 'live' })[Symbol.asyncIterator]();
    const start = (await stream.next()).value as ExecutionEvent;
    await stream.next();
    await stream.next();
    const record = await client.cancel(start.executionId);
    expect(record.status).toBe('cancelled');
    expect(record.output).toBe('one two ');
    const entries = [];
    for await (const entry of client.events(start.executionId, { lastEventId: 2 })) entries.push(entry);
    expect(entries[0]?.id).toBe(3);
    expect(entries.at(-1)?.event.type).toBe('execution-error');
    await stream.return?.();
    const foreign = createClient({ baseUrl: 'http://app.test/api', headers: { cookie: B }, fetch });
    await expect(foreign.cancel(start.executionId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
