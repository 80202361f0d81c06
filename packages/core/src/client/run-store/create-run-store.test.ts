import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentryError, type AgentSummary, mockProvider, serializeError } from '../../index';
import { createRunStore } from './create-run-store';
import { loadInputChecks } from './input-checks';
import {
  createFakeServer,
  createScriptedService,
  createTestExecutor,
  serializedFailure,
} from './run-store.test-support';

// The checks load on demand (input-checks.test.ts covers the moments before): here they are loaded.
beforeAll(() => loadInputChecks());
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

const summary: AgentSummary = {
  id: 'summarize',
  name: 'Summarizer',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
  modes: ['mock'],
  live: { available: false },
};

describe('createRunStore: issues', () => {
  it('keeps output_invalid issues on the error, not in the input validation', async () => {
    const store = createRunStore();
    const issues = [{ path: ['links', 0], code: 'invalid_type', message: 'Expected string, got number.' }];
    store.connect(createScriptedService([summary], () => ({ error: serializedFailure('output_invalid', { issues }) })));
    await vi.advanceTimersByTimeAsync(0);
    const entry = await store.run({ agentId: 'summarize', input: { text: 'a' } });
    expect(entry?.status).toBe('failed');
    expect(entry?.error?.code).toBe('output_invalid');
    expect(entry?.error?.issues).toEqual(issues);
    expect(store.getSnapshot().validation).toEqual([]);
  });

  it('keeps output_invalid issues thrown by the service out of the input validation too', async () => {
    const store = createRunStore();
    const issues = [{ path: ['links'], code: 'invalid_type', message: 'Required.' }];
    store.connect(
      createScriptedService([summary], () => ({
        thrown: new AgentryError('output_invalid', 'Bad output.', { issues }),
      })),
    );
    await vi.advanceTimersByTimeAsync(0);
    await store.run({ agentId: 'summarize', input: { text: 'a' } });
    expect(store.getSnapshot().error?.issues).toEqual(issues);
    expect(store.getSnapshot().validation).toEqual([]);
  });

  it('shows input issues only on the run they belong to, not on a run picked from history meanwhile', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore({ service: server.client() });
    const first = store.run({ agentId: 'summarize', input: { text: 'first' }, validate: false });
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    const issues = [{ path: ['text'], code: 'too_small', message: 'Too short for the server.' }];
    let refuse: (error: AgentryError) => void = () => undefined;
    const refused = new Promise<never>((_, reject) => {
      refuse = reject;
    });
    store.connect({
      ...server.client(),
      // biome-ignore lint/correctness/useYield: refused before any event, as a server refuses bad input
      stream: async function* () {
        await refused;
      },
    } as never);
    const second = store.run({ agentId: 'summarize', input: { text: 'x' }, validate: false });
    // While the second run waits, the user looks at the first one again.
    store.select(store.getSnapshot().history[1]?.id ?? '');
    refuse(new AgentryError('validation_failed', 'Input invalid.', { issues }));
    await second;
    expect(store.getSnapshot().current?.input).toEqual({ text: 'first' });
    expect(store.getSnapshot().validation).toEqual([]);
    store.select(store.getSnapshot().history[0]?.id ?? '');
    expect(store.getSnapshot().error?.issues).toEqual(issues);
  });
});

describe('createRunStore: services', () => {
  it('keeps a run in flight when connected to a new service; the run finishes on the one it started on', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore();
    const first = server.client();
    store.connect(first);
    await vi.advanceTimersByTimeAsync(0);
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(250);
    expect(store.getSnapshot().status).toBe('streaming');
    store.connect(server.client());
    await vi.advanceTimersByTimeAsync(1000);
    const entry = await done;
    expect(entry?.status).toBe('succeeded');
    expect(entry?.output).toBe('one two three four five');
    expect(server.calls.stream).toBe(1);
  });

  it('refreshes the agents of a re-created service quietly: no loading state, no change when the list is the same', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore();
    store.connect(server.client());
    await vi.advanceTimersByTimeAsync(0);
    const ready = store.getSnapshot();
    const statuses: string[] = [];
    store.subscribe(() => statuses.push(store.getSnapshot().agentsStatus));
    store.connect(server.client());
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses).toEqual([]);
    expect(store.getSnapshot()).toBe(ready);
  });

  it('a stale disconnect (of a service since replaced) does not stop the run', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore();
    const disconnectFirst = store.connect(server.client());
    await vi.advanceTimersByTimeAsync(0);
    const disconnectSecond = store.connect(server.client());
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(150);
    disconnectFirst();
    expect(store.getSnapshot().status).toBe('streaming');
    disconnectSecond();
    expect(store.getSnapshot().status).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(5000);
    await done;
  });
});

