import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A, B, readEvents, setup, streamRun, until } from './coordination.test-support';

// Tenant B names executions (A's real ones among arbitrary strings) on every new route: it
// never gets data back, and never stops A's run.

describe("the new routes never answer another tenant's execution", () => {
  it('POST /executions/:id/cancel and GET /executions/:id/events answer 404 with no data', async () => {
    const { call, gated } = setup();
    const running = await readEvents(await streamRun(call, A, 'alpha-secret'), (received) => received.length === 2);
    const runningId = running[0]?.event.executionId as string;
    const ids = fc.oneof(
      fc.constant(runningId),
      fc.string({ minLength: 1, maxLength: 40 }).filter((id) => id !== '.' && id !== '..'),
      fc.stringMatching(/^exe_[0-9a-f]{8,32}$/),
    );
    await fc.assert(
      fc.asyncProperty(ids, fc.constantFrom('cancel', 'events'), fc.option(fc.nat(20)), async (id, route, last) => {
        const path = `/executions/${encodeURIComponent(id)}/${route}`;
        const headers: Record<string, string> = last === null ? {} : { 'last-event-id': String(last) };
        const response = await call(path, B, { method: route === 'cancel' ? 'POST' : 'GET', headers });
        const body = await response.text();
        expect(response.status).toBe(404);
        expect(body).not.toContain('alpha-secret');
        expect(body).not.toContain('one two');
        expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      }),
      { numRuns: 150 },
    );
    // A's run, still running through all of it, was never cancelled.
    gated.open();
    await until(async () => (await call(`/executions/${runningId}`, A)).status === 200);
    const record = await (await call(`/executions/${runningId}`, A)).json();
    expect(record.status).toBe('succeeded');
  });
});
