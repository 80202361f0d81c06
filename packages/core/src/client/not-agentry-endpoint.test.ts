// A client pointed at something that is not an Agentry handler (an SPA answering every path
// with its index.html, another API, a server without the route) must say so, not report a
// JSON SyntaxError as "Something went wrong on our side".
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentryError, isAgentryError } from '../errors';
import {
  AGENT_LIST,
  type AgentryBody,
  EXECUTION_PAGE,
  EXECUTION_RECORD,
  errorFromResponse,
  HEALTH_REPORT,
  readAgentryJson,
} from '../protocol';
import { type Loopback, listen } from '../server/loopback.test-support';
import { createClient } from './create-client';

const SPA_PAGE = '<!doctype html><html><head><title>My app</title></head><body><div id="root"></div></body></html>';

async function rejection(promise: Promise<unknown>): Promise<AgentryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
  return error;
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) {
    // only the rejection matters
  }
}

type ClientCall = [name: string, run: (client: ReturnType<typeof createClient>) => Promise<unknown>];

const CALLS: ClientCall[] = [
  ['listAgents', (client) => client.listAgents()],
  ['execute', (client) => client.execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'mock' })],
  ['stream', (client) => drain(client.stream({ agentId: 'echo', input: { text: 'hi' }, mode: 'mock' }))],
  ['listExecutions', (client) => client.listExecutions()],
  ['getExecution', (client) => client.getExecution('exe_1')],
  ['health', (client) => client.health()],
];

describe('a baseUrl that is not an Agentry endpoint', () => {
  let spa: Loopback;
  let otherApi: Loopback;
  let noRoute: Loopback;

  beforeAll(async () => {
    // Vite's or a static host's SPA fallback: 200 text/html for every path and method.
    spa = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SPA_PAGE);
    });
    // Another JSON API mounted where the client looks.
    otherApi = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    });
    // A server that has no route there: 404 with its own page.
    noRoute = await listen((req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Cannot GET</h1>');
    });
  });
  afterAll(async () => {
    await spa.close();
    await otherApi.close();
    await noRoute.close();
  });

  it.each(CALLS)('%s against an SPA fallback (200 text/html) rejects with not_agentry_endpoint', async (_, run) => {
    const baseUrl = `${spa.origin}/api/agentry`;
    const error = await rejection(run(createClient({ baseUrl, retry: 0 })));
    expect(error.code).toBe('not_agentry_endpoint');
    expect(error.message).toMatch(
      new RegExp(
        `^This URL is not an Agentry endpoint \\(got text/html from ${spa.origin}/api/agentry/[a-z_/0-9]+\\)\\.`,
      ),
    );
    // What the TestPanel shows: the same sentence, not "Something went wrong on our side".
    expect(error.userMessage).toMatch(/^This URL is not an Agentry endpoint \(got text\/html from /);
    expect(error).toMatchObject({ status: 200, retryable: false });
  });

  it.each(CALLS)('%s against another JSON API names what was missing', async (name, run) => {
    const error = await rejection(run(createClient({ baseUrl: otherApi.origin, retry: 0 })));
    expect(error.code).toBe('not_agentry_endpoint');
    expect(error.message).toMatch(
      /^This URL is not an Agentry endpoint \(got application\/json without an? [a-z ]+ from /,
    );
    if (name === 'listAgents') expect(error.message).toContain('without an agent list');
  });

  it.each(CALLS)('%s against a server without the route (404 text/html) says so', async (_, run) => {
    const error = await rejection(run(createClient({ baseUrl: noRoute.origin, retry: 0 })));
    expect(error.code).toBe('not_agentry_endpoint');
    expect(error.message).toMatch(/^This URL is not an Agentry endpoint \(got text\/html from /);
    expect(error.status).toBe(404);
  });
});

describe('errorFromResponse', () => {
  it('reads a 404 or 405 without a problem document as not_agentry_endpoint, and keeps the handler’s own 404', () => {
    for (const status of [404, 405]) {
      const page = new Response('<h1>Not Found</h1>', { status, headers: { 'content-type': 'text/html' } });
      const error = errorFromResponse(page, undefined, undefined, 'https://app.test/api/agentry/agents');
      expect(error).toMatchObject({ code: 'not_agentry_endpoint', status });
      expect(error.message).toContain('(got text/html from https://app.test/api/agentry/agents)');
    }
    const problem = { code: 'not_found', status: 404, detail: 'No agent "nope" in this workspace.' };
    const handlerAnswer = new Response(JSON.stringify(problem), {
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
    });
    expect(errorFromResponse(handlerAnswer, problem)).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('keeps the status codes of proxies in front of a real handler (429, 503, 413)', () => {
    const codes = [429, 503, 413].map(
      (status) => errorFromResponse(new Response('<html>busy</html>', { status }), undefined).code,
    );
    expect(codes).toEqual(['rate_limited', 'internal', 'input_too_large']);
  });
});

describe('readAgentryJson', () => {
  const bodies: AgentryBody<unknown>[] = [AGENT_LIST, EXECUTION_RECORD, EXECUTION_PAGE, HEALTH_REPORT];
  const notJson = fc.string().filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });
  const contentType = fc.constantFrom('text/html', 'text/plain', 'application/json', 'application/xml', '');

  it('rejects any non-JSON body with not_agentry_endpoint, never a SyntaxError', async () => {
    await fc.assert(
      fc.asyncProperty(notJson, contentType, fc.constantFrom(...bodies), async (text, type, body) => {
        const response = new Response(text, { headers: type ? { 'content-type': type } : {} });
        const error = await rejection(readAgentryJson(response, 'https://app.test/api/agentry/agents?x=1', body));
        expect(error.code).toBe('not_agentry_endpoint');
        // A string body without a type is text/plain, as fetch labels it.
        expect(error.message).toContain(`(got ${type || 'text/plain'}`);
        expect(error.message).toContain('from https://app.test/api/agentry/agents)');
      }),
      { numRuns: 200 },
    );
  });

  it('rejects JSON of another shape, and accepts the shape it expects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.constantFrom(...bodies), async (value, body) => {
        const response = new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });
        const read = readAgentryJson(response, '/api/agentry/agents', body);
        if (body.is(value)) await expect(read).resolves.toEqual(value);
        else expect((await rejection(read)).message).toContain(`without ${body.expected}`);
      }),
      { numRuns: 300 },
    );
    const agents = [{ id: 'echo', name: 'Echo', inputSchema: {}, modes: ['mock'], live: { available: false } }];
    const response = new Response(JSON.stringify(agents), { headers: { 'content-type': 'application/json' } });
    await expect(readAgentryJson(response, '/api/agentry/agents', AGENT_LIST)).resolves.toEqual(agents);
  });
});
