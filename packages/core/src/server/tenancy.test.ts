import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type AnyAgent, defineAgent } from '../agent';
import { createClient } from '../client/create-client';
import { isAgentryError } from '../errors';
import type { AgentSummary, ExecutionResult } from '../protocol';
import { createHandler } from './create-handler';
import { type Loopback, listen, resolveTenantFromSession, sessionCookie, testExecutor } from './loopback.test-support';
import { toNodeListener } from './node-listener';

// Tenant A is `acme` (owns the `acme-private` agent); tenant B is `globex`.
const BASE = '/api/agentry';
const A = sessionCookie('acme', 'alice');
const B = sessionCookie('globex', 'bob');
let server: Loopback;
let aRecord: ExecutionResult;
let aPrivateRecord: ExecutionResult;
let bRecord: ExecutionResult;

beforeAll(async () => {
  server = await listen(
    toNodeListener(
      createHandler({ executor: testExecutor(), resolveTenant: resolveTenantFromSession, basePath: BASE }),
    ),
  );
  const a = createClient({ baseUrl: `${server.origin}${BASE}`, headers: { cookie: A } });
  aRecord = await a.execute({ agentId: 'echo', input: { text: 'acme secret plans' } });
  aPrivateRecord = await a.execute({ agentId: 'acme-private', input: { text: 'x' } });
  // B has history of its own, so "B sees only B's runs" is checked on a list that is not empty.
  const b = createClient({ baseUrl: `${server.origin}${BASE}`, headers: { cookie: B } });
  bRecord = await b.execute({ agentId: 'echo', input: { text: 'globex own run' } });
});
afterAll(() => server.close());

/** Every way a forger might name tenant A while signed in as B. */
const FORGED_HEADERS = {
  'x-tenant-id': 'acme',
  'x-agentry-tenant': 'acme',
  'x-user-id': 'alice',
  tenant: 'acme',
};

