// What createExecutor checks in its options and what the context it builds does for every run
// (executor-context.ts): configuration mistakes as TypeErrors naming the fix, the fallbacks for
// a host's generateId and onEvent, the redaction of a provider error's request id, and how an
// unexpected provider error reaches the record.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createMemoryCoordinator } from '../coordinator';
import { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { ProviderAdapter } from '../providers';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({}),
  prompt: () => 'go',
  mock: () => 'hi',
});

function recordingLogger() {
  const lines: { level: string; event: string; fields: Record<string, unknown> | undefined }[] = [];
  const at = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push({ level, event, fields });
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

function liveAgentOn(provider: ProviderAdapter) {
  const agent = defineAgent({
    id: 'live',
    name: 'Live',
    input: z.object({}),
    prompt: () => 'go',
    model: { provider: provider.id, model: 'm' },
    modes: ['live'],
  });
  return { agent, providers: { [provider.id]: provider } };
}

function throwingProvider(id: string, thrown: () => unknown): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id,
    execute: async () => {
      throw thrown();
    },
  };
}

describe('createExecutor refuses a broken configuration, naming what to fix', () => {
  it('an entry of agents that does not come from defineAgent', () => {
    expect(() => createExecutor({ agents: [null as never] })).toThrow(
      new TypeError('createExecutor: every entry of `agents` must come from defineAgent().'),
    );
    expect(() => createExecutor({ agents: [{ id: 'x' } as never] })).toThrow(
      new TypeError('createExecutor: every entry of `agents` must come from defineAgent().'),
    );
  });

  it('a coordinator that lacks methods, listing them', () => {
    const { readEvents: _, onEventsAppended: __, ...partial } = createMemoryCoordinator();
    expect(() => createExecutor({ coordinator: partial as never })).toThrow(
      new TypeError(
        'createExecutor: `coordinator` must implement Coordinator; missing readEvents, onEventsAppended. Use createMemoryCoordinator() or @agentry/postgres.',
      ),
    );
  });

  it('a coordinator whose leaseTtlMs is not a positive finite number', () => {
    for (const ttl of [0, -1, Number.POSITIVE_INFINITY, Number.NaN, '30000', undefined]) {
      const coordinator = Object.assign(createMemoryCoordinator(), { leaseTtlMs: ttl });
      expect(() => createExecutor({ coordinator: coordinator as never })).toThrow(
        new TypeError(`createExecutor: coordinator.leaseTtlMs must be a positive number, got ${String(ttl)}.`),
      );
    }
    const fine = Object.assign(createMemoryCoordinator(), { leaseTtlMs: 0.5 });
    expect(() => createExecutor({ coordinator: fine })).not.toThrow();
  });

  it('budgets that are neither a list nor a function, or a malformed budget, by its index', () => {
    expect(() => createExecutor({ limits: { budgets: { window: 'day', maxTokens: 1 } as never } })).toThrow(
      new TypeError('createExecutor: limits.budgets must be an array of budgets or a function of the tenant.'),
    );
    expect(() =>
      createExecutor({
        limits: { budgets: [{ window: 'day', maxTokens: 10 }, { window: 'week', maxTokens: 10 } as never] },
      }),
    ).toThrow(new TypeError('createExecutor: limits.budgets[1].window must be "day" or "month", got "week".'));
  });
});

describe('what the context does for every run', () => {
  it("falls back to its own id when the host's generateId fails or answers no id, and logs why", async () => {
    const { logger, lines } = recordingLogger();
    const executor = createExecutor({ agents: [echo], logger, generateId: () => '' });
    const result = await executor.execute({ agentId: 'echo', input: {}, tenant });
    expect(result.id).toMatch(/^exe_[0-9a-f]{32}$/);
    const logged = lines.filter((line) => line.fields?.site === 'generateId');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.fields).toMatchObject({ tenant_id: 'ws_a' });
    expect(JSON.stringify(logged[0])).toContain('generateId() must return a non-empty string, got string.');
  });

  it('logs a throwing onEvent hook once per execution, with the event it failed on', async () => {
    const { logger, lines } = recordingLogger();
    const failing = defineAgent({
      id: 'failing',
      name: 'Failing',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      prompt: () => 'go',
      mock: () => ({ n: 'x' }) as never,
    });
    const executor = createExecutor({
      agents: [echo, failing],
      logger,
      // The same id twice: each execution's first failure is logged, whatever the id.
      generateId: () => 'exe_same',
      onEvent: () => {
        throw new Error('hook bug');
      },
    });
    await executor.execute({ agentId: 'echo', input: {}, tenant });
    await executor.execute({ agentId: 'echo', input: {}, tenant });
    // A failed execution ends its entry too (execution-error): the next one is logged again.
    await executor.execute({ agentId: 'failing', input: {}, tenant });
    await executor.execute({ agentId: 'failing', input: {}, tenant });
    const logged = lines.filter((line) => line.fields?.site === 'onEvent');
    const start = expect.objectContaining({
      tenant_id: 'ws_a',
      execution_id: 'exe_same',
      event_type: 'execution-start',
    });
    expect(logged.map((line) => line.fields)).toEqual([start, start, start, start]);
  });

  it("redacts secrets from a provider error's request id", async () => {
    const key = 'sk-request-id-secret-0123456789';
    const { agent, providers } = liveAgentOn(
      throwingProvider(
        'custom',
        () => new AgentryError('provider_error', 'Upstream refused.', { requestId: `req_${key}`, provider: 'custom' }),
      ),
    );
    const result = await createExecutor({ agents: [agent], providers, secrets: [key] }).execute({
      agentId: 'live',
      input: {},
      tenant,
      mode: 'live',
    });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.requestId).toBe('req_[REDACTED]');
  });

  it('answers an unexpected provider error in its own words, naming the provider and the kind of error', async () => {
    const { logger, lines } = recordingLogger();
    const { agent, providers } = liveAgentOn(
      throwingProvider('custom', () => new RangeError('socket to 10.1.2.3 closed')),
    );
    const result = await createExecutor({ agents: [agent], providers, logger }).execute({
      agentId: 'live',
      input: {},
      tenant,
      mode: 'live',
    });
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'provider_error',
      message: 'The "custom" provider failed with an unexpected RangeError; the details are in the server log.',
      provider: 'custom',
    });
    expect(JSON.stringify(result)).not.toContain('10.1.2.3');
    expect(lines.some((line) => line.event === 'agentry.provider.unexpected_error')).toBe(true);
  });

  it('takes an abort a provider throws for a cancel, not for an unexpected error', async () => {
    const { logger, lines } = recordingLogger();
    const { agent, providers } = liveAgentOn(
      throwingProvider('custom', () => new DOMException('The operation was aborted.', 'AbortError')),
    );
    const result = await createExecutor({ agents: [agent], providers, logger }).execute({
      agentId: 'live',
      input: {},
      tenant,
      mode: 'live',
    });
    expect(result.status === 'failed' || result.status === 'cancelled').toBe(true);
    expect('error' in result && result.error?.code).toBe('cancelled');
    expect(lines.some((line) => line.event === 'agentry.provider.unexpected_error')).toBe(false);
  });

  it('says live mode is disabled by the operator when the switch is off without a reason', async () => {
    const executor = createExecutor({ live: { enabled: false } });
    expect((await executor.health()).live).toEqual({
      enabled: false,
      reason: 'Live mode is disabled by the operator.',
    });
  });
});
