import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createMemoryStore, type ExecutionStore } from '../store';
import { createExecutor } from './create-executor';
import type { ExecutionEvent } from './types';

// A database outage at the end of a run: the record cannot be saved. The caller must not be
// told `succeeded` (nothing was stored), but get a retryable `internal` error that says so.

const tenant = { tenantId: 'ws_a', userId: 'u1' };
const DATABASE_WORDS = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';

const agent = defineAgent({
  id: 'writer',
  name: 'Writer',
  input: z.object({ topic: z.string() }),
  prompt: ({ topic }) => `Write about ${topic}.`,
  mock: { stream: ['Three ', 'short ', 'words.'] },
});

/** A memory store whose `save` rejects (the database went away); reads still work. */
function outageStore(): ExecutionStore & { saves: number } {
  const inner = createMemoryStore();
  const store = {
    saves: 0,
    async save() {
      store.saves += 1;
      throw new Error(DATABASE_WORDS);
    },
    get: inner.get,
    list: inner.list,
  };
  return store;
}

function setup() {
  const store = outageStore();
  const logged: { event: string; fields: Record<string, unknown> }[] = [];
  const record = (event: string, fields?: Record<string, unknown>) => logged.push({ event, fields: fields ?? {} });
  const executor = createExecutor({
    agents: [agent],
    store,
    logger: { debug: record, info: record, warn: record, error: record },
  });
  return { executor, store, logged };
}

function expectUnsaved(result: { status: string; error?: unknown; output: unknown }) {
  expect(result.status).toBe('failed');
  expect(result.error).toMatchObject({ code: 'internal', retryable: true });
  expect((result.error as { message: string }).message).toMatch(/could not be saved.*run it again/);
  // The store's own words (a host, a password) stay in the server log.
  expect(JSON.stringify(result)).not.toContain('hunter2');
  expect(JSON.stringify(result)).not.toContain('ECONNREFUSED');
}

describe('a run whose record cannot be saved', () => {
  it('execute() answers a retryable internal error, not succeeded, and the run is not in the history', async () => {
    const { executor, store, logged } = setup();
    const result = await executor.execute({ agentId: 'writer', input: { topic: 'tea' }, tenant });
    expect(store.saves).toBe(1);
    expectUnsaved(result);
    // The text the run made is kept on what the caller gets, like any failed run's partial output.
    expect(result.output).toBe('Three short words.');
    await expect(executor.getExecution(tenant, result.id)).rejects.toMatchObject({ code: 'not_found' });
    // Operators see why; the completion line does not say succeeded.
    expect(logged.find((entry) => entry.event === 'agentry.store.save_failed')?.fields).toMatchObject({
      execution_id: result.id,
    });
    const completed = logged.find((entry) => entry.event === 'agentry.execution.completed');
    expect(completed?.fields).toMatchObject({ status: 'failed', error_code: 'internal' });
  });

  it('stream() ends with execution-error carrying the same record, never execution-finish, also on replay', async () => {
    const { executor } = setup();
    const events: ExecutionEvent[] = [];
    for await (const event of executor.stream({ agentId: 'writer', input: { topic: 'tea' }, tenant })) {
      events.push(event);
    }
    expect(events.map((event) => event.type)).not.toContain('execution-finish');
    const last = events.at(-1);
    expect(last?.type).toBe('execution-error');
    if (last?.type !== 'execution-error') return;
    expectUnsaved(last.result);
    expect(last.error).toEqual(last.result.error);
    // A reader that resumes the stream later gets the same ending.
    const replayed = [];
    for await (const entry of executor.events(tenant, last.executionId)) replayed.push(entry.event.type);
    expect(replayed.at(-1)).toBe('execution-error');
  });
});
