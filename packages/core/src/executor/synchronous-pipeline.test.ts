// The pipeline stays synchronous while every stage answers at once (an executor's own agent,
// synchronous schemas and prompt, the mock's ready answer, the in-memory store and coordinator):
// the run is over, recorded and its events sent, before execute() returns its promise. A stage
// that answers a promise (a host's resolveAgent, an async schema or prompt, a store, a live call)
// continues the run from there, with the same outcome.
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { acme } from '../../test/agents';
import { createExecutor, createMemoryStore, defineAgent, type ExecutionEvent, type ExecutionResult } from '../index';

const capital = defineAgent({
  id: 'capital',
  name: 'Capital',
  input: z.object({ country: z.string() }),
  prompt: ({ country }) => `The capital of ${country}?`,
  mock: ({ country }) => `The capital of ${country} is Paris.`,
});

const input = { country: 'France' };

describe('the synchronous pipeline', () => {
  it('runs a mock execute() to its record before execute() returns', async () => {
    const events: ExecutionEvent['type'][] = [];
    const executor = createExecutor({ agents: [capital], onEvent: (event) => events.push(event.type) });
    // An executor's first run also sweeps for runs whose instance died (a promise): warm it up.
    const first = await executor.execute({ agentId: 'capital', input, tenant: acme });
    events.length = 0;
    const pending = executor.execute({ agentId: 'capital', input, tenant: acme });
    // Nothing awaited yet: every event was sent, the last one the record's.
    expect(events).toEqual(['execution-start', 'usage', 'execution-finish']);
    expect(pending).toBeInstanceOf(Promise);
    const result = await pending;
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('The capital of France is Paris.');
    expect((await executor.listExecutions(acme)).items.map((record) => record.id)).toEqual([result.id, first.id]);
  });

  it('answers a refusal as a rejected promise, never a throw, on the synchronous path too', async () => {
    const executor = createExecutor({ agents: [capital] });
    const calls = [
      () => executor.execute(null as never),
      () => executor.execute({ agentId: 'capital', input: { country: 7 }, tenant: acme } as never),
      () => executor.execute({ agentId: 'nope', input, tenant: acme } as never),
      () => executor.execute({ agentId: 'capital', input, tenant: { tenantId: '' } } as never),
    ];
    for (const call of calls) {
      let pending: Promise<ExecutionResult> | undefined;
      expect(() => {
        pending = call();
      }).not.toThrow();
      await expect(pending).rejects.toMatchObject({ name: 'AgentryError' });
    }
    // A refused run holds no slot: the next run goes through.
    expect((await executor.execute({ agentId: 'capital', input, tenant: acme })).status).toBe('succeeded');
  });

  it('continues from any stage that answers a promise, with the same outcome and events', async () => {
    const asyncAgent = defineAgent({
      id: 'capital',
      name: 'Capital',
      // An async refinement (and the host's resolveAgent, the store): each stage waits, then the run goes on.
      input: z.object({ country: z.string() }).refine(async (value) => value.country.length > 0),
      prompt: ({ country }) => `The capital of ${country}?`,
      mock: ({ country }) => `The capital of ${country} is Paris.`,
    });
    const store = createMemoryStore();
    const saved: string[] = [];
    const slowStore = {
      ...store,
      save: async (record: ExecutionResult) => {
        await new Promise((resolve) => setImmediate(resolve));
        saved.push(record.id);
        return store.save(record);
      },
    };
    const events: ExecutionEvent['type'][] = [];
    const executor = createExecutor({
      resolveAgent: async () => asyncAgent,
      listAgents: async () => [asyncAgent],
      store: slowStore,
      onEvent: (event) => events.push(event.type),
    });
    const pending = executor.execute({ agentId: 'capital', input, tenant: acme });
    expect(events).toEqual([]);
    const result = await pending;
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('The capital of France is Paris.');
    expect(saved).toEqual([result.id]);
    expect(events).toEqual(['execution-start', 'usage', 'execution-finish']);
    // A refusal after a stage waited is a rejection too, and logged once.
    await expect(executor.execute({ agentId: 'capital', input: { country: '' }, tenant: acme })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('gives the lease back when a synchronous run fails after it was taken', async () => {
    const failing = defineAgent({
      id: 'capital',
      name: 'Capital',
      input: z.object({ country: z.string() }),
      prompt: ({ country }) => country,
      mock: () => {
        throw new Error('the mock broke');
      },
    });
    const log = vi.fn();
    const executor = createExecutor({
      agents: [failing],
      limits: { concurrencyPerTenant: 1, maxRetries: 0 },
      logger: { debug: log, info: log, warn: log, error: log },
    });
    for (let index = 0; index < 3; index += 1) {
      const result = await executor.execute({ agentId: 'capital', input, tenant: acme });
      // A slot held by an earlier run would refuse this one with limit_exceeded.
      expect(result).toMatchObject({ status: 'failed', error: { code: 'internal' } });
    }
  });
});
