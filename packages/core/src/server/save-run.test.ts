// `POST /executions/:id/tape`: a completed live run saved as a tape or a mock, only by users the
// host allows, only through the host's store, only the caller's own tenant's runs.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createClient } from '../client/create-client';
import { isAgentryError } from '../errors';
import { createExecutor } from '../executor/create-executor';
import type { ExecutionResult } from '../executor/types';
import type { AgentSummary } from '../protocol';
import { createMemoryTapeStore, createRunCapture, createRunSaver, tapeProvider } from '../tapes';
import { recordingMockProvider } from '../testing';
import { createHandler } from './create-handler';
import { resolveTenantFromSession, sessionCookie } from './loopback.test-support';
import { type HandlerRunSaver, saveRun, withSavePermission } from './save-run';

const ADMIN = sessionCookie('acme', 'admin');
const VIEWER = sessionCookie('acme', 'viewer');
const OTHER = sessionCookie('globex', 'admin');
const OTHER_VIEWER = sessionCookie('globex', 'viewer');

const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarize',
  input: z.object({ text: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text }) => [{ role: 'user', content: `Summarize: ${text}` }],
});

function setup(options: { saveRuns?: boolean; canSave?: boolean } = {}) {
  const store = createMemoryTapeStore();
  const capture = createRunCapture();
  const live = recordingMockProvider({
    id: 'openai',
    stream: [['A fox', ' jumps.']],
    execute: [{ text: 'A fox jumps.', usage: { inputTokens: 9, outputTokens: 3 } }],
  });
  const executor = createExecutor({ agents: [summarize], providers: { openai: capture.wrap(live) } });
  const saveRuns =
    options.saveRuns === false
      ? undefined
      : createRunSaver({
          store,
          capture,
          ...(options.canSave === false
            ? {}
            : { canSave: ({ tenant }: { tenant: { userId?: string } }) => tenant.userId === 'admin' }),
        });
  const handler = createHandler({
    executor,
    resolveTenant: resolveTenantFromSession,
    ...(saveRuns ? { saveRuns } : {}),
  });
  const client = (cookie: string) =>
    createClient({
      baseUrl: 'http://127.0.0.1/',
      headers: { cookie },
      fetch: (input, init) => handler(new Request(input, init)),
    });
  const post = (cookie: string, executionId: string, body: unknown) =>
    handler(
      new Request(`http://127.0.0.1/executions/${encodeURIComponent(executionId)}/tape`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  return { store, executor, client, post, live };
}

const problem = async (response: Response) => ({ status: response.status, ...(await response.json()) });

describe('saving a completed live run from the panel', () => {
  it('GET /agents says canSaveRuns only to the users the host allows', async () => {
    const { client } = setup();
    expect((await client(ADMIN).listAgents())[0]?.canSaveRuns).toBe(true);
    expect((await client(VIEWER).listAgents())[0]?.canSaveRuns).toBeUndefined();
    expect((await setup({ canSave: false }).client(ADMIN).listAgents())[0]?.canSaveRuns).toBeUndefined();
    expect((await setup({ saveRuns: false }).client(ADMIN).listAgents())[0]?.canSaveRuns).toBeUndefined();
  });

  it('saves a live run as a tape of its tenant; the tape replays the run without the live provider', async () => {
    const { client, store, live } = setup();
    const run = await client(ADMIN).execute({
      agentId: 'summarize',
      input: { text: 'The quick brown fox.' },
      mode: 'live',
    });
    expect(run.status).toBe('succeeded');
    const saved = await client(ADMIN).saveRun(run.id, { as: 'tape' });
    expect(saved).toEqual({
      executionId: run.id,
      agentId: 'summarize',
      saved: 'tape',
      where: 'memory:acme/summarize',
      entries: 1,
    });
    expect(store.tapes().map(({ address }) => address)).toEqual([{ tenantId: 'acme', agentId: 'summarize' }]);

    const replaying = createExecutor({
      agents: [summarize],
      providers: { openai: tapeProvider({ store }, { live, speed: 0 }) },
    });
    const tenant = { tenantId: 'acme', userId: 'admin' };
    const replayed = await replaying.execute({
      agentId: 'summarize',
      input: { text: 'The quick brown fox.' },
      mode: 'live',
      tenant,
    });
    expect(replayed).toMatchObject({
      status: 'succeeded',
      output: 'A fox jumps.',
      metrics: { usageSource: 'recorded' },
    });
    expect(live.calls).toHaveLength(1);
    // Another tenant's replay finds nothing.
    const other = await replaying.execute({
      agentId: 'summarize',
      input: { text: 'The quick brown fox.' },
      mode: 'live',
      tenant: { tenantId: 'globex' },
    });
    expect(other.status).toBe('failed');
  });

  it('saves a live run as a mock script the agent can use', async () => {
    const { client, store } = setup();
    const run = await client(ADMIN).execute({ agentId: 'summarize', input: { text: 'fox' }, mode: 'live' });
    const saved = await client(ADMIN).saveRun(run.id, { as: 'mock' });
    expect(saved).toMatchObject({ saved: 'mock', where: 'memory:acme/summarize (mock)' });
    const mock = await store.readMock?.({ tenantId: 'acme', agentId: 'summarize' });
    expect(mock).toMatchObject({
      format: 'agentry-mock',
      tenantId: 'acme',
      agentId: 'summarize',
      executionId: run.id,
      input: { text: 'fox' },
      mock: { steps: [{ text: 'A fox jumps.' }] },
    });
    // The script runs as the agent's mock.
    const mocked = createExecutor({ agents: [{ ...summarize, mock: mock?.mock } as typeof summarize] });
    const result = await mocked.execute({
      agentId: 'summarize',
      input: { text: 'fox' },
      mode: 'mock',
      tenant: { tenantId: 'acme' },
    });
    expect(result).toMatchObject({ status: 'succeeded', output: 'A fox jumps.' });
  });

  it('answers a clear 4xx for unknown, foreign, mock-mode and failed runs, bad bodies, and users not allowed', async () => {
    const { client, post, executor } = setup();
    const run = await client(ADMIN).execute({ agentId: 'summarize', input: { text: 'fox' }, mode: 'live' });
    const mockRun = await client(ADMIN).execute({ agentId: 'summarize', input: { text: 'fox' }, mode: 'mock' });
    const failed = await executor.execute({
      agentId: 'summarize',
      input: { text: 'fox' },
      mode: 'live',
      tenant: { tenantId: 'acme' },
      signal: AbortSignal.abort(),
    });
    expect(failed.status).not.toBe('succeeded');

    expect(await problem(await post(ADMIN, 'exe_nope', { as: 'tape' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(await problem(await post(OTHER, run.id, { as: 'tape' }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await problem(await post(VIEWER, run.id, { as: 'tape' }))).toMatchObject({
      status: 403,
      code: 'forbidden',
      detail: expect.stringContaining('not allowed for this user'),
    });
    expect(await problem(await post(ADMIN, mockRun.id, { as: 'tape' }))).toMatchObject({
      status: 400,
      detail: expect.stringContaining('ran in mock mode'),
    });
    expect(await problem(await post(ADMIN, failed.id, { as: 'mock' }))).toMatchObject({
      status: 400,
      detail: expect.stringContaining('only a run that succeeded'),
    });
    expect(await problem(await post(ADMIN, run.id, { as: '../../etc/passwd' }))).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
    expect(await problem(await setup({ saveRuns: false }).post(ADMIN, run.id, { as: 'tape' }))).toMatchObject({
      status: 404,
      detail: expect.stringContaining('not enabled'),
    });
    // Another instance (its own history and capture) knows nothing of the run.
    const elsewhere = setup();
    const notCaptured = await elsewhere.post(ADMIN, run.id, { as: 'tape' });
    expect(notCaptured.status).toBe(404);
  });

  it("a user the host refuses gets 403 forbidden; another tenant's run stays the 404 of an unknown id, allowed or not", async () => {
    const { client, post } = setup();
    const run = await client(ADMIN).execute({ agentId: 'summarize', input: { text: 'fox' }, mode: 'live' });
    const refused = await post(VIEWER, run.id, { as: 'mock' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({
      type: 'urn:agentry:error:forbidden',
      title: 'Forbidden',
      code: 'forbidden',
      retryable: false,
      userMessage: 'You are not allowed to save runs of this agent. Ask an administrator for access.',
    });

    // No existence leak: a foreign run answers exactly what an id that never existed answers,
    // for a foreign user the host would let save (admin) and one it would not (viewer).
    const unknownId = 'exe_00000000000000000000000000000000';
    const unknown = await problem(await post(VIEWER, unknownId, { as: 'mock' }));
    for (const cookie of [OTHER, OTHER_VIEWER]) {
      const foreign = await problem(await post(cookie, run.id, { as: 'mock' }));
      expect(foreign.status).toBe(404);
      expect({ ...foreign, detail: foreign.detail.replaceAll(run.id, unknownId) }).toEqual(unknown);
    }
  });

  it('the client rejects with an AgentryError of code forbidden, status 403, not retryable', async () => {
    const { client } = setup();
    const run = await client(ADMIN).execute({ agentId: 'summarize', input: { text: 'fox' }, mode: 'live' });
    const error = await client(VIEWER)
      .saveRun(run.id, { as: 'tape' })
      .catch((thrown: unknown) => thrown);
    expect(isAgentryError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'forbidden',
      status: 403,
      retryable: false,
      userMessage: 'You are not allowed to save runs of this agent. Ask an administrator for access.',
    });
    await expect(client(OTHER).saveRun(run.id, { as: 'tape' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('saveRun and withSavePermission on their own', () => {
  const tenant = { tenantId: 'acme', userId: 'admin' };
  const request = new Request('http://127.0.0.1/executions/exe_1/tape', { method: 'POST' });
  const liveRun = { id: 'exe_1', agentId: 'summarize', mode: 'live', status: 'succeeded' } as ExecutionResult;
  const saver = (overrides: Partial<HandlerRunSaver> = {}) => {
    const asked: { agentId: string; request: Request }[] = [];
    const saved: { run: ExecutionResult; as: string }[] = [];
    const value: HandlerRunSaver = {
      canSave: ({ agentId, request: seen }) => {
        asked.push({ agentId, request: seen });
        return true;
      },
      save: async ({ run, as }) => {
        saved.push({ run, as });
        return { where: 'shelf' };
      },
      ...overrides,
    };
    return { value, asked, saved };
  };
  const save = (handlerSaver: HandlerRunSaver | undefined, run: unknown = liveRun, body: unknown = { as: 'tape' }) =>
    saveRun(handlerSaver, async () => run as ExecutionResult, { tenant, executionId: 'exe_1', request, body });
  const agent = (id: string): AgentSummary => ({
    id,
    name: id.toUpperCase(),
    inputSchema: {},
    modes: ['live'],
    live: { available: true },
  });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => (isAgentryError(error) ? error : undefined),
    );

  it('asks the host about the run’s agent with the request, and answers where it went; entries only when given', async () => {
    const { value, asked, saved } = saver();
    expect(await save(value)).toEqual({ executionId: 'exe_1', agentId: 'summarize', saved: 'tape', where: 'shelf' });
    expect(asked).toEqual([{ agentId: 'summarize', request }]);
    expect(saved).toEqual([{ run: liveRun, as: 'tape' }]);
    const counted = saver({ save: async () => ({ where: 'shelf', entries: 0 }) }).value;
    expect(await save(counted, liveRun, { as: 'mock' })).toEqual({
      executionId: 'exe_1',
      agentId: 'summarize',
      saved: 'mock',
      where: 'shelf',
      entries: 0,
    });
  });

  it('only a literal true from canSave allows; a truthy value or a throw is a no', async () => {
    for (const canSave of [() => 'yes', () => 1, async () => ({}), () => Promise.reject(new Error('ldap down'))]) {
      const { value, saved } = saver({ canSave: canSave as unknown as HandlerRunSaver['canSave'] });
      const error = await refusal(save(value));
      expect(error?.code).toBe('forbidden');
      expect(error?.message).toBe(
        'Saving runs of agent "summarize" is not allowed for this user: the host\'s saveRuns.canSave said no. Ask an administrator for the permission.',
      );
      expect(saved).toEqual([]);
      expect(await withSavePermission(value, [agent('summarize')], tenant, request)).toEqual([agent('summarize')]);
    }
  });

  it('GET /agents marks each agent the host allows, and only those', async () => {
    const { value } = saver({ canSave: ({ agentId }) => agentId === 'b' });
    const agents = [agent('a'), agent('b')];
    expect(await withSavePermission(value, agents, tenant, request)).toEqual([
      agent('a'),
      { ...agent('b'), canSaveRuns: true },
    ]);
    expect(await withSavePermission(undefined, agents, tenant, request)).toBe(agents);
  });

  it('says which rule a run breaks, naming the run, the format and the field', async () => {
    const { value, saved } = saver();
    const mocked = await refusal(save(value, { ...liveRun, mode: 'mock' }, { as: 'mock' }));
    expect(mocked).toMatchObject({
      code: 'validation_failed',
      message: 'Run exe_1 ran in mock mode: only a live run can be saved as a mock (it would record the mock).',
      issues: [{ path: ['executionId'], message: 'Expected a live run.' }],
    });
    const failed = await refusal(save(value, { ...liveRun, status: 'failed' }));
    expect(failed).toMatchObject({
      code: 'validation_failed',
      message: 'Run exe_1 is failed: only a run that succeeded can be saved as a tape.',
      issues: [{ path: ['executionId'], message: 'Expected a completed run that succeeded.' }],
    });
    const running = await refusal(save(value, { ...liveRun, status: undefined }));
    expect(running?.message).toBe('Run exe_1 is not finished: only a run that succeeded can be saved as a tape.');
    expect(saved).toEqual([]);
  });

  it('without a saver: not_found, before the body or the run is read', async () => {
    let read = 0;
    const error = await refusal(
      saveRun(
        undefined,
        async () => {
          read += 1;
          return liveRun;
        },
        { tenant, executionId: 'exe_1', request, body: 'not even an object' },
      ),
    );
    expect(error).toMatchObject({
      code: 'not_found',
      message: 'Saving runs as tapes or mocks is not enabled on this server (createHandler({ saveRuns })).',
    });
    expect(read).toBe(0);
  });
});
