// The remote provider speaks the same wire protocol as the client: the run body, the route and
// the content types come from protocol/, and the handler on the other side reads them back.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../../agent';
import { createExecutor } from '../../executor';
import { EVENT_STREAM_CONTENT_TYPE, JSON_CONTENT_TYPE, matchRoute, parseExecutionRequestBody } from '../../protocol';
import { remoteProvider } from './remote-provider';

const agent = defineAgent({
  id: 'summarize',
  name: 'Summarize',
  input: z.object({ text: z.string() }),
  model: { provider: 'remote', model: 'agentry-remote' },
  prompt: ({ text }) => text,
});

/** A remote that records each request and refuses it (the request is what is under test). */
function recordingRemote() {
  const requests: { url: URL; method: string; headers: Headers; body: unknown }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return new Response(JSON.stringify({ code: 'validation_failed', detail: 'refused on purpose' }), {
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
    });
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

describe('remoteProvider on the wire', () => {
  it.each([
    ['execute', false],
    ['stream', true],
  ])('%s POSTs the protocol run body, seed included, to the agent route', async (_name, stream) => {
    const remote = recordingRemote();
    const executor = createExecutor({
      agents: [agent],
      providers: {
        remote: remoteProvider({ baseUrl: 'http://remote.test/api/agentry/', fetch: remote.fetch, stream }),
      },
      limits: { maxRetries: 0 },
    });
    const run = {
      agentId: 'summarize',
      input: { text: 'hi' },
      mode: 'live',
      seed: 7,
      tenant: { tenantId: 'acme' },
    } as const;
    if (stream) for await (const _event of executor.stream(run));
    else await executor.execute(run);
    expect(remote.requests).toHaveLength(1);
    const [sent] = remote.requests;
    expect(sent?.method).toBe('POST');
    const segments = sent?.url.pathname.replace('/api/agentry/', '').split('/') ?? [];
    expect(matchRoute(segments)).toEqual({ name: 'execute', agentId: 'summarize' });
    expect(sent?.headers.get('content-type')).toBe(JSON_CONTENT_TYPE);
    expect(sent?.headers.get('accept')).toBe(stream ? EVENT_STREAM_CONTENT_TYPE : JSON_CONTENT_TYPE);
    expect(parseExecutionRequestBody(sent?.body)).toEqual({ input: { text: 'hi' }, mode: 'live', seed: 7 });
  });
});
