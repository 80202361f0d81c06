// The tenant guard, probed at random over every route of createHandler:
//   GET /agents · POST /agents/:id/executions (JSON and SSE) · GET /executions · GET /executions/:id ·
//   GET /health · GET/POST /agents/:id/test-cases · PUT/DELETE /agents/:id/test-cases/:caseId ·
//   OPTIONS preflights · and anything else (wrong methods, extra segments).
// Tenant B (and anonymous callers) send random ids, encodings, traversals, unicode, forged headers,
// query parameters and body fields, and tenant A's real execution ids, agent ids and cursors.
// fast-check prints the seed and the shrunk counterexample when a property fails.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type AnyAgent, defineAgent } from '../agent';
import { createExecutor } from '../executor/create-executor';
import type { ProviderAdapter } from '../providers';
import { createMemoryTestCaseStore } from '../test-cases/memory-test-case-store';
import { createHandler } from './create-handler';

const BASE = '/api/agentry';
/** Planted in A's inputs, outputs, agents and errors: B must never receive it. */
const MARKER = 'zq-ACME-4E1B';
const TOKENS: Record<string, { tenantId: string; userId: string }> = {
  'tok-acme-1f2e9a': { tenantId: 'acme', userId: 'alice' },
  'tok-globex-9c8d0b': { tenantId: 'globex', userId: 'bob' },
};
const A_AUTH = 'Bearer tok-acme-1f2e9a';
const B_AUTH = 'Bearer tok-globex-9c8d0b';

function textAgent(id: string, owner?: string, marker = ''): AnyAgent {
  return defineAgent({
    id,
    name: `Agent ${id}${marker}`,
    description: `About ${id}${marker}`,
    input: z.object({ text: z.string().min(1).max(200) }),
    model: { provider: 'live', model: `live-1${marker}` },
    example: { text: `example${marker}` },
    prompt: ({ text }) => text,
    mock: ({ text }) => {
      if (text === 'fail') throw new Error(`database said ${MARKER}`);
      return `echo: ${text}`;
    },
    ...(owner === undefined ? {} : { tenantId: owner }),
  });
}

const live: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'live',
  execute: async (request) => ({
    text: `live: ${(request.input as { text: string }).text}`,
    usage: { inputTokens: 1, outputTokens: 1 },
    finishReason: 'stop',
  }),
  health: async () => ({ status: 'ok', configured: true, message: 'fine' }),
};

// The host stores agents per tenant and, worst case, forgets to filter: the guard must.
const stored = [textAgent('acme-stored', 'acme', MARKER), textAgent('globex-stored', 'globex')];
const executor = createExecutor({
  agents: [textAgent('echo'), textAgent('acme-private', 'acme', MARKER)],
  listAgents: () => stored,
  resolveAgent: (agentId) => stored.find((agent) => agent.id === agentId),
  providers: { live },
  limits: { maxRetries: 0 },
});
const handler = createHandler({
  executor,
  basePath: BASE,
  healthAccess: 'tenant',
  heartbeatMs: 0,
  cors: { origins: ['https://app.example.com'], credentials: true },
  testCases: { store: createMemoryTestCaseStore() },
  resolveTenant: (request) => {
    const match = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '');
    return match ? TOKENS[match[1] as string] : undefined;
  },
});

/** A's real ids and cursors, gathered before the probes. */
const acme = {
  executionIds: [] as string[],
  cursors: [] as string[],
  agentIds: ['acme-private', 'acme-stored'],
  testCaseIds: [] as string[],
};
let globexExecutionId = '';

