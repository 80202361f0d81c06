// One guard decides whether a tenant sees an agent, by id and in lists. A host's listAgents or
// resolveAgent that does not filter (or builds broken agents) cannot show or run another
// tenant's agent, and what is listed is exactly what can be run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type AnyAgent, defineAgent } from '../agent';
import { createExecutor } from '../executor/create-executor';
import { agentAccess } from './agent-access';

const A = { tenantId: 'acme', userId: 'alice' };
const B = { tenantId: 'globex', userId: 'bob' };
/** Planted in every field of agents B must not see. */
const MARKER = 'zq-ACME-ONLY-7731';

function makeAgent(id: string, owner: unknown, marker = ''): AnyAgent {
  return defineAgent({
    id,
    name: `Agent ${id}${marker}`,
    description: `Does ${id}${marker}`,
    input: z.object({ text: z.string().describe(`text${marker}`) }),
    model: { provider: `provider${marker}`, model: `model${marker}` },
    example: { text: `example${marker}` },
    prompt: ({ text }) => text,
    mock: () => `mock${marker}`,
    ...(owner === undefined ? {} : { tenantId: owner as string }),
  });
}

describe('agentAccess', () => {
  it.each([
    ['shared (no owner)', makeAgent('x', undefined), 'visible'],
    ['owned by the tenant', makeAgent('x', 'globex'), 'visible'],
    ['owned by another tenant', makeAgent('x', 'acme'), 'foreign'],
    ['owned by a near miss (case)', makeAgent('x', 'GLOBEX'), 'foreign'],
    ['owned by a near miss (space)', makeAgent('x', 'globex '), 'foreign'],
    ['owner null', makeAgent('x', null), 'malformed'],
    ['owner empty', makeAgent('x', ''), 'malformed'],
    ['owner a number', makeAgent('x', 42), 'malformed'],
    ['owner an array holding the tenant', makeAgent('x', ['globex']), 'malformed'],
    ['owner an object that prints as the tenant', makeAgent('x', { toString: () => 'globex' }), 'malformed'],
    ['not an object', 'x', 'malformed'],
    ['null', null, 'malformed'],
    ['a look-alike without kind', { ...makeAgent('x', undefined), kind: 'agent' }, 'malformed'],
    ['an id that is not an agent id', { ...makeAgent('x', undefined), id: '../x' }, 'malformed'],
    ['an id that is not a string', { ...makeAgent('x', undefined), id: 7 }, 'malformed'],
    ['modes that are not modes', { ...makeAgent('x', undefined), modes: ['root'] }, 'malformed'],
    ['a real mode next to one that is not', { ...makeAgent('x', undefined), modes: ['mock', 'other'] }, 'malformed'],
    ['no name', { ...makeAgent('x', undefined), name: undefined }, 'malformed'],
    ['a prompt that is not a function', { ...makeAgent('x', undefined), prompt: 'Say hi' }, 'malformed'],
    ['no input schema', { ...makeAgent('x', undefined), input: {} }, 'malformed'],
    [
      'an owner getter that throws',
      Object.defineProperty({ ...makeAgent('x', undefined) }, 'tenantId', {
        get() {
          throw new Error('getter');
        },
      }),
      'malformed',
    ],
  ])('%s: %s', (_name, candidate, expected) => {
    expect(agentAccess(candidate, B)).toBe(expected);
  });

  it('checks the id when one is asked for', () => {
    expect(agentAccess(makeAgent('x', undefined), B, 'x')).toBe('visible');
    expect(agentAccess(makeAgent('x', undefined), B, 'y')).toBe('other-id');
  });

  it('reads the owner once: a getter cannot answer the check one thing and the use another', () => {
    let reads = 0;
    const agent = Object.defineProperty({ ...makeAgent('x', undefined) }, 'tenantId', {
      get: () => (++reads === 1 ? 'globex' : 'acme'),
    });
    expect(agentAccess(agent, B)).toBe('visible');
    expect(reads).toBe(1);
  });
});

/** Owners a host might attach: the tenants', near misses, and anything at all. */
const owner = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('acme', 'globex', 'GLOBEX', ' globex', 'globex\u0000', ''),
  fc.anything(),
);
const id = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'shared');

/** A host's stored agents: at most one per id, with random owners; some broken. */
const hostAgents = fc.uniqueArray(
  fc.record({ id, owner, broken: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) }),
  {
    selector: (entry) => entry.id,
    maxLength: 5,
  },
);

function hostAgent(entry: { id: string; owner: unknown; broken: boolean }): unknown {
  // Planted in every agent B may not see: whatever is listed must not carry it.
  const mustHide = entry.broken || !(entry.owner === undefined || entry.owner === 'globex');
  const agent = makeAgent(entry.id, entry.owner, mustHide ? MARKER : '');
  return entry.broken ? { ...agent, modes: 'mock' } : agent;
}

