import { AgentryError } from '@agentry/core';
import { act, renderHook } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeServer, createScriptedService, createTestExecutor } from '../../test/agents';
import { type UseAgentRunOptions, useAgentRun } from './use-agent-run';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useAgentRun', () => {
  it('runs an agent on an executor bound to the given tenant and streams its output', async () => {
    const executor = createTestExecutor();
    const { result } = renderHook(() =>
      useAgentRun({ executor, agentId: 'summarize', tenant: { tenantId: 'acme', userId: 'ada' } }),
    );
    expect(result.current.status).toBe('idle');
    await advance(0);
    expect(result.current.agent?.name).toBe('Summarizer');

    let done: Promise<unknown> = Promise.resolve();
    act(() => {
      done = result.current.run({ text: 'Hi.' });
    });
    expect(result.current.status).toBe('running');
    await advance(200);
    expect(result.current.status).toBe('streaming');
    expect(result.current.output).toMatch(/^Summary: Hi\./);
    await advance(5000);
    await act(() => done);
    expect(result.current.status).toBe('succeeded');
    expect(result.current.result?.tenantId).toBe('acme');
    expect(result.current.result?.userId).toBe('ada');
    expect(result.current.error).toBeUndefined();

    const page = await executor.listExecutions({ tenantId: 'acme', userId: 'ada' });
    expect(page.items).toHaveLength(1);
  });

  it('runs as the local tenant by default, and accepts a tenant-bound executor', async () => {
    const executor = createTestExecutor();
    const { result, rerender } = renderHook((props: UseAgentRunOptions) => useAgentRun(props), {
      initialProps: { executor, agentId: 'summarize' } as UseAgentRunOptions,
    });
    await advance(0);
    await act(async () => {
      const run = result.current.run({ text: 'a' });
      await vi.advanceTimersByTimeAsync(5000);
      await run;
    });
    expect(result.current.result?.tenantId).toBe('local');

    rerender({ executor: executor.forTenant({ tenantId: 'bound', userId: 'u' }), agentId: 'summarize' });
    await advance(0);
    await act(async () => {
      const run = result.current.run({ text: 'b' });
      await vi.advanceTimersByTimeAsync(5000);
      await run;
    });
    expect(result.current.result?.tenantId).toBe('bound');
  });

  it('exposes validation without running, and refuses to run with no agent', async () => {
    // Created once, outside render: a new executor every render would reload the agents every render.
    const executor = createTestExecutor();
    const { result } = renderHook(() => useAgentRun({ executor }));
    await advance(0);
    await expect(result.current.validate({ text: 3 }, 'summarize')).resolves.toEqual([
      { path: ['text'], code: 'invalid_type', message: 'Expected string, got number.' },
    ]);
    await expect(result.current.run({})).rejects.toThrow('no agentId');
  });

  it('follows a new agentId and a new client after mount', async () => {
    const executor = createTestExecutor();
    const { result, rerender } = renderHook((props: Parameters<typeof useAgentRun>[0]) => useAgentRun(props), {
      initialProps: { executor, agentId: 'summarize' } as Parameters<typeof useAgentRun>[0],
    });
    await advance(0);
    await act(async () => {
      const run = result.current.run({ text: 'a' });
      await vi.advanceTimersByTimeAsync(5000);
      await run;
    });
    expect(result.current.status).toBe('succeeded');

    rerender({ executor, agentId: 'extract' });
    await advance(0);
    expect(result.current.agent?.name).toBe('Link extractor');
    expect(result.current.status).toBe('idle');
    expect(result.current.history).toHaveLength(1);

    const client = createScriptedService(
      [{ id: 'remote', name: 'Remote', inputSchema: {}, modes: ['mock'], live: { available: false } }],
      () => undefined,
    );
    rerender({ client, agentId: 'remote' });
    await advance(0);
    expect(result.current.agent?.name).toBe('Remote');
    await act(() => result.current.run({}));
    expect(client.calls).toHaveLength(1);
    expect(result.current.status).toBe('failed');
    expect(result.current.error?.code).toBe('internal');
  });

  it('lets a run finish when a re-render brings a fresh client (created inline), without reloading agents visibly', async () => {
    const server = createFakeServer({
      agents: [{ id: 'summarize', name: 'Summarizer', inputSchema: {}, modes: ['mock'], live: { available: false } }],
    });
    // As `useAgentRun({ client: createClient({ baseUrl }) })` written in a component body does.
    let renders = 0;
    const { result, rerender } = renderHook(() => {
      renders += 1;
      // Each render makes a new client: reloading the agents loudly on each one would never settle.
      if (renders > 50) throw new Error('The hook re-renders without end.');
      return useAgentRun({ client: server.client(), agentId: 'summarize' });
    });
    await advance(0);
    let done: Promise<unknown> = Promise.resolve();
    act(() => {
      done = result.current.run({});
    });
    await advance(250);
    expect(result.current.status).toBe('streaming');
    const agentsStatuses: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      rerender();
      await advance(50);
      agentsStatuses.push(result.current.agentsStatus);
      expect(result.current.status).toBe('streaming');
    }
    expect(agentsStatuses).toEqual(['ready', 'ready', 'ready']);
    await advance(1000);
    await act(() => done);
    expect(result.current.status).toBe('succeeded');
    expect(result.current.output).toBe('one two three four five');
    expect(result.current.result?.status).toBe('succeeded');
    expect(server.calls.stream).toBe(1);
  });

  it('stops the run in flight on unmount', async () => {
    const server = createFakeServer({
      agents: [{ id: 'summarize', name: 'Summarizer', inputSchema: {}, modes: ['mock'], live: { available: false } }],
    });
    const client = server.client();
    const { result, unmount } = renderHook(() => useAgentRun({ client, agentId: 'summarize' }));
    await advance(0);
    act(() => {
      void result.current.run({});
    });
    await advance(150);
    const { store } = result.current;
    unmount();
    expect(store.getSnapshot().status).toBe('cancelled');
    await advance(10_000);
    // Nobody is left to show it: the stopped run's record is not fetched after unmount.
    expect(server.calls.getExecution).toBe(0);
  });

  it('settles when a client created on every render cannot list the agents', async () => {
    const server = createFakeServer({ agents: [] });
    let listed = 0;
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      if (renders > 50) throw new Error('The hook re-renders without end.');
      return useAgentRun({
        client: {
          ...server.client(),
          async listAgents() {
            listed += 1;
            throw new AgentryError('tenant_required', 'No session.');
          },
        },
      });
    });
    await advance(0);
    await advance(0);
    expect(result.current.agentsStatus).toBe('error');
    expect(result.current.agentsError?.code).toBe('tenant_required');
    const settled = { renders, listed };
    await advance(1000);
    expect({ renders, listed }).toEqual(settled);
  });

  it('works under StrictMode: agents load and a run finishes', async () => {
    const executor = createTestExecutor();
    const { result } = renderHook(() => useAgentRun({ executor, agentId: 'summarize' }), { wrapper: StrictMode });
    await advance(0);
    expect(result.current.agentsStatus).toBe('ready');
    let done: Promise<unknown> = Promise.resolve();
    act(() => {
      done = result.current.run({ text: 'Hi.' });
    });
    await advance(5000);
    await act(() => done);
    expect(result.current.status).toBe('succeeded');
  });
});