function send(authorization: string | undefined, method: string, path: string, body?: unknown, accept?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (accept !== undefined) headers.accept = accept;
  return handler(
    new Request(`http://app.test${BASE}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

beforeAll(async () => {
  for (const [agentId, text, accept] of [
    ['echo', `plans ${MARKER}`, 'application/json'],
    ['echo', `roadmap ${MARKER}`, 'text/event-stream'],
    ['acme-private', `private ${MARKER}`, 'application/json'],
    ['acme-stored', `stored ${MARKER}`, 'application/json'],
    ['echo', 'fail', 'application/json'],
  ] as const) {
    const response = await send(A_AUTH, 'POST', `/agents/${agentId}/executions`, { input: { text } }, accept);
    expect(response.status).toBe(200);
    await response.text();
  }
  let cursor = '';
  do {
    const page = (await (await send(A_AUTH, 'GET', `/executions?limit=1${cursor}`)).json()) as {
      items: { id: string }[];
      nextCursor?: string;
    };
    acme.executionIds.push(...page.items.map((item) => item.id));
    if (page.nextCursor !== undefined) acme.cursors.push(page.nextCursor);
    cursor = page.nextCursor === undefined ? '' : `&cursor=${encodeURIComponent(page.nextCursor)}`;
  } while (cursor !== '');
  expect(acme.executionIds).toHaveLength(5);
  expect(acme.cursors.length).toBeGreaterThan(0);
  // A's saved test cases, on a shared agent and on its own, each carrying the marker.
  for (const agentId of ['echo', 'acme-private', 'acme-stored']) {
    const saved = await send(A_AUTH, 'POST', `/agents/${agentId}/test-cases`, {
      name: `case ${MARKER}`,
      input: { text: `case ${MARKER}` },
      expectations: { contains: MARKER },
    });
    expect(saved.status).toBe(201);
    acme.testCaseIds.push(((await saved.json()) as { id: string }).id);
  }
  // B has history of its own, so its lists are not trivially empty.
  const own = await send(B_AUTH, 'POST', '/agents/echo/executions', { input: { text: 'globex notes' } });
  globexExecutionId = ((await own.json()) as { id: string }).id;
});

/** Ways to write a path segment: as is, URL-encoded, every character percent-encoded, twice encoded, with traversal. */
const encodings: Record<string, (segment: string) => string> = {
  raw: (segment) => segment,
  uri: encodeURIComponent,
  everyChar: (segment) =>
    [...new TextEncoder().encode(segment)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''),
  everyCharUpper: (segment) =>
    [...new TextEncoder().encode(segment)]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  double: (segment) => encodeURIComponent(encodeURIComponent(segment)),
  traversal: (segment) => `..%2f..%2f${encodeURIComponent(segment)}`,
  dotted: (segment) => `%2e%2e/${encodeURIComponent(segment)}`,
  trailing: (segment) => `${encodeURIComponent(segment)}/`,
};
const encoding = fc.constantFrom(...Object.keys(encodings));

const TRAVERSALS = ['..', '.', '%2e%2e', '..%2f', '%252e%252e%252f', '%00', '%ff', '%c0%ae', '..\\', '%5c', ';', '@'];
const segment = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'echo',
      'globex-stored',
      'acme-private',
      'acme-stored',
      'A-EXECUTION',
      'B-EXECUTION',
      'A-TEST-CASE',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('health', 'agents', 'executions', '') },
  { weight: 2, arbitrary: fc.constantFrom(...TRAVERSALS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** The routes of createHandler (weighted up), and near misses: wrong methods, extra segments, routes it lacks. */
const template = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ['GET', '/agents'],
      ['POST', '/agents/{}/executions'],
      ['POST', '/agents/{}/executions'],
      ['GET', '/executions'],
      ['GET', '/executions/{}'],
      ['GET', '/health'],
      ['OPTIONS', '/agents/{}/executions'],
      ['GET', '/agents/{}/test-cases'],
      ['POST', '/agents/{}/test-cases'],
      ['PUT', '/agents/{}/test-cases/{}'],
      ['DELETE', '/agents/{}/test-cases/{}'],
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ['PUT', '/executions/{}'],
      ['DELETE', '/agents/{}'],
      ['POST', '/executions/{}/cancel'],
      ['GET', '/executions/{}/events'],
      ['GET', '/agents/{}/executions/{}'],
    ),
  },
);

/** Headers, query parameters and body fields that name tenant A without being A's credential. */
const forgedHeaders = fc.subarray([
  ['x-tenant-id', 'acme'],
  ['x-agentry-tenant', 'acme'],
  ['x-user-id', 'alice'],
  ['tenant', 'acme'],
  ['x-forwarded-user', 'alice'],
  ['x-authorization', A_AUTH],
  ['cookie', 'session=acme.alice; tenant=acme'],
  ['origin', 'https://app.example.com'],
  ['access-control-request-method', 'POST'],
] as const);
const forgedValue = fc.oneof(
  fc.constantFrom('acme', 'alice', 'acme-private', 'acme-stored', A_AUTH, 'A-EXECUTION', 'A-CURSOR'),
  fc.string({ maxLength: 8 }),
  fc.integer().map(String),
);
const forgedQuery = fc.dictionary(
  fc.constantFrom('tenantId', 'tenant', 'userId', 'tenant_id', 'agentId', 'cursor', 'limit', 'workspace'),
  forgedValue,
  { maxKeys: 4 },
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.record({ input: fc.record({ text: fc.string({ minLength: 1, maxLength: 20 }) }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      name: fc.string({ minLength: 1, maxLength: 20 }),
      input: fc.record({ text: fc.string({ minLength: 1, maxLength: 20 }) }),
      tenantId: forgedValue,
      id: fc.constant('A-TEST-CASE'),
    }),
  },
  fc.record({
    input: fc.oneof(fc.record({ text: fc.string({ minLength: 1, maxLength: 20 }) }), fc.jsonValue({ maxDepth: 2 })),
    mode: fc.constantFrom('mock', 'live', undefined, 'admin'),
    tenantId: forgedValue,
    tenant: fc.record({ tenantId: fc.constant('acme'), userId: fc.constant('alice') }),
    userId: forgedValue,
    executionId: fc.constant('A-EXECUTION'),
  }),
  fc.jsonValue({ maxDepth: 2 }),
);

const who = fc.constantFrom(
  'B',
  'B',
  'B',
  'anonymous',
  'Bearer tok-nobody',
  'bearer tok-acme-1f2e9a',
  'Basic tok-acme-1f2e9a',
);

/** A's real ids and cursors (and B's own execution) stand in for their placeholders. */
function fill(value: string, random: number): string {
  const pick = (items: string[]) => items[random % items.length] as string;
  return value
    .replaceAll('A-EXECUTION', pick(acme.executionIds))
    .replaceAll('A-CURSOR', pick(acme.cursors))
    .replaceAll('A-TEST-CASE', pick(acme.testCaseIds))
    .replaceAll('B-EXECUTION', globexExecutionId);
}

function tenantIds(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) tenantIds(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'tenantId' && typeof item === 'string') out.push(item);
      else tenantIds(item, out);
    }
  }
  return out;
}

/** The JSON documents of a response: the body, or each SSE `data:` payload. */
function documents(text: string, contentType: string): unknown[] {
  if (text === '') return [];
  if (!contentType.includes('event-stream')) return [JSON.parse(text)];
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line.startsWith('data: ')))
    .filter((lines) => lines.length > 0)
    .map((lines) => JSON.parse(lines.map((line) => line.slice(6)).join('\n')));
}

describe('the tenant guard over every route (property)', () => {
  it("B and anonymous callers never get A's data, never a 5xx; anonymous never gets past 401", async () => {
    await fc.assert(
      fc.asyncProperty(
        who,
        template,
        fc.array(fc.tuple(segment, encoding), { minLength: 2, maxLength: 2 }),
        forgedHeaders,
        forgedQuery,
        body,
        fc.constantFrom('application/json', 'text/event-stream', '*/*'),
        fc.nat(),
        async (caller, [method, route], parts, forged, query, payload, accept, random) => {
          let path: string = route;
          for (const [part, how] of parts) {
            path = path.replace('{}', (encodings[how] as (value: string) => string)(fill(part, random)));
          }
          const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, fill(value, random)]));
          const headers: Record<string, string> = { accept, 'content-type': 'application/json' };
          for (const [name, value] of forged) headers[name] = fill(value, random);
          if (caller === 'B') headers.authorization = B_AUTH;
          else if (caller !== 'anonymous') headers.authorization = caller;
          let request: Request;
          try {
            request = new Request(`http://app.test${BASE}${path}?${search}`, {
              method,
              headers,
              ...(method === 'POST' || method === 'PUT'
                ? { body: fill(JSON.stringify(payload) ?? 'null', random) }
                : {}),
            });
          } catch {
            return; // Not a request a client could send (an invalid URL or header).
          }
          const response = await handler(request);
          const text = await response.text();
          const headerText = [...response.headers].join('\n');
          expect(response.status).toBeLessThan(500);
          expect(text).not.toContain(MARKER);
          expect(headerText).not.toContain(MARKER);
          const contentType = response.headers.get('content-type') ?? '';
          if (contentType.includes('json') || contentType.includes('event-stream')) {
            for (const tenantId of tenantIds(documents(text, contentType))) expect(tenantId).toBe('globex');
          }
          if (caller !== 'B') {
            // Anonymous: refused (401), or no such route (404/405), or a CORS preflight (no data).
            expect([401, 404, 405, ...(method === 'OPTIONS' ? [204] : [])]).toContain(response.status);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every route, asked anonymously or with forged tenant headers only, answers 401', async () => {
    const routes = [
      ['GET', () => '/agents'],
      ['POST', (id: string) => `/agents/${id}/executions`],
      ['GET', () => '/executions'],
      ['GET', (id: string) => `/executions/${id}`],
      ['GET', () => '/health'],
      ['GET', (id: string) => `/agents/${id}/test-cases`],
      ['POST', (id: string) => `/agents/${id}/test-cases`],
      ['PUT', (id: string) => `/agents/echo/test-cases/${id}`],
      ['DELETE', (id: string) => `/agents/echo/test-cases/${id}`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(
          fc.constantFrom('A-EXECUTION', 'A-TEST-CASE', 'acme-private', 'echo'),
          fc.string({ minLength: 1, maxLength: 10 }),
        ),
        forgedHeaders,
        fc.nat(),
        async ([method, route], id, forged, random) => {
          const segment = encodeURIComponent(fill(id, random));
          // `.` and `..` are dot segments: the URL parser removes them, so the path is no longer this
          // route (`/agents/./executions` is `/agents/executions`, a 404). The other test covers them.
          fc.pre(segment !== '.' && segment !== '..');
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          for (const [name, value] of forged) if (name !== 'access-control-request-method') headers[name] = value;
          const response = await handler(
            new Request(`http://app.test${BASE}${route(segment)}?tenantId=acme`, {
              method,
              headers,
              ...(method === 'POST' || method === 'PUT'
                ? { body: JSON.stringify({ name: 'n', input: { text: 'x' }, tenantId: 'acme' }) }
                : {}),
            }),
          );
          expect(response.status).toBe(401);
          expect(await response.json()).toMatchObject({ code: 'tenant_required' });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('no existence leak (property)', () => {
  /** The same body whatever the id was: the echoed id replaced by a placeholder. */
  async function shape(response: Response, echoed: string) {
    return { status: response.status, body: (await response.text()).replaceAll(echoed, '<id>') };
  }
  const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
  const decodable = fc.constantFrom('raw', 'uri', 'everyChar', 'everyCharUpper', 'double');

  it("A's execution ids answer B exactly as ids that never existed, in every encoding", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), hex, decodable, async (random, fresh, how) => {
        const encode = encodings[how] as (value: string) => string;
        const real = acme.executionIds[random % acme.executionIds.length] as string;
        const missing = `exe_${fresh}`;
        const foreign = await send(B_AUTH, 'GET', `/executions/${encode(real)}`);
        const absent = await send(B_AUTH, 'GET', `/executions/${encode(missing)}`);
        expect(foreign.status).toBe(404);
        expect(await shape(foreign, decodeURIComponent(encode(real)))).toEqual(
          await shape(absent, decodeURIComponent(encode(missing))),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("A's test cases answer B exactly as cases that never existed (PUT, DELETE), and A's agents' lists too", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        hex,
        decodable,
        fc.constantFrom('PUT', 'DELETE'),
        async (random, fresh, how, method) => {
          const encode = encodings[how] as (value: string) => string;
          const real = acme.testCaseIds[random % acme.testCaseIds.length] as string;
          const missing = `tc_${fresh}`;
          const body = method === 'PUT' ? { name: 'taken over', input: { text: 'x' } } : undefined;
          const foreign = await send(B_AUTH, method, `/agents/echo/test-cases/${encode(real)}`, body);
          const absent = await send(B_AUTH, method, `/agents/echo/test-cases/${encode(missing)}`, body);
          expect(foreign.status).toBe(404);
          expect(await shape(foreign, decodeURIComponent(encode(real)))).toEqual(
            await shape(absent, decodeURIComponent(encode(missing))),
          );
          const agentId = acme.agentIds[random % acme.agentIds.length] as string;
          const list = await send(B_AUTH, 'GET', `/agents/${encode(agentId)}/test-cases`);
          const none = await send(B_AUTH, 'GET', `/agents/${encode(`zz${fresh}`)}/test-cases`);
          expect(await shape(list, agentId)).toEqual(await shape(none, `zz${fresh}`));
        },
      ),
      { numRuns: 100 },
    );
    // A's cases are all still there, unchanged.
    const listed = (await (await send(A_AUTH, 'GET', '/agents/echo/test-cases')).json()) as { name: string }[];
    expect(listed.map((item) => item.name)).toEqual([`case ${MARKER}`]);
  });

  it("A's agents answer B exactly as agents that never existed: run (JSON, SSE) and history filter", async () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-'), minLength: 12, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...acme.agentIds),
        name,
        decodable,
        fc.constantFrom('application/json', 'text/event-stream'),
        async (real, fresh, how, accept) => {
          const missing = `zz${fresh}`;
          const encode = encodings[how] as (value: string) => string;
          const run = (agentId: string) =>
            send(B_AUTH, 'POST', `/agents/${encode(agentId)}/executions`, { input: { text: 'x' } }, accept);
          const foreign = await run(real);
          expect(foreign.status).toBe(404);
          expect(await shape(foreign, decodeURIComponent(encode(real)))).toEqual(
            await shape(await run(missing), decodeURIComponent(encode(missing))),
          );
          const history = (agentId: string) =>
            send(B_AUTH, 'GET', `/executions?agentId=${encodeURIComponent(agentId)}`);
          expect(await shape(await history(real), real)).toEqual(await shape(await history(missing), missing));
        },
      ),
      { numRuns: 150 },
    );
  });
});
