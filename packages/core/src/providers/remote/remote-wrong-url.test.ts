// A remote whose baseUrl is not an Agentry handler (a 404 page, an SPA's index.html): the run is
// refused as a configuration problem on this side, naming what answered, not as a provider hiccup.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../../agent';
import { isAgentryError } from '../../errors';
import { silentLogger } from '../../logging';
import type { ProviderContext, ProviderRequest } from '../types';
import { remoteProvider } from './remote-provider';

const agent = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ text: z.string() }),
  model: { provider: 'remote', model: 'agents-service' },
  prompt: ({ text }) => text,
});
const request = {
  agent,
  input: { text: 'x' },
  messages: [],
  model: 'agents-service',
  mode: 'live',
  executionId: 'exe_local',
  attempt: 1,
} as ProviderRequest;
const context = (): ProviderContext => ({
  signal: new AbortController().signal,
  tenant: { tenantId: 'acme', userId: 'alice' },
  logger: silentLogger,
});

async function failure(run: () => Promise<unknown>) {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
  return error;
}

describe('remoteProvider with a baseUrl that is not an Agentry handler', () => {
  it('a 404 page → provider_not_configured, naming what answered and where', async () => {
    const notFound: typeof fetch = async () =>
      new Response('<h1>Not Found</h1>', { status: 404, headers: { 'content-type': 'text/html' } });
    const error = await failure(() =>
      remoteProvider({ baseUrl: 'http://agents.internal/wrong', fetch: notFound, stream: false }).execute(
        request,
        context(),
      ),
    );
    expect(error).toMatchObject({ code: 'provider_not_configured', provider: 'remote', retryable: false });
    expect(error.message).toBe(
      'This URL is not an Agentry endpoint (got text/html from http://agents.internal/wrong/agents/echo/executions). Check remoteProvider({ baseUrl }): it must be where the remote service mounts its Agentry handler.',
    );
  });

  it('sends plain fetch requests: JSON body, content type, accept, the configured headers', async () => {
    const seen: Request[] = [];
    const capture: typeof fetch = async (input, init) => {
      seen.push(new Request(input, init));
      return new Response('{}', { status: 500 });
    };
    await failure(() =>
      remoteProvider({
        baseUrl: 'http://agents.internal/api/agentry/',
        fetch: capture,
        stream: false,
        headers: { authorization: 'Bearer service-token' },
      }).execute(request, context()),
    );
    const sent = seen[0] as Request;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('http://agents.internal/api/agentry/agents/echo/executions');
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('accept')).toBe('application/json');
    expect(sent.headers.get('authorization')).toBe('Bearer service-token');
    expect(await sent.json()).toEqual({ input: { text: 'x' }, mode: 'live' });
  });
});
