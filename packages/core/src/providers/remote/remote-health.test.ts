import { describe, expect, it } from 'vitest';
import { remoteHealth } from './remote-health';

// The remote's health as this provider's, from scripted answers.

function optionsAnswering(answer: () => Promise<Response>, remoteMode: 'live' | 'mock' = 'live') {
  return {
    url: 'https://agents.test/api/health',
    provider: 'remote',
    remoteMode,
    fetch: (async () => answer()) as typeof fetch,
    readJson: async (response: Response) => (await response.json()) as unknown,
  };
}
const report = (live: { enabled: boolean; reason?: string }, status = 'ok') =>
  new Response(JSON.stringify({ status, live, providers: {}, checkedAt: '2026-12-03T10:00:00.000Z' }), {
    headers: { 'content-type': 'application/json' },
  });
const signal = new AbortController().signal;

describe('remoteHealth', () => {
  it("is the remote's status, timed", async () => {
    const health = await remoteHealth(
      optionsAnswering(async () => report({ enabled: true })),
      signal,
    );
    expect(health).toMatchObject({ status: 'ok', configured: true });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(
      (
        await remoteHealth(
          optionsAnswering(async () => report({ enabled: true }, 'degraded')),
          signal,
        )
      ).message,
    ).toBe('The remote reports "degraded".');
  });

  it("is degraded when the remote's live mode is off and this side asks it for live runs", async () => {
    const off = () => Promise.resolve(report({ enabled: false, reason: 'maintenance' }));
    expect(await remoteHealth(optionsAnswering(off), signal)).toMatchObject({
      status: 'degraded',
      message: "The remote's live mode is off: maintenance",
    });
    expect(await remoteHealth(optionsAnswering(off, 'mock'), signal)).toMatchObject({ status: 'ok' });
  });

  it('is down, saying why, without a report or without an answer', async () => {
    const html = async () => new Response('<!doctype html>', { status: 404 });
    expect(await remoteHealth(optionsAnswering(html), signal)).toMatchObject({
      status: 'down',
      message: 'The remote answered 404 without a health report.',
    });
    const unreachable = async (): Promise<Response> => {
      throw new TypeError('fetch failed');
    };
    const down = await remoteHealth(optionsAnswering(unreachable), signal);
    expect(down.status).toBe('down');
    expect(down.message).toContain('https://agents.test/api/health');
  });
});
