import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentryError, type AgentService, type AgentSummary, type ExecutionEvent } from '../../index';
import { createRunStore } from './create-run-store';
import { loadInputChecks } from './input-checks';
import { createScriptedService, serializedFailure } from './run-store.test-support';

// The checks load on demand (input-checks.test.ts covers the moments before): here they are loaded.
beforeAll(() => loadInputChecks());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const summary: AgentSummary = {
  id: 'summarize',
  name: 'Summarizer',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string', minLength: 1 } },
    required: ['text'],
  },
  example: { text: 'Hello.' },
  modes: ['mock', 'live'],
  live: { available: false, reason: 'Live mode is off for this workspace.' },
};
// Live is on for the tenant, but this agent has no live mode.
const mockOnly: AgentSummary = {
  ...summary,
  id: 'mock-only',
  example: undefined,
  modes: ['mock'],
  live: { available: true, reason: 'Not used.' },
};
const liveOnly: AgentSummary = { ...summary, id: 'live-only', modes: ['live'], live: { available: true } };

/** A service whose run starts at once and streams output only when the test says so; it never finishes. */
function gatedService(agents: AgentSummary[] = [summary]) {
  let send: (delta: string) => void = () => undefined;
  const service: AgentService = {
    ...createScriptedService(agents, () => undefined),
    stream: async function* stream(options) {
      const signal = options.signal as AbortSignal;
      yield {
        type: 'execution-start',
        executionId: 'exe_gated',
        agentId: options.agentId,
        mode: options.mode ?? 'mock',
        requestedMode: options.mode ?? 'mock',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        startedAt: new Date().toISOString(),
      } satisfies ExecutionEvent;
      while (true) {
        const delta = await new Promise<string>((resolve, reject) => {
          send = resolve;
          signal.addEventListener('abort', () => reject(new AgentryError('cancelled', 'Stopped.')), { once: true });
        });
        yield { type: 'output-delta', executionId: 'exe_gated', delta } satisfies ExecutionEvent;
      }
    } as AgentService['stream'],
  };
  return { service, send: (delta: string) => send(delta) };
}

