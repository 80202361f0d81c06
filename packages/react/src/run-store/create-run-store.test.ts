import { mockProvider } from '@agentry/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestExecutor } from '../../test/agents';
import { createRunStore } from './create-run-store';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function connected(options: Parameters<typeof createRunStore>[0] = {}, latency = true) {
  const store = createRunStore(options);
  const executor = createTestExecutor(latency ? {} : { providers: { mock: mockProvider() } });
  const disconnect = store.connect(executor.forTenant({ tenantId: 't1', userId: 'u1' }));
  return { store, disconnect };
}

describe('createRunStore', () => {
  it('loads agents, then streams a run through running, streaming and succeeded', async () => {
    const { store } = connected();
    const statuses: string[] = [];
    store.subscribe(() => statuses.push(store.getSnapshot().status));
    expect(store.getSnapshot().agentsStatus).toBe('loading');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().agents.map((agent) => agent.id)).toEqual(['summarize', 'extract', 'big-report']);

    const done = store.run({ agentId: 'summarize', input: { text: 'Hi.' } });
    await vi.advanceTimersByTimeAsync(5000);
    const entry = await done;
    expect(entry?.status).toBe('succeeded');
    expect(new Set(statuses)).toEqual(new Set(['idle', 'running', 'streaming', 'succeeded']));
    const snapshot = store.getSnapshot();
    expect(snapshot.output).toBe('Summary: Hi. It works in mock mode without any network.');
    expect(snapshot.result?.status).toBe('succeeded');
    // Deltas are merged: start, one delta, usage, finish.
    expect(snapshot.events.map((event) => event.type)).toEqual([
      'execution-start',
      'output-delta',
      'usage',
      'execution-finish',
    ]);
  });

  it('keeps the snapshot identical between changes (as useSyncExternalStore requires)', async () => {
    const { store } = connected();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot()).toBe(store.getSnapshot());
  });

  it('refuses input that does not match the schema without sending it', async () => {
    const { store } = connected();
    await vi.advanceTimersByTimeAsync(0);
    const entry = await store.run({ agentId: 'summarize', input: { text: '' } });
    expect(entry).toBeUndefined();
    expect(store.getSnapshot().validation).toEqual([
      { path: ['text'], code: 'too_small', message: 'Must not be empty.' },
    ]);
    expect(store.getSnapshot().history).toEqual([]);
  });

  it('cancel keeps the partial output and later attaches the cancelled record with its metrics', async () => {
    const { store } = connected();
    await vi.advanceTimersByTimeAsync(0);
    const done = store.run({ agentId: 'summarize', input: { text: 'Hello there.' } });
    await vi.advanceTimersByTimeAsync(260);
    store.cancel();
    const partial = store.getSnapshot().output;
    expect(partial).toMatch(/^Summary: Hello/);
    expect(store.getSnapshot().status).toBe('cancelled');
    expect(store.getSnapshot().current?.cancelledByUser).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    await done;
    expect(store.getSnapshot().output).toBe(partial);
    expect(store.getSnapshot().result?.status).toBe('cancelled');
    expect(store.getSnapshot().result?.metrics.timeToFirstOutputMs).toBe(100);
  });

  it('shows a fast stream in a few updates, not one per chunk', async () => {
    const { store } = connected({}, false);
    await vi.advanceTimersByTimeAsync(0);
    let updates = 0;
    store.subscribe(() => {
      updates += 1;
    });
    const done = store.run({ agentId: 'big-report', input: { rows: 2000 } });
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    const chunks = store.getSnapshot().output.match(/\s*\S+\s*|\s+/g)?.length ?? 0;
    expect(chunks).toBeGreaterThan(1000);
    expect(updates).toBeLessThan(chunks / 10);
  });

  it('keeps a bounded history, newest first, and shows a picked run', async () => {
    const { store } = connected({ maxHistory: 2 });
    await vi.advanceTimersByTimeAsync(0);
    for (const text of ['one', 'two', 'three']) {
      const done = store.run({ agentId: 'summarize', input: { text } });
      await vi.advanceTimersByTimeAsync(5000);
      await done;
    }
    const history = store.getSnapshot().history;
    expect(history.map((entry) => (entry.input as { text: string }).text)).toEqual(['three', 'two']);
    store.select(history[1]?.id ?? '');
    expect(store.getSnapshot().output).toBe('Summary: two It works in mock mode without any network.');
    store.reset();
    expect(store.getSnapshot().status).toBe('idle');
    expect(store.getSnapshot().history).toHaveLength(2);
  });

  it('turns a refusal into a failed run with the error (unknown agent)', async () => {
    const { store } = connected();
    await vi.advanceTimersByTimeAsync(0);
    const entry = await store.run({ agentId: 'nope', input: {} });
    expect(entry?.status).toBe('failed');
    expect(entry?.error?.code).toBe('not_found');
  });

  it('disconnecting stops the active run', async () => {
    const { store, disconnect } = connected();
    await vi.advanceTimersByTimeAsync(0);
    void store.run({ agentId: 'summarize', input: { text: 'Hi.' } });
    await vi.advanceTimersByTimeAsync(150);
    disconnect();
    expect(store.getSnapshot().status).toBe('cancelled');
  });
});
