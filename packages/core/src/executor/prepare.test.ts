import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { type Coordinator, createMemoryCoordinator, type LeaseRequest } from '../coordinator';
import type { AgentryError } from '../errors';
import type { ProviderAdapter } from '../providers';
import { createExecutor } from './create-executor';
import type { ExecutorOptions } from './types';

// The checks before a run, seen from the caller (the refusal) and from the operator (the
// `agentry.execution.rejected` log line): nothing is recorded, and no lease is taken.

const tenant = { tenantId: 'acme', userId: 'alice' };
const PROVIDER_KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';

const note = defineAgent({
  id: 'note',
  name: 'Note',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
  mock: ({ text }) => `noted ${text.length}`,
});
const mockOnly = defineAgent({
  id: 'mock-only',
  name: 'Mock only',
  modes: ['mock'],
  input: z.object({}),
  prompt: () => 'x',
  mock: () => 'ok',
});
const live = defineAgent({
  id: 'live',
  name: 'Live',
  input: z.object({}),
  model: { provider: 'remote', model: 'remote-1' },
  prompt: () => 'x',
  mock: () => 'ok',
});

function remote(overrides: Partial<ProviderAdapter> = {}): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'remote',
    async execute() {
      return { text: 'live answer', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
    },
    ...overrides,
  };
}

function setup(options: Partial<ExecutorOptions> = {}) {
  const inner = createMemoryCoordinator();
  const acquired: LeaseRequest[] = [];
  const coordinator: Coordinator = {
    ...inner,
    leaseTtlMs: inner.leaseTtlMs,
    async acquire(request) {
      acquired.push(request);
      return inner.acquire(request);
    },
  };
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const executor = createExecutor({ agents: [note, mockOnly, live], coordinator, logger, ...options });
  /** The refusal of `options`, and the rejection line it logged. */
  async function refused(runOptions: unknown) {
    logger.warn.mockClear();
    const error = await executor.execute(runOptions as never).then(
      () => {
        throw new Error('expected a refusal');
      },
      (thrown: unknown) => thrown as AgentryError,
    );
    const line = logger.warn.mock.calls.find(([event]) => event === 'agentry.execution.rejected')?.[1];
    return { error, line };
  }
  return { executor, acquired, logger, refused };
}

describe('a refused request', () => {
  it('is logged with who asked for what and why, and takes no lease', async () => {
    const { refused, acquired } = setup();
    const { error, line } = await refused({ agentId: 'note', input: { text: 1 }, tenant, mode: 'mock' });
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect(line).toEqual({
      tenant_id: 'acme',
      user_id: 'alice',
      agent_id: 'note',
      mode: 'mock',
      status: 'rejected',
      error_code: 'validation_failed',
      error_message: error.message,
    });
    expect(acquired).toEqual([]);
  });

  it('logs null for what the caller left out or got wrong, and the default mode', async () => {
    const { refused } = setup();
    const { line } = await refused({ agentId: 42, input: {}, tenant: { tenantId: 7, userId: ['x'] } });
    expect(line).toMatchObject({ tenant_id: null, user_id: null, agent_id: null, mode: 'mock' });
    const { error, line: noOptions } = await refused(undefined);
    expect(error).toMatchObject({
      code: 'validation_failed',
      message: 'execute() takes an options object: { agentId, input, mode, tenant }.',
    });
    expect(noOptions).toMatchObject({ tenant_id: null, agent_id: null, mode: 'mock', error_code: 'validation_failed' });
    expect((await refused('note')).error.message).toBe(
      'execute() takes an options object: { agentId, input, mode, tenant }.',
    );
  });

  it('logs the real reason behind an internal refusal for operators (redacted), and only there', async () => {
    const { refused } = setup({
      live: {
        enabled: () => {
          throw new Error(`switch store down, key ${PROVIDER_KEY}`);
        },
      },
    });
    const { error, line } = await refused({ agentId: 'live', input: {}, tenant, mode: 'live' });
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('switch store down');
    expect(JSON.stringify(line)).toContain('switch store down');
    expect(JSON.stringify(line)).not.toContain(PROVIDER_KEY);
    // A refusal that is not internal carries no cause field.
    const { line: plain } = await refused({ agentId: 'note', input: {}, tenant });
    expect(plain).not.toHaveProperty('error_cause');
  });

  it('names the mode it cannot run: unknown, or not one of the agent’s', async () => {
    const { refused } = setup();
    expect((await refused({ agentId: 'note', input: { text: 'x' }, tenant, mode: 'turbo' })).error).toMatchObject({
      code: 'validation_failed',
      message: 'mode must be "mock" or "live", got "turbo".',
      issues: [{ path: ['mode'], message: 'Expected "mock" or "live".' }],
    });
    expect((await refused({ agentId: 'mock-only', input: {}, tenant, mode: 'live' })).error).toMatchObject({
      code: 'validation_failed',
      message: 'Agent "mock-only" does not run in live mode.',
      issues: [{ path: ['mode'], message: 'Allowed: mock.' }],
    });
  });

  it('refuses input that is missing or not JSON, with the issue at the root', async () => {
    const { refused } = setup();
    expect((await refused({ agentId: 'note', tenant })).error).toMatchObject({
      code: 'validation_failed',
      message: 'The input is missing: pass `input`, e.g. an object.',
      issues: [{ path: [], message: 'Required.' }],
    });
    expect((await refused({ agentId: 'note', input: { text: 10n }, tenant })).error).toMatchObject({
      code: 'validation_failed',
      message: 'The input cannot be serialized to JSON (a cycle or a BigInt?).',
      issues: [{ path: [], message: 'Input must be plain JSON data.' }],
    });
  });

  it('accepts input of exactly maxInputBytes of UTF-8 JSON, and refuses one byte more', async () => {
    // {"text":"…"} is 11 bytes around the text; "é" is 2 bytes of UTF-8 in 1 UTF-16 unit.
    const { executor, refused } = setup({ limits: { maxInputBytes: 31 } });
    const fits = await executor.execute({ agentId: 'note', input: { text: 'é'.repeat(10) }, tenant });
    expect(fits.status).toBe('succeeded');
    const { error } = await refused({ agentId: 'note', input: { text: `${'é'.repeat(10)}a` }, tenant });
    expect(error).toMatchObject({
      code: 'input_too_large',
      message: 'The input is 32 bytes of JSON; this executor accepts at most 31.',
      issues: [{ path: [], message: 'At most 31 bytes.' }],
      limit: { kind: 'input_size', value: 31, unit: 'bytes' },
    });
  });

  it('says why a live run has no provider: no model, a provider not passed, or one not configured', async () => {
    const { refused } = setup({ providers: { remote: remote({ configured: false }) } });
    expect((await refused({ agentId: 'note', input: { text: 'x' }, tenant, mode: 'live' })).error).toMatchObject({
      code: 'provider_not_configured',
      message: 'Agent "note" has no `model`, so it cannot run live. Add model: { provider, model } to its definition.',
    });
    expect((await refused({ agentId: 'live', input: {}, tenant, mode: 'live' })).error).toMatchObject({
      code: 'provider_not_configured',
      message:
        'Agent "live" needs the "remote" provider, which has no API key or settings. Configure it, or run in mock mode.',
      provider: 'remote',
      userMessage: expect.stringContaining('"remote" provider is not configured'),
    });
    const none = setup();
    expect((await none.refused({ agentId: 'live', input: {}, tenant, mode: 'live' })).error).toMatchObject({
      code: 'provider_not_configured',
      message:
        'Agent "live" needs the "remote" provider, which is not configured. Pass it in createExecutor({ providers }).',
    });
  });

  it("refuses what the provider's own check refuses, in its words (met per run by a resolved agent)", async () => {
    const { refused } = setup({
      agents: [],
      resolveAgent: () => live,
      providers: { remote: remote({ checkAgent: (agent) => `Agent "${agent.id}" needs a newer API.` }) },
    });
    expect((await refused({ agentId: 'live', input: {}, tenant, mode: 'live' })).error).toMatchObject({
      code: 'provider_not_configured',
      message: 'Agent "live" needs a newer API.',
    });
  });
});

