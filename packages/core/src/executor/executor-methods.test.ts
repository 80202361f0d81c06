// The executor's own methods, as a host calls them: a tenant-bound executor's stream and health,
// the history's pages, and the words of a host's failing resolveAgent (mutation round 7: the
// executor's tests alone left these to the server's).
import { describe, expect, it, vi } from 'vitest';
import { acme, echo, globex } from '../../test/agents';
import { createExecutor, createMemoryStore, type ExecutionEvent } from '../index';

const logger = () => {
  const error = vi.fn();
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error };
};

describe("the executor's methods", () => {
  it("forTenant(…).stream and .health run for the bound tenant, whatever the caller's options say", async () => {
    const executor = createExecutor({ agents: [echo] });
    const bound = executor.forTenant(acme);
    const events: ExecutionEvent[] = [];
    // A tenant smuggled into the options is ignored: the bound one wins.
    const options = { agentId: 'echo', input: { message: 'hi' }, tenant: globex } as never;
    for await (const event of bound.stream(options)) events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('execution-finish');
    const record = (last as Extract<ExecutionEvent, { type: 'execution-finish' }>).result;
    expect(record.tenantId).toBe(acme.tenantId);
    expect((await executor.listExecutions(acme)).items.map((item) => item.id)).toEqual([record.id]);
    expect((await executor.listExecutions(globex)).items).toEqual([]);
    const report = await bound.health();
    expect(report.status).toBe('ok');
    expect(report.providers.mock).toMatchObject({ status: 'ok' });
  });

  it('pages the history: a full page carries the cursor to the next one, the last page none', async () => {
    const executor = createExecutor({ agents: [echo] });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1)
      ids.push((await executor.execute({ agentId: 'echo', input: { message: `m${index}` }, tenant: acme })).id);
    const first = await executor.listExecutions(acme, { limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(typeof first.nextCursor).toBe('string');
    const second = await executor.listExecutions(acme, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second).not.toHaveProperty('nextCursor');
  });

  it("answers a host's failing resolveAgent in generic words and logs where it failed", async () => {
    const log = logger();
    const executor = createExecutor({
      resolveAgent: () => {
        throw new Error('db down: password=hunter2');
      },
      listAgents: () => [],
      logger: log,
    });
    const refusal = await executor.getAgent('echo', acme).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: 'internal' });
    expect(String((refusal as Error).message)).not.toContain('hunter2');
    // The raw words go to the server log only, under the site that failed.
    expect(JSON.stringify(log.error.mock.calls)).toContain('"site":"resolveAgent"');
  });

  it('refuses a malformed tenant on every read, before touching the store', async () => {
    const memory = createMemoryStore();
    const list = vi.fn(memory.list);
    const get = vi.fn(memory.get);
    const executor = createExecutor({ agents: [echo], store: { ...memory, list, get } });
    const bad = { tenantId: '' } as never;
    await expect(executor.getAgent('echo', bad)).rejects.toMatchObject({ name: 'AgentryError' });
    await expect(executor.listExecutions(bad)).rejects.toMatchObject({ name: 'AgentryError' });
    await expect(executor.getExecution(bad, 'exe_1')).rejects.toMatchObject({ name: 'AgentryError' });
    await expect(executor.listAgents(bad)).rejects.toMatchObject({ name: 'AgentryError' });
    expect(list).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });
});