describe('createRunStore: live metrics', () => {
  it('ticks the duration while the run streams, adds the time to first output once seen, and stops when it ends', async () => {
    const { service, send } = gatedService();
    const store = createRunStore({ service, streamThrottleMs: 0 });
    await vi.advanceTimersByTimeAsync(0);
    const durations: Array<number | undefined> = [];
    store.subscribe(() => durations.push(store.getSnapshot().metrics?.durationMs));
    void store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().metrics).toEqual({
      durationMs: 0,
      provider: 'openai',
      model: 'gpt-4.1-mini',
      simulated: true,
    });

    // Nothing arrives, yet the duration moves on: the store's own timer, every 100 ms.
    await vi.advanceTimersByTimeAsync(300);
    expect(store.getSnapshot().metrics?.durationMs).toBe(300);
    expect(durations.slice(-3)).toEqual([100, 200, 300]);

    send('Hi');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().metrics?.timeToFirstOutputMs).toBe(300);
    await vi.advanceTimersByTimeAsync(200);
    send(' there');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().output).toBe('Hi there');
    expect(store.getSnapshot().metrics).toMatchObject({ durationMs: 500, timeToFirstOutputMs: 300 });

    store.cancel();
    await vi.advanceTimersByTimeAsync(0);
    const updates = durations.length;
    await vi.advanceTimersByTimeAsync(5000);
    // Stopped: the figures hold still and no timer is left behind.
    expect(durations.length).toBe(updates);
    expect(store.getSnapshot().metrics).toMatchObject({ durationMs: 500, timeToFirstOutputMs: 300 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ticks only while someone is subscribed', async () => {
    const { service } = gatedService();
    const store = createRunStore({ service });
    await vi.advanceTimersByTimeAsync(0);
    void store.run({ agentId: 'summarize', input: { text: 'a' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    const unsubscribe = store.subscribe(() => undefined);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(store.getSnapshot().metrics?.durationMs).toBe(200);
    unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
    store.cancel();
  });

  it('shows the final record’s metrics once it arrives', async () => {
    const store = createRunStore({ service: createScriptedService([summary], () => undefined) });
    await vi.advanceTimersByTimeAsync(0);
    await store.run({ agentId: 'summarize', input: { text: 'a' } });
    expect(store.getSnapshot().metrics).toMatchObject({ durationMs: 1200, attempts: 3, timeToFirstOutputMs: null });
  });
});

describe('createRunStore: the selected agent and its modes', () => {
  const service = () => createScriptedService([summary, mockOnly, liveOnly], () => undefined);

  it('offers every mode while the agent is unknown, then what its summary says', async () => {
    const store = createRunStore({ agentId: 'summarize', mode: 'live' });
    store.connect(service());
    expect(store.getSnapshot().modes).toEqual({ mock: true, live: true, liveSupported: true });
    expect(store.getSnapshot().mode).toBe('live');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().agent?.id).toBe('summarize');
    expect(store.getSnapshot().modes).toEqual({
      mock: true,
      live: false,
      liveSupported: true,
      liveReason: 'Live mode is off for this workspace.',
    });
    // Live is asked for but off: the next run goes in mock mode.
    expect(store.getSnapshot().mode).toBe('mock');

    store.selectAgent('mock-only');
    expect(store.getSnapshot().modes).toEqual({ mock: true, live: false, liveSupported: false });
    store.selectAgent('live-only');
    store.setMode('mock');
    expect(store.getSnapshot().modes).toEqual({ mock: false, live: true, liveSupported: true });
    expect(store.getSnapshot().mode).toBe('live');
  });

  it('shows a fresh run area when another agent is selected, keeping the history', async () => {
    const store = createRunStore({ agentId: 'summarize' });
    store.connect(service());
    await vi.advanceTimersByTimeAsync(0);
    await store.submit();
    expect(store.getSnapshot().status).toBe('failed');
    store.selectAgent('mock-only');
    expect(store.getSnapshot().status).toBe('idle');
    expect(store.getSnapshot().history).toHaveLength(1);
  });
});

describe('createRunStore: the input', () => {
  it('starts from the example, or the schema defaults, or defaultInput for the first agent only', async () => {
    const store = createRunStore();
    store.connect(createScriptedService([summary, mockOnly], () => undefined));
    store.selectAgent('summarize');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getSnapshot().input).toEqual({
      text: '{\n  "text": "Hello."\n}',
      state: 'valid',
      issues: [],
      source: 'client',
      value: { text: 'Hello.' },
    });
    store.selectAgent('mock-only');
    expect(store.getSnapshot().input.text).toBe('{\n  "text": ""\n}');

    const custom = createRunStore({ agentId: 'summarize', defaultInput: '{"text":"mine"}' });
    custom.connect(createScriptedService([summary, mockOnly], () => undefined));
    await vi.advanceTimersByTimeAsync(0);
    expect(custom.getSnapshot().input.text).toBe('{"text":"mine"}');
    custom.selectAgent('mock-only');
    custom.selectAgent('summarize');
    expect(custom.getSnapshot().input.text).toBe('{\n  "text": "Hello."\n}');
  });

  it('checks the text: a JSON syntax error with its line and column, then the schema', async () => {
    const store = createRunStore({ agentId: 'summarize' });
    store.connect(createScriptedService([summary], () => undefined));
    await vi.advanceTimersByTimeAsync(0);
    store.setInput('{\n  "text": }');
    expect(store.getSnapshot().input).toMatchObject({ state: 'invalid-json', source: 'client' });
    expect(store.getSnapshot().input.issues[0]).toMatchObject({ line: 2, column: 11 });
    expect(store.formatInput()).toMatchObject({ line: 2, column: 11 });

    store.setInput('{"text":""}');
    expect(store.getSnapshot().input.state).toBe('schema-invalid');
    expect(store.getSnapshot().input.issues.map((issue) => issue.path)).toEqual([['text']]);
    // Refused without sending.
    expect(await store.submit()).toBeUndefined();
    expect(store.getSnapshot().history).toEqual([]);

    store.setInput('{"text":"ok"}');
    expect(store.formatInput()).toBeUndefined();
    expect(store.getSnapshot().input.text).toBe('{\n  "text": "ok"\n}');
    store.setInput('[]');
    store.resetInput();
    expect(store.getSnapshot().input.text).toBe('{\n  "text": "Hello."\n}');
  });

  it('shows the service’s issues on the text that was sent, until the text changes', async () => {
    const issues = [{ path: ['text'], code: 'too_long', message: 'Too long for the server.' }];
    const scripted = createScriptedService([summary], () => ({
      error: serializedFailure('validation_failed', { issues }),
    }));
    const store = createRunStore({ agentId: 'summarize', mode: 'live' });
    store.connect(scripted);
    await vi.advanceTimersByTimeAsync(0);
    const entry = await store.submit({ seed: 7 });
    expect(scripted.calls[0]).toMatchObject({ agentId: 'summarize', input: { text: 'Hello.' }, mode: 'mock', seed: 7 });
    expect(entry?.status).toBe('failed');
    expect(store.getSnapshot().input).toMatchObject({ state: 'valid', source: 'server', issues });
    store.setInput('{"text":"other"}');
    expect(store.getSnapshot().input).toMatchObject({ state: 'valid', source: 'client', issues: [] });
  });

  it('puts a picked run’s input back in the text', async () => {
    const store = createRunStore({ agentId: 'summarize' });
    store.connect(createScriptedService([summary], () => undefined));
    await vi.advanceTimersByTimeAsync(0);
    store.setInput('{"text":"first"}');
    await store.submit();
    store.setInput('{"text":"second"}');
    await store.submit();
    store.select(store.getSnapshot().history[1]?.id ?? '');
    expect(store.getSnapshot().input.value).toEqual({ text: 'first' });
  });
});