describe('a prepared run', () => {
  it('registers redacted input with the coordinator, under the run’s user', async () => {
    const { executor, acquired } = setup();
    const result = await executor.execute({ agentId: 'note', input: { text: `key ${PROVIDER_KEY}` }, tenant });
    expect(acquired[0]?.run).toMatchObject({
      executionId: result.id,
      tenantId: 'acme',
      userId: 'alice',
      agentId: 'note',
      mode: 'mock',
      requestedMode: 'mock',
      provider: 'mock',
      model: 'mock',
      input: { text: 'key [REDACTED]' },
      startedAt: result.startedAt,
    });
    expect(result.input).toEqual({ text: 'key [REDACTED]' });
    await executor.execute({ agentId: 'note', input: { text: 'x' }, tenant: { tenantId: 'acme' } });
    expect(acquired[1]?.run).not.toHaveProperty('userId');
  });

  it('runs live on the agent’s provider and model when live is on', async () => {
    const { executor, acquired } = setup({ providers: { remote: remote() } });
    const result = await executor.execute({ agentId: 'live', input: {}, tenant, mode: 'live' });
    expect(result).toMatchObject({ status: 'succeeded', mode: 'live', output: 'live answer' });
    expect(acquired[0]?.run).toMatchObject({ provider: 'remote', model: 'remote-1', mode: 'live' });
  });

  it('refuses generically, naming the agent, when its asynchronous input schema throws', async () => {
    let checks = 0;
    const asyncCheck = defineAgent({
      id: 'async-check',
      name: 'Async check',
      // zod's synchronous first attempt drops the promise it gets (docs/tools.md): that one
      // resolves; every check after it fails.
      input: z.object({ text: z.string() }).refine(() => {
        checks += 1;
        return checks === 1 ? Promise.resolve(true) : Promise.reject(new TypeError('lookup service down'));
      }),
      prompt: () => 'x',
      mock: () => 'ok',
    });
    const { refused } = setup({ agents: [asyncCheck] });
    // The first run finds the schema asynchronous; later runs parse it asynchronously at once.
    for (let run = 0; run < 2; run += 1) {
      const { error } = await refused({ agentId: 'async-check', input: { text: 'x' }, tenant });
      expect(error).toMatchObject({
        code: 'internal',
        message:
          'The input schema of agent "async-check" failed while validating the input; the details are in the server log.',
      });
    }
  });
});