describe('createRunStore: the record of a stopped run (client mode)', () => {
  it('reads the record once the server has written it, so the stopped run has its metrics', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore({ service: server.client() });
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(250);
    store.cancel();
    expect(store.getSnapshot().status).toBe('cancelled');
    expect(store.getSnapshot().output).toBe('one two ');
    await vi.advanceTimersByTimeAsync(0);
    // The first read comes before the server has written the record.
    expect(server.calls.getExecution).toBe(1);
    expect(store.getSnapshot().result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    const entry = await done;
    expect(server.calls.getExecution).toBe(2);
    expect(entry?.result).toMatchObject({ id: 'exe_1', status: 'cancelled', output: 'one two ' });
    expect(entry?.result?.metrics.durationMs).toBe(250);
    expect(store.getSnapshot().result?.metrics.durationMs).toBe(250);
    expect(store.getSnapshot().status).toBe('cancelled');
    expect(store.getSnapshot().output).toBe('one two ');
  });

  it('gives up after a few reads when the record never appears', async () => {
    const server = createFakeServer({ agents: [summary], missesBeforeRecord: 1000 });
    const store = createRunStore({ service: server.client() });
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(150);
    store.cancel();
    await vi.advanceTimersByTimeAsync(60_000);
    const entry = await done;
    expect(entry?.status).toBe('cancelled');
    expect(entry?.result).toBeUndefined();
    expect(server.calls.getExecution).toBeGreaterThan(1);
    expect(server.calls.getExecution).toBeLessThanOrEqual(6);
  });

  it('stops reading the record when disconnected (unmount)', async () => {
    const server = createFakeServer({ agents: [summary], missesBeforeRecord: 1000 });
    const store = createRunStore();
    const disconnect = store.connect(server.client());
    await vi.advanceTimersByTimeAsync(0);
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(150);
    store.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls.getExecution).toBe(1);
    disconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(server.calls.getExecution).toBe(1);
  });

  it('reads the record of a run whose connection broke, keeping the failure shown', async () => {
    const server = createFakeServer({ agents: [summary], breakAfter: 2 });
    const store = createRunStore({ service: server.client() });
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(5000);
    const entry = await done;
    expect(entry?.status).toBe('failed');
    expect(entry?.error?.message).toContain('ended before the execution finished');
    expect(entry?.result).toMatchObject({ id: 'exe_1', status: 'cancelled', output: 'one two ' });
  });

  it('stops reading when the service answers anything but not_found', async () => {
    const server = createFakeServer({ agents: [summary] });
    const client = server.client();
    let reads = 0;
    client.getExecution = async () => {
      reads += 1;
      throw new AgentryError('tenant_required', 'No session.');
    };
    const store = createRunStore({ service: client });
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(150);
    store.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await done)?.result).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('does not read records of runs stopped by disconnecting', async () => {
    const server = createFakeServer({ agents: [summary] });
    const store = createRunStore();
    const disconnect = store.connect(server.client());
    await vi.advanceTimersByTimeAsync(0);
    const done = store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(150);
    disconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(server.calls.getExecution).toBe(0);
  });
});

describe('createRunStore show', () => {
  it('shows a stored record from the history without touching the input, until the next run', async () => {
    const store = createRunStore({ agentId: 'summarize' });
    const executor = createTestExecutor({ providers: { mock: mockProvider() } });
    const tenant = executor.forTenant({ tenantId: 't1', userId: 'u1' });
    store.connect(tenant);
    await vi.advanceTimersByTimeAsync(0);
    const stored = await tenant.execute({ agentId: 'summarize', input: { text: 'Before.' }, mode: 'mock' });
    store.setInput('{"text": "Draft."}');

    store.show(stored);
    let snapshot = store.getSnapshot();
    expect(snapshot.status).toBe('succeeded');
    expect(snapshot.result).toBe(stored);
    expect(snapshot.current?.input).toEqual({ text: 'Before.', style: 'brief' });
    expect(snapshot.metrics).toBe(stored.metrics);
    expect(snapshot.input.text).toBe('{"text": "Draft."}');
    expect(snapshot.history).toEqual([]);

    const failed = {
      ...stored,
      status: 'failed' as const,
      output: 'Partial',
      error: serializeError(new AgentryError('timeout', 'The run took longer than 500 ms.')),
    };
    store.show(failed);
    snapshot = store.getSnapshot();
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error?.code).toBe('timeout');
    expect(snapshot.output).toBe('Partial');

    const done = store.submit();
    await vi.advanceTimersByTimeAsync(5000);
    const entry = await done;
    snapshot = store.getSnapshot();
    expect(snapshot.current?.id).toBe(entry?.id);
    expect(snapshot.current?.input).toEqual({ text: 'Draft.' });

    // A record of this session's own run selects that run.
    if (!entry?.result) throw new Error('the run has no record');
    store.show(stored);
    store.show(entry.result);
    expect(store.getSnapshot().current).toBe(store.getSnapshot().history[0]);
  });
});
