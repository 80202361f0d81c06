// The demo's tapes: recorded with a key, replayed without one (live mode works offline for the
// recorded inputs); the kill switch still wins; AGENTRY_TAPES is checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExecutor, mockProvider } from '@agentry/core';
import { recordTapes } from '@agentry/core/tapes';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoAgents } from '../examples/demo/src/agents';
import { demoTapeMode, hasTapes } from '../examples/demo/src/server/demo-tapes';
import { resolveLiveConfig } from '../examples/demo/src/server/live-config';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentry-demo-tapes-'));
  folders.push(dir);
  return dir;
};
const tenant = { tenantId: 'acme', userId: 'ada' };
const input = { text: 'Agentry runs AI agents in mock and live mode.', style: 'brief' as const };

/** Records one live run of the summarizer, as `pnpm demo` with a key does (a stand-in answers for the model). */
async function recordOnce(dir: string) {
  const model = { provider: 'openai', model: 'gpt-4.1-mini' } as const;
  const live = { ...mockProvider({ latency: { firstOutputMs: 0, chunkMs: 0 } }), id: 'openai', simulated: false };
  const executor = createExecutor({
    agents: createDemoAgents(model, undefined),
    providers: { openai: recordTapes(live, { dir }) },
    live: { enabled: true },
  });
  const run = await executor.execute({ agentId: 'summarize', input, mode: 'live', tenant });
  expect(run.status).toBe('succeeded');
  return run;
}

describe('the demo and its tapes', () => {
  it('without a key and without tapes, live mode stays off (as before)', async () => {
    const config = await resolveLiveConfig({ AGENTRY_DEMO_TAPES: folder() });
    expect(config.live.enabled).toBe(false);
    expect(config.providers).toEqual({});
  });

  it('without a key, live mode replays the recorded runs; a run nobody recorded fails with the diff', async () => {
    const dir = folder();
    const recorded = await recordOnce(dir);
    expect(hasTapes(dir)).toBe(true);
    const config = await resolveLiveConfig({ AGENTRY_DEMO_TAPES: dir });
    expect(config.live.enabled).toBe(true);
    expect(config.summary).toContain('Live mode: a replay of the recorded answers');
    expect(config.saveRuns).toBeUndefined();
    const executor = createExecutor({
      agents: createDemoAgents(config.model, undefined),
      providers: { mock: mockProvider(), ...config.providers },
      live: config.live,
    });
    const replayed = await executor.execute({ agentId: 'summarize', input, mode: 'live', tenant });
    expect(replayed).toMatchObject({
      status: 'succeeded',
      output: recorded.status === 'succeeded' ? recorded.output : '',
    });
    expect(replayed.metrics.usageSource).toBe('recorded');
    const missed = await executor.execute({
      agentId: 'summarize',
      input: { ...input, text: 'Something else.' },
      mode: 'live',
      tenant,
    });
    expect(missed.status === 'failed' && missed.error.message).toContain('No recording on tape');
    // Another workspace has no recordings: never served Acme's.
    const globex = await executor.execute({
      agentId: 'summarize',
      input,
      mode: 'live',
      tenant: { tenantId: 'globex' },
    });
    expect(globex.status).toBe('failed');
  });

  it('the kill switch wins over tapes, and AGENTRY_TAPES=off leaves live off without a key', async () => {
    const dir = folder();
    await recordOnce(dir);
    expect((await resolveLiveConfig({ AGENTRY_DEMO_TAPES: dir, AGENTRY_LIVE: 'off' })).live.enabled).toBe(false);
    expect((await resolveLiveConfig({ AGENTRY_DEMO_TAPES: dir, AGENTRY_TAPES: 'off' })).live.enabled).toBe(false);
  });

  it('reads AGENTRY_TAPES: record by default with a key, replay without; unknown values refused', () => {
    expect(demoTapeMode(undefined, true)).toBe('record');
    expect(demoTapeMode('', false)).toBe('replay');
    expect(demoTapeMode('AUTO', true)).toBe('auto');
    expect(() => demoTapeMode('playback', true)).toThrow('AGENTRY_TAPES must be one of record, replay, auto, off');
  });
});
