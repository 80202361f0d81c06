import { afterEach, describe, expect, it } from 'vitest';
import { acme, acmeOnly, echo, summarize } from '../../test/agents';
import { createClient } from '../client';
import { createExecutor } from '../executor/create-executor';
import { runTestCases } from '../test-cases';
import { createMemoryTestCaseStore } from '../test-cases/memory-test-case-store';
import { createHandler } from './create-handler';

const globex = { tenantId: 'globex', userId: 'bob' };
const TOKENS: Record<string, { tenantId: string; userId: string }> = { acme, globex };

function setup(options: { maxPerAgent?: number; enabled?: boolean; maxInputBytes?: number } = {}) {
  const executor = createExecutor({
    agents: [summarize, echo, acmeOnly],
    ...(options.maxInputBytes === undefined ? {} : { limits: { maxInputBytes: options.maxInputBytes } }),
  });
  const store = createMemoryTestCaseStore();
  const handler = createHandler({
    executor,
    basePath: '/api/agentry',
    resolveTenant: (request) => TOKENS[request.headers.get('authorization') ?? ''],
    ...(options.enabled === false
      ? {}
      : { testCases: { store, ...(options.maxPerAgent === undefined ? {} : { maxPerAgent: options.maxPerAgent }) } }),
  });
  const send = (who: string | undefined, method: string, path: string, body?: unknown, init: RequestInit = {}) =>
    handler(
      new Request(`http://app.test/api/agentry${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(who ? { authorization: who } : {}) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        ...init,
      }),
    );
  const client = (who: string) =>
    createClient({
      baseUrl: 'http://app.test/api/agentry',
      headers: { authorization: who },
      fetch: (input, init) => handler(new Request(input, init)),
    });
  return { send, client, store };
}

const valid = { name: 'Short text', input: { text: 'Hello there' }, expectations: { schemaValid: true } };

describe('test-case routes', () => {
  afterEach(() => undefined);

  it('saves, lists, updates and deletes a case through the client', async () => {
    const { client } = setup();
    const acmeClient = client('acme');
    const created = await acmeClient.testCases.create('summarize', valid);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^tc_[0-9a-f]{32}$/),
      tenantId: 'acme',
      agentId: 'summarize',
      name: 'Short text',
      input: { text: 'Hello there' },
      expectations: { schemaValid: true },
    });
    expect(created.createdAt).toBe(created.updatedAt);
    expect(await acmeClient.testCases.list('summarize')).toEqual([created]);
    const updated = await acmeClient.testCases.update('summarize', created.id, {
      name: '  Renamed  ',
      input: { text: 'Other' },
      expectations: { contains: { summary: 'Other' } },
    });
    expect(updated).toMatchObject({ id: created.id, name: 'Renamed', createdAt: created.createdAt });
    await acmeClient.testCases.delete('summarize', created.id);
    expect(await acmeClient.testCases.list('summarize')).toEqual([]);
    await expect(acmeClient.testCases.delete('summarize', created.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers 201 for a new case and 204 for a delete; wrong methods get 405 with Allow', async () => {
    const { send } = setup();
    const created = await send('acme', 'POST', '/agents/summarize/test-cases', valid);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const wrong = await send('acme', 'PATCH', `/agents/summarize/test-cases/${id}`, valid);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('PUT, DELETE');
    expect((await send('acme', 'DELETE', '/agents/summarize/test-cases')).headers.get('allow')).toBe('GET, POST');
    const deleted = await send('acme', 'DELETE', `/agents/summarize/test-cases/${id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it('refuses bad bodies with 400 and one issue per field', async () => {
    const { send } = setup();
    const refuse = async (body: unknown) => {
      const response = await send('acme', 'POST', '/agents/summarize/test-cases', body);
      expect(response.status).toBe(400);
      return (await response.json()) as { code: string; issues: { path: unknown[]; message: string }[] };
    };
    expect((await refuse({ name: '', input: { text: 'x' } })).issues).toEqual([
      expect.objectContaining({ path: ['name'], message: 'Expected 1 to 120 characters, got 0.' }),
    ]);
    expect((await refuse({ name: 'x'.repeat(121), input: { text: 'x' } })).issues[0]?.path).toEqual(['name']);
    expect((await refuse({ name: 'no input' })).issues[0]?.path).toEqual(['input']);
    // The input must fit the agent's input schema.
    const schema = await refuse({ name: 'bad input', input: { text: '', style: 'long' } });
    expect(schema.code).toBe('validation_failed');
    expect(schema.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        ['input', 'text'],
        ['input', 'style'],
      ]),
    );
    const expectations = await refuse({
      name: 'bad expectations',
      input: { text: 'x' },
      expectations: { maxLatencyMs: -1, maxCostUsd: 'cheap', schemaValid: 'yes', sometimes: true },
    });
    expect(expectations.issues.map((issue) => issue.path)).toEqual([
      ['expectations', 'sometimes'],
      ['expectations', 'schemaValid'],
      ['expectations', 'maxLatencyMs'],
      ['expectations', 'maxCostUsd'],
    ]);
    // An `equals` no valid output could meet.
    const impossible = await refuse({ name: 'never', input: { text: 'x' }, expectations: { equals: { summary: 3 } } });
    expect(impossible.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([['expectations', 'equals', 'summary']]),
    );
    expect((await refuse('[1,2]')).issues[0]?.path).toEqual([]);
  });

  it('refuses input over the agent’s size limit, and a body over the handler’s', async () => {
    const { send } = setup({ maxInputBytes: 64 });
    const large = await send('acme', 'POST', '/agents/summarize/test-cases', {
      name: 'big',
      input: { text: 'x'.repeat(100) },
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ code: 'input_too_large' });
    const notJson = await send('acme', 'POST', '/agents/summarize/test-cases', undefined, {
      body: 'name=x',
      headers: { 'content-type': 'text/plain', authorization: 'acme' },
    });
    expect(notJson.status).toBe(415);
  });

  it('holds the number of cases per agent', async () => {
    const { send } = setup({ maxPerAgent: 2 });
    for (const name of ['one', 'two']) {
      expect((await send('acme', 'POST', '/agents/summarize/test-cases', { ...valid, name })).status).toBe(201);
    }
    const third = await send('acme', 'POST', '/agents/summarize/test-cases', { ...valid, name: 'three' });
    expect(third.status).toBe(400);
    expect(((await third.json()) as { detail: string }).detail).toMatch(/already has 2 test cases/);
    expect((await send('acme', 'POST', '/agents/echo/test-cases', { name: 'e', input: { message: 'm' } })).status).toBe(
      201,
    );
  });

  it("answers another tenant's agents and cases exactly as unknown ones", async () => {
    const { send, client } = setup();
    const secret = await client('acme').testCases.create('acme-secret-agent', { name: 'secret', input: { q: 'hi' } });
    const own = await client('acme').testCases.create('summarize', valid);
    const shape = async (response: Response, echoed: string) => ({
      status: response.status,
      body: (await response.text()).replaceAll(echoed, '<id>'),
    });
    expect(
      await shape(await send('globex', 'GET', '/agents/acme-secret-agent/test-cases'), 'acme-secret-agent'),
    ).toEqual(await shape(await send('globex', 'GET', '/agents/no-such-agent/test-cases'), 'no-such-agent'));
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PUT', valid],
    ] as const) {
      const foreign = await send('globex', method, `/agents/summarize/test-cases/${own.id}`, body);
      const unknown = await send('globex', method, '/agents/summarize/test-cases/tc_missing', body);
      expect(foreign.status).toBe(404);
      expect(await shape(foreign, own.id)).toEqual(await shape(unknown, 'tc_missing'));
    }
    expect(await client('globex').testCases.list('summarize')).toEqual([]);
    expect(await client('acme').testCases.list('acme-secret-agent')).toEqual([secret]);
    expect((await send(undefined, 'GET', '/agents/summarize/test-cases')).status).toBe(401);
  });

  it('ignores a tenant id or case id forged in the body', async () => {
    const { client } = setup();
    const created = await client('globex').testCases.create('summarize', {
      ...valid,
      tenantId: 'acme',
      id: 'tc_forged',
      createdAt: '2000-01-01T00:00:00.000Z',
    } as never);
    expect(created).toMatchObject({ tenantId: 'globex' });
    expect(created.id).not.toBe('tc_forged');
    expect(await client('acme').testCases.list('summarize')).toEqual([]);
  });

  it('answers 404 saying how to turn them on when the handler has no store', async () => {
    const { send } = setup({ enabled: false });
    const response = await send('acme', 'GET', '/agents/summarize/test-cases');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(
      /pass testCases: \{ store \} to createHandler/,
    );
  });

  it('re-runs saved cases through the normal run route and judges them (Run all)', async () => {
    const { client } = setup();
    const acmeClient = client('acme');
    await acmeClient.testCases.create('summarize', {
      name: 'passes',
      input: { text: 'Hello there' },
      expectations: { schemaValid: true, contains: { summary: 'Hello there' }, maxLatencyMs: 60_000 },
    });
    await acmeClient.testCases.create('summarize', {
      name: 'fails',
      input: { text: 'Hello' },
      expectations: { equals: { summary: 'Bye', words: 1 } },
    });
    const [agent] = (await acmeClient.listAgents()).filter((item) => item.id === 'summarize');
    const suite = await runTestCases({
      testCases: await acmeClient.testCases.list('summarize'),
      mode: 'mock',
      execute: (run) => acmeClient.execute(run),
      outputSchema: agent?.outputSchema,
    });
    expect(suite.outcomes.map((outcome) => outcome.status)).toEqual(['passed', 'failed']);
    // Each run is an ordinary run of the tenant: it is in its history.
    expect((await acmeClient.listExecutions({ agentId: 'summarize' })).items).toHaveLength(2);
  });
});