function asB(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.origin}${BASE}${path}`, {
    ...init,
    headers: { cookie: B, ...FORGED_HEADERS, ...(init.headers as Record<string, string>) },
  });
}

describe('two tenants', () => {
  it('A sees its own agents, records and history', async () => {
    const a = createClient({ baseUrl: `${server.origin}${BASE}`, headers: { cookie: A } });
    expect((await a.listAgents()).map((agent) => agent.id)).toContain('acme-private');
    expect((await a.listExecutions()).items.map((item) => item.id)).toEqual(
      expect.arrayContaining([aRecord.id, aPrivateRecord.id]),
    );
    expect((await a.getExecution(aRecord.id)).tenantId).toBe('acme');
  });

  it("B does not see A's tenant-owned agent, even with forged tenant headers and query", async () => {
    const response = await asB('/agents?tenantId=acme&tenant=acme');
    const ids = ((await response.json()) as { id: string }[]).map((agent) => agent.id);
    expect(ids).toContain('echo');
    expect(ids).not.toContain('acme-private');
  });

  it("B cannot run A's agent: not_found, never forbidden", async () => {
    const response = await asB('/agents/acme-private/executions?tenantId=acme', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { text: 'x' }, mode: 'mock', tenantId: 'acme', tenant: { tenantId: 'acme' } }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found' });
  });

  it("B's history does not contain A's executions, whatever the query says", async () => {
    const pages = new Map<string, ExecutionResult[]>();
    for (const query of ['', '?tenantId=acme', '?agentId=echo&tenantId=acme', '?agentId=acme-private']) {
      const page = (await (await asB(`/executions${query}`)).json()) as { items: ExecutionResult[] };
      pages.set(query, page.items);
      expect(page.items.map((item) => item.tenantId)).toEqual(page.items.map(() => 'globex'));
      expect(page.items.map((item) => item.id)).not.toContain(aRecord.id);
      expect(page.items.map((item) => item.id)).not.toContain(aPrivateRecord.id);
    }
    // B's own run is there whenever the filter admits it: the lists above were not empty by accident.
    for (const query of ['', '?tenantId=acme', '?agentId=echo&tenantId=acme']) {
      expect(pages.get(query)?.map((item) => item.id)).toContain(bRecord.id);
    }
    expect(pages.get('?agentId=acme-private')).toEqual([]);
  });

  it("B cannot fetch A's execution by id: 404 not_found, same as a missing one", async () => {
    for (const id of [aRecord.id, aPrivateRecord.id]) {
      const response = await asB(`/executions/${id}?tenantId=acme`);
      expect(response.status).toBe(404);
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe('not_found');
      expect(JSON.stringify(problem)).not.toContain('acme secret plans');
    }
    const missing = (await (await asB('/executions/exe_missing')).json()) as { userMessage: string };
    const foreign = (await (await asB(`/executions/${aRecord.id}`)).json()) as { userMessage: string };
    expect(foreign.userMessage).toBe(missing.userMessage);
  });

  it("a run by B with a forged tenant id in body, query and headers is recorded as B's", async () => {
    const response = await asB('/agents/echo/executions?tenantId=acme&userId=alice', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { text: 'mine' }, tenantId: 'acme', userId: 'alice' }),
    });
    const record = (await response.json()) as ExecutionResult;
    expect(record).toMatchObject({ tenantId: 'globex', userId: 'bob' });
    const a = createClient({ baseUrl: `${server.origin}${BASE}`, headers: { cookie: A } });
    const error = await a.getExecution(record.id).catch((caught: unknown) => caught);
    expect(isAgentryError(error) && error.code).toBe('not_found');
  });

  it('a forged tenant header without a session is still 401', async () => {
    const response = await fetch(`${server.origin}${BASE}/executions?tenantId=acme`, { headers: FORGED_HEADERS });
    expect(response.status).toBe(401);
  });
});

describe("a host's listAgents and resolveAgent that forget the tenant filter", () => {
  // Planted in everything of tenant A's stored agents: B's answers must never carry it.
  const MARK = 'zq-ACME-STORED-2291';
  const stored = (id: string, owner: unknown, mark = ''): AnyAgent => ({
    ...defineAgent({
      id,
      name: `Stored ${id}${mark}`,
      description: `Owned by ${String(owner)}${mark}`,
      input: z.object({ text: z.string().describe(`text${mark}`) }),
      model: { provider: `vault${mark}`, model: `model${mark}` },
      example: { text: `example${mark}` },
      prompt: ({ text }) => text,
      mock: () => `stored says${mark}`,
    }),
    tenantId: owner as string,
  });
  // Every tenant's stored agents, a malformed owner, a duplicate, and one clashing with a shared agent's id.
  const everything = [
    stored('acme-stored', 'acme', MARK),
    stored('globex-stored', 'globex'),
    stored('null-owner', null, MARK),
    stored('number-owner', 7, MARK),
    stored('globex-stored', 'globex'),
    stored('echo', 'acme', MARK),
    // Not agents defineAgent would make: an id that is a path, modes that are not a list.
    { ...stored('shared-looking', undefined, MARK), id: '../acme-stored' },
    { ...stored('broken-modes', 'globex', MARK), modes: 'live' as never },
  ];
  const handler = createHandler({
    executor: testExecutor({
      listAgents: () => everything,
      resolveAgent: (agentId) => everything.find((agent) => agent.id === agentId),
    }),
    resolveTenant: resolveTenantFromSession,
    basePath: BASE,
  });
  const as = (cookie: string, path: string, init: RequestInit = {}) =>
    handler(
      new Request(`http://app.test${BASE}${path}`, {
        ...init,
        headers: { cookie, ...FORGED_HEADERS, ...(init.headers as Record<string, string>) },
      }),
    );

  it("B's GET /agents lists B's own and shared agents, once each, and nothing of A's", async () => {
    const response = await as(B, '/agents?tenantId=acme');
    const text = await response.text();
    expect(text).not.toContain(MARK);
    const ids = (JSON.parse(text) as AgentSummary[]).map((agent) => agent.id);
    expect(ids).toEqual(['echo', 'summarize', 'needs-openai', 'globex-stored']);
  });

  it("A's GET /agents shows A's stored agent (the guard hides only what is not A's)", async () => {
    const ids = ((await (await as(A, '/agents')).json()) as AgentSummary[]).map((agent) => agent.id);
    expect(ids).toContain('acme-stored');
    expect(ids).not.toContain('globex-stored');
    expect(ids).not.toContain('null-owner');
  });

  it.each(['acme-stored', 'null-owner', 'number-owner'])(
    'B running %s gets exactly the 404 of an agent that does not exist (JSON and SSE)',
    async (agentId) => {
      for (const accept of ['application/json', 'text/event-stream']) {
        const run = (id: string) =>
          as(B, `/agents/${id}/executions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept },
            body: JSON.stringify({ input: { text: 'x' }, tenantId: 'acme' }),
          });
        const foreign = await run(agentId);
        const missing = await run('zz-missing');
        expect(foreign.status).toBe(404);
        expect(missing.status).toBe(404);
        const foreignText = await foreign.text();
        expect(foreignText).not.toContain(MARK);
        expect(foreignText.replaceAll(agentId, '<id>')).toBe((await missing.text()).replaceAll('zz-missing', '<id>'));
      }
    },
  );

  it("B running the shared echo gets the shared agent, not A's stored agent of that id", async () => {
    const response = await as(B, '/agents/echo/executions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { text: 'hi' } }),
    });
    expect(await response.json()).toMatchObject({ status: 'succeeded', output: 'echo: hi', tenantId: 'globex' });
  });
});
