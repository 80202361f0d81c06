import { describe, expect, it } from 'vitest';
import { createExecutor } from '../executor';
import { type ExecutionEvent, type ExecutionResult, isTerminalEvent } from '../protocol';
import { A, agent, B, BASE, readEvents, setup, streamRun, until } from './coordination.test-support';
import { createHandler } from './create-handler';
import { resolveTenantFromSession } from './loopback.test-support';

// The coordinator's routes over the real handler: cancel, resumable events, budgets, and runs
// whose instance died. Gated providers pause runs mid-stream; nothing sleeps.

describe('GET /executions/:id/events with Last-Event-ID', () => {
  it('resumes a stream cut mid-run: every event exactly once, ids 1, 2, 3, …', async () => {
    const { call, gated } = setup();
    // Cut after the second delta (start, one, two), while the run waits at the gate.
    const before = await readEvents(await streamRun(call), (received) => received.length === 3);
    const executionId = before[0]?.event.executionId as string;
    expect(before.map((entry) => entry.id)).toEqual(['1', '2', '3']);
    gated.open();
    const resumed = await call(`/executions/${executionId}/events`, A, { headers: { 'last-event-id': '3' } });
    expect(resumed.status).toBe(200);
    const after = await readEvents(resumed);
    const all = [...before, ...after];
    expect(all.map((entry) => entry.id)).toEqual(all.map((_, index) => String(index + 1)));
    const text = all.flatMap(({ event }) => (event.type === 'output-delta' ? [event.delta] : [])).join('');
    const last = all.at(-1)?.event as ExecutionEvent;
    expect(isTerminalEvent(last)).toBe(true);
    expect(text).toBe('one two three four');
    expect((last as { result: ExecutionResult }).result.output).toBe(text);
  });

  it('replays a finished execution from the start, or from any id, then ends', async () => {
    const { call, gated } = setup();
    gated.open();
    const full = await readEvents(await streamRun(call));
    const executionId = full[0]?.event.executionId as string;
    const replay = await readEvents(await call(`/executions/${executionId}/events`, A));
    expect(replay).toEqual(full);
    const tail = await readEvents(
      await call(`/executions/${executionId}/events`, A, { headers: { 'last-event-id': '4' } }),
    );
    expect(tail).toEqual(full.slice(4));
  });

  it('answers a bad Last-Event-ID with a 400 problem naming the header', async () => {
    const { call, gated } = setup();
    gated.open();
    const full = await readEvents(await streamRun(call));
    const executionId = full[0]?.event.executionId as string;
    for (const header of ['abc', '-1', '1.5', '99999999999999999999']) {
      const response = await call(`/executions/${executionId}/events`, A, { headers: { 'last-event-id': header } });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { code: string; issues: { path: string[] }[]; detail: string };
      expect(problem.code).toBe('validation_failed');
      expect(problem.issues[0]?.path).toEqual(['Last-Event-ID']);
    }
    const past = await call(`/executions/${executionId}/events`, A, { headers: { 'last-event-id': '999' } });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { detail: string }).detail).toMatch(/past the last event/);
  });

  it("answers 404 for another tenant's execution and for an unknown one", async () => {
    const { call, gated } = setup();
    const before = await readEvents(await streamRun(call), (received) => received.length === 2);
    const executionId = before[0]?.event.executionId as string;
    const foreign = await call(`/executions/${executionId}/events`, B);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('one');
    expect((await call('/executions/exe_unknown/events', A)).status).toBe(404);
    gated.open();
  });
});