describe('the executor lists exactly the agents it runs (property)', () => {
  it("for any host answer, B's list holds no foreign or broken agent, once each, and every listed one resolves", async () => {
    const sharedStatic = makeAgent('shared', undefined);
    const acmeStatic = makeAgent('alpha', 'acme', MARKER);
    await fc.assert(
      fc.asyncProperty(hostAgents, fc.boolean(), async (entries, duplicate) => {
        const stored = entries.map(hostAgent);
        // The host forgets to filter by tenant, and may answer the same agent twice.
        const listed = duplicate ? [...stored, ...stored] : stored;
        const executor = createExecutor({
          agents: [sharedStatic, acmeStatic],
          listAgents: () => listed as AnyAgent[],
          resolveAgent: (agentId) => stored.find((agent) => (agent as AnyAgent).id === agentId) as AnyAgent,
        });
        const summaries = await executor.listAgents(B);
        const ids = summaries.map((summary) => summary.id);
        expect(JSON.stringify(summaries)).not.toContain(MARKER);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids[0]).toBe('shared');
        for (const candidate of ['alpha', 'beta', 'gamma', 'delta', 'shared']) {
          const resolved = await executor.getAgent(candidate, B).then(
            (agent) => agent,
            (error: unknown) => error,
          );
          if (ids.includes(candidate)) expect(resolved).toMatchObject({ id: candidate });
          else
            expect(resolved).toMatchObject({
              code: 'not_found',
              message: `No agent "${candidate}" in this workspace.`,
            });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("another tenant's agent among `agents` does not hide this tenant's own stored agent of that id", async () => {
    const own = makeAgent('alpha', 'globex');
    const executor = createExecutor({
      agents: [makeAgent('alpha', 'acme', MARKER)],
      listAgents: () => [own],
      resolveAgent: () => own,
    });
    expect((await executor.listAgents(B)).map((summary) => summary.name)).toEqual(['Agent alpha']);
    expect(await executor.getAgent('alpha', B)).toBe(own);
    const result = await executor.execute({ agentId: 'alpha', input: { text: 'hi' }, tenant: B });
    expect(result).toMatchObject({ status: 'succeeded', output: 'mock' });
    expect(await executor.getAgent('alpha', A)).not.toBe(own);
  });

  it("a foreign or broken agent the host lists is logged for the operator, without B's view changing", async () => {
    const lines: string[] = [];
    const executor = createExecutor({
      listAgents: () => [makeAgent('alpha', 'acme', MARKER), { kind: 'agentry.agent' } as unknown as AnyAgent],
      logger: {
        debug() {},
        info() {},
        warn: (event, fields) => lines.push(JSON.stringify({ event, fields })),
        error() {},
      },
    });
    expect(await executor.listAgents(B)).toEqual([]);
    expect(lines).toEqual([
      JSON.stringify({ event: 'agentry.tenant.agent_hidden', fields: { tenant_id: 'globex', reason: 'foreign' } }),
      JSON.stringify({ event: 'agentry.tenant.agent_hidden', fields: { tenant_id: 'globex', reason: 'malformed' } }),
    ]);
  });
});

describe('summaries', () => {
  it('are copies: editing one changes nothing another tenant, a later listing or a provider sees', async () => {
    const shared = defineAgent({
      id: 'shared',
      name: 'Shared',
      input: z.object({ text: z.string() }),
      output: z.object({ summary: z.string() }),
      model: { provider: 'live', model: 'm' },
      example: { text: 'hello' },
      prompt: ({ text }) => text,
      mock: () => ({ summary: 'ok' }),
    });
    const sent: string[] = [];
    const executor = createExecutor({
      agents: [shared],
      live: { enabled: (tenant) => tenant.tenantId === 'globex' },
      providers: {
        live: {
          specificationVersion: 'v1',
          id: 'live',
          execute: async (request) => {
            sent.push(JSON.stringify(request.outputSchema));
            return { text: '{"summary":"ok"}', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
          },
        },
      },
    });
    const [mine] = await executor.listAgents(A);
    if (mine === undefined) throw new Error('expected one agent');
    const before = JSON.stringify(await executor.listAgents(B));
    (mine.inputSchema as Record<string, unknown>).injected = MARKER;
    (mine.outputSchema as Record<string, unknown>).injected = MARKER;
    (mine.example as Record<string, unknown>).text = MARKER;
    (mine.modes as string[]).push(MARKER);
    (mine.live as { reason?: string }).reason = MARKER;
    expect(JSON.stringify(await executor.listAgents(B))).toBe(before);
    expect(JSON.stringify(await executor.listAgents(A))).not.toContain(MARKER);
    expect(shared.modes).toEqual(['mock', 'live']);
    expect(shared.example).toEqual({ text: 'hello' });
    await executor.execute({ agentId: 'shared', input: { text: 'x' }, mode: 'live', tenant: B });
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain(MARKER);
  });
});
