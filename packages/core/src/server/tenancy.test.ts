import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../client/create-client';
import { isAgentryError } from '../errors';
import type { ExecutionResult } from '../executor/types';
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