describe('POST /executions/:id/cancel', () => {
  it('stops a running execution; its record ends cancelled with the partial output; idempotent', async () => {
    const { call, executor } = setup();
    const before = await readEvents(await streamRun(call), (received) => received.length === 3);
    const executionId = before[0]?.event.executionId as string;
    const cancelled = await call(`/executions/${executionId}/cancel`, A, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    const record = (await cancelled.json()) as ExecutionResult;
    expect(record.status).toBe('cancelled');
    expect(record.output).toBe('one two ');
    expect((await executor.getExecution({ tenantId: 'acme' }, executionId)).status).toBe('cancelled');
    const again = await call(`/executions/${executionId}/cancel`, A, { method: 'POST' });
    expect(await again.json()).toEqual(record);
  });

  it('answers a finished execution with its record, unchanged', async () => {
    const { call, gated } = setup();
    gated.open();
    const full = await readEvents(await streamRun(call));
    const result = (full.at(-1)?.event as unknown as { result: ExecutionResult } | undefined)
      ?.result as ExecutionResult;
    const response = await call(`/executions/${result.id}/cancel`, A, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(result);
  });

  it("answers 404 for another tenant's running execution, and leaves it running", async () => {
    const { call, gated, executor } = setup();
    const before = await readEvents(await streamRun(call), (received) => received.length === 2);
    const executionId = before[0]?.event.executionId as string;
    const foreign = await call(`/executions/${executionId}/cancel`, B, { method: 'POST' });
    expect(foreign.status).toBe(404);
    expect((await call('/executions/exe_unknown/cancel', A, { method: 'POST' })).status).toBe(404);
    gated.open();
    await until(async () => {
      try {
        return (await executor.getExecution({ tenantId: 'acme' }, executionId)).status === 'succeeded';
      } catch {
        return false;
      }
    });
  });

  it('reaches a run on another executor that shares the coordinator (another instance)', async () => {
    const first = setup();
    const second = createHandler({
      executor: createExecutor({ agents: [agent], coordinator: first.coordinator }),
      resolveTenant: resolveTenantFromSession,
      basePath: '/api',
    });
    const before = await readEvents(await streamRun(first.call), (received) => received.length === 3);
    const executionId = before[0]?.event.executionId as string;
    // The second instance has no record and no run of its own: it asks through the coordinator.
    const response = await second(
      new Request(`${BASE}/executions/${executionId}/cancel`, { method: 'POST', headers: { cookie: A } }),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as ExecutionResult).status).toBe('cancelled');
  });
});

describe('budgets', () => {
  it('refuses a run once the tenant spent its daily tokens: 429 budget_exceeded with resetsAt and Retry-After', async () => {
    const { call, gated } = setup({
      limits: { budgets: [{ window: 'day', maxTokens: 9 }] },
    });
    gated.open();
    await readEvents(await streamRun(call)); // 5 + 4 = 9 tokens
    const refused = await streamRun(call);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(12 * 3600));
    const problem = (await refused.json()) as { code: string; resetsAt: string };
    expect(problem.code).toBe('budget_exceeded');
    expect(problem.resetsAt).toBe('2026-01-16T00:00:00.000Z');
    // Mock runs do not count, and are not refused, by default.
    const mock = await call('/agents/words/executions', A, {
      method: 'POST',
      body: JSON.stringify({ input: { text: 'x' }, mode: 'mock' }),
    });
    expect(mock.status).toBe(200);
    // Another tenant has its own budget.
    expect((await streamRun(call, B)).status).toBe(200);
  });
});

describe('a run whose instance died', () => {
  it('is recorded failed with code interrupted once its lease expires, and its event stream ends', async () => {
    const { call, coordinator, advance, executor } = setup();
    // An instance that took a lease, logged two events, and died (it never renews).
    await coordinator.acquire({
      run: {
        executionId: 'exe_dead',
        tenantId: 'acme',
        userId: 'alice',
        agentId: 'words',
        mode: 'live',
        requestedMode: 'live',
        provider: 'gated',
        model: 'gated-1',
        input: { text: 'go' },
        startedAt: '2026-01-15T12:00:00.000Z',
      },
      limit: 8,
      budgets: [],
    });
    await coordinator.appendEvents('acme', 'exe_dead', [
      {
        id: 1,
        event: {
          type: 'execution-start',
          executionId: 'exe_dead',
          agentId: 'words',
          mode: 'live',
          requestedMode: 'live',
          provider: 'gated',
          model: 'gated-1',
          startedAt: '2026-01-15T12:00:00.000Z',
        },
      },
      { id: 2, event: { type: 'output-delta', executionId: 'exe_dead', delta: 'half an ans' } },
    ]);
    expect((await call('/executions/exe_dead', A)).status).toBe(404);
    advance(30_001);
    const response = await call('/executions/exe_dead', A);
    expect(response.status).toBe(200);
    const record = (await response.json()) as ExecutionResult;
    expect(record.status).toBe('failed');
    expect(record.status === 'failed' && record.error.code).toBe('interrupted');
    expect(record.output).toBe('half an ans');
    expect(record.finishedAt).toBe('2026-01-15T12:00:30.000Z');
    const events = await readEvents(
      await call('/executions/exe_dead/events', A, { headers: { 'last-event-id': '2' } }),
    );
    expect(events.map((entry) => [entry.id, entry.event.type])).toEqual([['3', 'execution-error']]);
    expect(await executor.recoverInterrupted()).toBe(0);
  });
});
