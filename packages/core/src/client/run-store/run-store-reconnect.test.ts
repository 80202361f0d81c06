import { describe, expect, it, vi } from 'vitest';
import { A, setup } from '../../server/coordination.test-support';
import { createClient } from '../create-client';
import { cuttingFetch } from '../cutting-fetch.test-support';
import { createRunStore } from './create-run-store';
import type { RunConnection } from './types';

// The run store on the real client and handler, with the run stream cut after three events:
// it shows `reconnecting` while the client resumes, then the run goes on with nothing repeated.

function connectedStore(options: { failResumes?: boolean } = {}) {
  const server = setup();
  const { fetch, requests } = cuttingFetch(server.handler, { cutAfter: 3, ...options });
  const client = createClient({
    baseUrl: 'http://app.test/api',
    headers: { cookie: A },
    fetch,
    retry: 0,
    reconnectAttempts: 2,
  });
  const store = createRunStore({ streamThrottleMs: 0, metricsIntervalMs: 0 });
  store.connect(client);
  const connections: RunConnection[] = [];
  store.subscribe(() => {
    const { connection } = store.getSnapshot();
    if (connections.at(-1) !== connection) connections.push(connection);
  });
  return { ...server, store, requests, connections };
}

describe('the run store resumes a dropped stream', () => {
  it('shows reconnecting, then continues the run with every chunk once', async () => {
    const { store, gated, connections, requests } = connectedStore();
    const done = store.run({ agentId: 'words', input: { text: 'go' }, mode: 'live', validate: false });
    await vi.waitFor(() => expect(store.getSnapshot().connection).toBe('reconnecting'));
    expect(store.getSnapshot().status).toBe('streaming');
    gated.open();
    const entry = await done;
    expect(entry?.status).toBe('succeeded');
    expect(entry?.output).toBe('one two three four');
    expect(connections).toEqual(['live', 'reconnecting', 'live']);
    expect(requests.filter((request) => request.url.endsWith('/events')).map((request) => request.lastEventId)).toEqual(
      ['3'],
    );
  });

  it('marks the connection lost when resuming fails, and shows the record once the server has it', async () => {
    const { store, gated, connections } = connectedStore({ failResumes: true });
    const done = store.run({ agentId: 'words', input: { text: 'go' }, mode: 'live', validate: false });
    await vi.waitFor(() => expect(store.getSnapshot().connection).toBe('lost'), { timeout: 5000 });
    const failed = store.getSnapshot();
    expect(failed.status).toBe('failed');
    expect(failed.error?.retryable).toBe(true);
    expect(failed.output).toBe('one two ');
    // The run goes on on the server (the stream left, the run did not): its record tells how it ended.
    gated.open();
    const entry = await done;
    expect(connections).toEqual(['live', 'reconnecting', 'lost']);
    expect(entry?.connection).toBe('lost');
    expect(entry?.status).toBe('succeeded');
    expect(entry?.output).toBe('one two three four');
    expect(entry?.error).toBeUndefined();
    expect(store.getSnapshot().result?.status).toBe('succeeded');
  });
});
