import type { AgentService, ExecutionResult } from '@agentry/core';
import { AgentryError, mockProvider } from '@agentry/core';
import { createClient } from '@agentry/core/client';
import { createHandler } from '@agentry/core/server';
import { createMemoryTapeStore, createRunCapture, createRunSaver } from '@agentry/core/tapes';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createTestExecutor } from '../../test/agents';
import { SaveRun } from './save-run';
import { TestPanel } from './test-panel';

const live: ExecutionResult = {
  id: 'exe_1',
  agentId: 'summarize',
  mode: 'live',
  requestedMode: 'live',
  tenantId: 'acme',
  input: { text: 'fox' },
  status: 'succeeded',
  output: 'A fox.',
  metrics: {
    durationMs: 900,
    timeToFirstOutputMs: 300,
    inputTokens: 9,
    outputTokens: 3,
    costUsd: 0.0001,
    provider: 'openai',
    model: 'gpt-4.1-mini',
    attempts: 1,
    simulated: false,
  },
  startedAt: '2026-12-03T10:00:00.000Z',
  finishedAt: '2026-12-03T10:00:00.900Z',
};

function service(
  saveRun = vi.fn(async (executionId: string, { as }: { as: 'tape' | 'mock' }) => ({
    executionId,
    agentId: 'summarize',
    saved: as,
    where: as === 'tape' ? 'tapes/acme/summarize.tape.json' : 'tapes/acme/summarize.mock.json',
  })),
) {
  return { service: { saveRun } as unknown as AgentService, saveRun };
}

describe('SaveRun', () => {
  it('saves the live run as a tape or a mock and says where it went', async () => {
    const { service: client, saveRun } = service();
    render(<SaveRun service={client} allowed result={live} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save as tape' }));
    expect(await screen.findByText('Saved as tape: tapes/acme/summarize.tape.json')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save as mock' }));
    expect(await screen.findByText('Saved as mock: tapes/acme/summarize.mock.json')).toBeTruthy();
    expect(saveRun.mock.calls).toEqual([
      ['exe_1', { as: 'tape' }],
      ['exe_1', { as: 'mock' }],
    ]);
  });

  it("shows the server's refusal", async () => {
    const { service: client } = service(
      vi.fn(async () => {
        throw new AgentryError('not_found', 'Saving runs of agent "summarize" is not allowed for this user.');
      }),
    );
    render(<SaveRun service={client} allowed result={live} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save as mock' }));
    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      'Not saved: Saving runs of agent "summarize" is not allowed for this user.',
    );
  });

  it('tells a user the host refuses (forbidden) that they are not allowed, and stops offering to save', async () => {
    const { service: client, saveRun } = service(
      vi.fn(async () => {
        throw new AgentryError('forbidden', 'Saving runs of agent "summarize" is not allowed for this user.');
      }),
    );
    render(<SaveRun service={client} allowed result={live} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save as tape' }));
    expect(await screen.findByText(/you are not allowed to save runs of this agent/)).toHaveProperty(
      'textContent',
      'Not saved: you are not allowed to save runs of this agent. Ask an administrator for access.',
    );
    for (const button of screen.getAllByRole('button')) expect(button).toHaveProperty('disabled', true);
    expect(saveRun).toHaveBeenCalledTimes(1);
  });

  it('shows nothing unless the host allows it, the service can save, and the run is a live success', () => {
    const { service: client } = service();
    const cases = [
      { allowed: false, service: client, result: live },
      { allowed: undefined, service: client, result: live },
      { allowed: true, service: {} as AgentService, result: live },
      { allowed: true, service: client, result: { ...live, mode: 'mock' } as ExecutionResult },
      { allowed: true, service: client, result: { ...live, status: 'cancelled' } as ExecutionResult },
      { allowed: true, service: client, result: undefined },
    ];
    for (const props of cases) {
      const { container, unmount } = render(<SaveRun {...props} />);
      expect(container.innerHTML).toBe('');
      unmount();
    }
  });
});

describe('TestPanel: Save as tape / mock in the response pane', () => {
  /** A TestPanel on a real handler with run saving; `canSave` is the host's permission check. */
  async function renderSavingPanel(canSave: () => boolean) {
    const capture = createRunCapture();
    const store = createMemoryTapeStore();
    const live = { ...mockProvider({ latency: { firstOutputMs: 0, chunkMs: 0 } }), id: 'openai', simulated: false };
    const executor = createTestExecutor({ live: { enabled: true }, providers: { openai: capture.wrap(live) } });
    const handler = createHandler({
      executor,
      resolveTenant: () => ({ tenantId: 'acme', userId: 'admin' }),
      saveRuns: createRunSaver({ store, capture, canSave }),
    });
    const client = createClient({
      baseUrl: 'http://127.0.0.1/',
      fetch: (input, init) => handler(new Request(input, init)),
    });
    render(<TestPanel client={client} agentId="summarize" defaultMode="live" />);
    await act(async () => {});
    fireEvent.click(await screen.findByRole('button', { name: /^Run/ }));
    return store;
  }

  it('shows the buttons under a finished live run for an allowed user, and saves through the server', async () => {
    const store = await renderSavingPanel(() => true);
    fireEvent.click(await screen.findByRole('button', { name: 'Save as mock' }, { timeout: 5000 }));
    expect(await screen.findByText('Saved as mock: memory:acme/summarize (mock)')).toBeTruthy();
    expect(await store.readMock?.({ tenantId: 'acme', agentId: 'summarize' })).toMatchObject({ agentId: 'summarize' });
  });

  it('a user whose permission the host withdrew after the panel loaded is told so (403 forbidden from the server)', async () => {
    let allowed = true;
    const store = await renderSavingPanel(() => allowed);
    const saveAsMock = await screen.findByRole('button', { name: 'Save as mock' }, { timeout: 5000 });
    allowed = false;
    fireEvent.click(saveAsMock);
    expect(
      await screen.findByText(
        'Not saved: you are not allowed to save runs of this agent. Ask an administrator for access.',
      ),
    ).toBeTruthy();
    expect(await store.readMock?.({ tenantId: 'acme', agentId: 'summarize' })).toBeUndefined();
  });
});
