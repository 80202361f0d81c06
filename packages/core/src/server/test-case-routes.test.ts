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

describe('test-case routes: what each answer says (mutation testing, round 4)', () => {
  const problemOf = async (response: Response) =>
    (await response.json()) as {
      status: number;
      detail: string;
      userMessage?: string;
      issues?: { path: unknown[]; code?: string; message: string }[];
      limit?: unknown;
    };

  it('a case that does not fit the agent: the first five issues in the detail, and what to do', async () => {
    const { send } = setup();
    const response = await send('acme', 'POST', '/agents/summarize/test-cases', {
      name: 'misfit',
      input: { text: '', style: 'long' },
      expectations: { equals: { summary: 3, words: 'many' } },
    });
    const problem = await problemOf(response);
    expect(problem.status).toBe(400);
    expect(problem.userMessage).toBe('The test case could not be saved. Fix the marked fields and try again.');
    const paths = problem.issues?.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['input.text', 'input.style', 'expectations.equals.summary', 'expectations.equals.words']);
    const equals = problem.issues?.find((issue) => issue.path.join('.') === 'expectations.equals.summary');
    expect(equals?.message).toMatch(/ \(no valid output could equal this\)$/);
    expect(problem.detail).toBe(
      `The test case does not fit agent "summarize": ${problem.issues
        ?.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}`,
    );
  });

  it('the detail names at most five issues; the issues list has them all', async () => {
    const { send } = setup();
    const response = await send('acme', 'POST', '/agents/summarize/test-cases', {
      name: 'many',
      input: { text: '', style: 'long' },
      expectations: { equals: { summary: 1, words: 'x', extra: true, more: 1 } },
    });
    const problem = await problemOf(response);
    expect(problem.issues!.length).toBeGreaterThan(5);
    const named = problem.issues!.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problem.detail).toBe(`The test case does not fit agent "summarize": ${named.join('; ')}`);
  });

  it("an input of exactly the agent's size limit is saved; one byte more is refused with the limit", async () => {
    const { send } = setup({ maxInputBytes: 20 });
    // {"text":"<n x>"} is 11 bytes plus n.
    const fits = await send('acme', 'POST', '/agents/summarize/test-cases', {
      name: 'fits',
      input: { text: 'x'.repeat(9) },
    });
    expect(fits.status).toBe(201);
    const over = await send('acme', 'POST', '/agents/summarize/test-cases', {
      name: 'over',
      input: { text: 'x'.repeat(10) },
    });
    const problem = await problemOf(over);
    expect(problem.status).toBe(413);
    expect(problem.detail).toBe(
      `The test case's input is 21 bytes; agent "summarize" accepts at most 20. Save a smaller input.`,
    );
    expect(problem.limit).toEqual({ kind: 'input_size', value: 20, unit: 'bytes' });
  });

  it('too many cases: one issue saying the most an agent may keep', async () => {
    const { send } = setup({ maxPerAgent: 1 });
    expect((await send('acme', 'POST', '/agents/summarize/test-cases', valid)).status).toBe(201);
    const problem = await problemOf(await send('acme', 'POST', '/agents/summarize/test-cases', valid));
    expect(problem.issues).toEqual([{ path: [], code: 'too_many', message: 'At most 1 test cases per agent.' }]);
    expect(problem.detail).toBe(
      'Agent "summarize" already has 1 test cases in this workspace, the most it may keep. Delete one first.',
    );
  });

  it('maxPerAgent must be a positive integer', () => {
    for (const maxPerAgent of [0, -1, 1.5, Number.NaN]) {
      expect(() => setup({ maxPerAgent })).toThrow(
        `createHandler: testCases.maxPerAgent must be a positive integer, got ${String(maxPerAgent)}.`,
      );
    }
    expect(() => setup({ maxPerAgent: 1 })).not.toThrow();
  });

  it('not found: which agent, which case', async () => {
    const { send } = setup();
    expect((await problemOf(await send('acme', 'GET', '/agents/nobody/test-cases'))).detail).toBe(
      'No agent "nobody" in this workspace.',
    );
    expect((await problemOf(await send('acme', 'DELETE', '/agents/summarize/test-cases/tc_gone'))).detail).toBe(
      'No test case "tc_gone" for this agent in this workspace.',
    );
    expect((await problemOf(await send('acme', 'PUT', '/agents/summarize/test-cases/tc_gone', valid))).detail).toBe(
      'No test case "tc_gone" for this agent in this workspace.',
    );
  });

  it('without a store, the user is told the feature is not available', async () => {
    const { send } = setup({ enabled: false });
    const problem = await problemOf(await send('acme', 'GET', '/agents/summarize/test-cases'));
    expect(problem.userMessage).toBe('Saved test cases are not available here.');
  });

  it('a case without expectations is saved and updated with none ({}); an update keeps the ones it sends', async () => {
    const { send } = setup();
    const created = await send('acme', 'POST', '/agents/summarize/test-cases', { name: 'bare', input: { text: 'x' } });
    expect(created.status).toBe(201);
    const { id, expectations } = (await created.json()) as { id: string; expectations: unknown };
    expect(expectations).toEqual({});
    const kept = await send('acme', 'PUT', `/agents/summarize/test-cases/${id}`, {
      name: 'bare',
      input: { text: 'x' },
      expectations: { schemaValid: true },
    });
    expect(((await kept.json()) as { expectations: unknown }).expectations).toEqual({ schemaValid: true });
    const cleared = await send('acme', 'PUT', `/agents/summarize/test-cases/${id}`, {
      name: 'bare',
      input: { text: 'x' },
    });
    expect(((await cleared.json()) as { expectations: unknown }).expectations).toEqual({});
  });

  it('an agent without an output schema takes any `equals`', async () => {
    const { send } = setup();
    const response = await send('acme', 'POST', '/agents/echo/test-cases', {
      name: 'text',
      input: { message: 'hi' },
      expectations: { equals: 'You said: hi.' },
    });
    expect(response.status).toBe(201);
  });
});
