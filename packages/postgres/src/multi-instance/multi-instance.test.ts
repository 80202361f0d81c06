import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createServerBackend,
  probeServer,
  TEST_APP_ROLE,
  TEST_DATABASE,
  type TestBackend,
  urlFor,
} from '../postgres.test-support';
import {
  bundleInstanceServer,
  call,
  eventually,
  type Instance,
  type InstanceSettings,
  isTerminal,
  type ReceivedEvent,
  readEvents,
  startInstance,
  streamRun,
} from './multi-instance.test-support';

// Two Agentry instances — two Node processes, each a server with the PostgreSQL store and
// coordinator — on one database (a fresh schema for this file). Everything a deployment behind a
// load balancer relies on: history, cancel, limits, budgets, a killed instance, a resumed stream,
// restarts. Nothing is timed: each wait polls with the test's timeout as the deadline.

const server = await probeServer();

interface ExecutionRecord {
  id: string;
  status: string;
  output: unknown;
  error?: { code: string; message: string };
}

const text = (events: ReceivedEvent[]) => events.map(({ event }) => event.delta ?? '').join('');
const executionIdOf = (events: ReceivedEvent[]) => events[0]?.event.executionId as string;

async function record(instance: Instance, tenant: string, executionId: string): Promise<ExecutionRecord | undefined> {
  const response = await call(instance, tenant, `/executions/${executionId}`);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET /executions/${executionId}: ${response.status}`);
  return (await response.json()) as ExecutionRecord;
}

async function history(instance: Instance, tenant: string): Promise<ExecutionRecord[]> {
  const response = await call(instance, tenant, '/executions?limit=100');
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: ExecutionRecord[] }).items;
}

/** A run without a stream: the answer comes once it ended and released its slot. */
async function runToEnd(instance: Instance, tenant: string): Promise<{ status: number; body: unknown }> {
  const response = await call(instance, tenant, '/agents/words/executions', {
    method: 'POST',
    body: JSON.stringify({ input: { text: 'go' }, mode: 'live' }),
  });
  return { status: response.status, body: await response.json() };
}

/** Starts a run on `instance` and reads its first events (start, "one ", "two "): it waits at the gate. */
async function startGated(instance: Instance, tenant: string) {
  const controller = new AbortController();
  const response = await streamRun(instance, tenant, controller.signal);
  expect(response.status).toBe(200);
  const before = await readEvents(response, (received) => received.length === 3);
  expect(text(before)).toBe('one two ');
  return { executionId: executionIdOf(before), before };
}

describe.skipIf(!server.available)('two instances on one PostgreSQL database', () => {
  let backend: TestBackend;
  let bundle: string;
  let settings: InstanceSettings;
  let a: Instance;
  let b: Instance;
  const started: Instance[] = [];

  async function start(name: string): Promise<Instance> {
    const instance = await startInstance(name, bundle, settings);
    started.push(instance);
    return instance;
  }

  beforeAll(async () => {
    backend = await createServerBackend();
    const schema = await backend.freshSchema('multi');
    bundle = await bundleInstanceServer();
    // Short leases, so a killed instance's runs expire within seconds; renewals every second.
    settings = { databaseUrl: urlFor(TEST_DATABASE, TEST_APP_ROLE), schema, leaseTtlMs: 3_000, concurrency: 2 };
    [a, b] = await Promise.all([start('A'), start('B')]);
  });

  afterAll(async () => {
    // Only the processes this file started, by their own handle.
    await Promise.all(started.map((instance) => instance.kill()));
    await backend?.close();
  });

  beforeEach(async () => {
    await Promise.all(
      [a, b]
        .filter((instance) => instance.process.exitCode === null && instance.process.signalCode === null)
        .map((i) => i.gate(false)),
    );
  });

  it('a run started on A appears in the history of B', async () => {
    await a.gate(true);
    const events = await readEvents(await streamRun(a, 'history'));
    const executionId = executionIdOf(events);
    expect(isTerminal(events.at(-1))).toBe(true);
    const onB = await record(b, 'history', executionId);
    expect(onB).toMatchObject({ id: executionId, status: 'succeeded', output: 'one two three four' });
    expect((await history(b, 'history')).map((item) => item.id)).toContain(executionId);
    // Another tenant sees nothing of it on either instance.
    expect(await record(b, 'someone_else', executionId)).toBeUndefined();
    expect(await history(b, 'someone_else')).toEqual([]);
  });

  it('a cancel sent to B stops the run on A: cancelled, with its partial output', async () => {
    const { executionId } = await startGated(a, 'cancel');
    const response = await call(b, 'cancel', `/executions/${executionId}/cancel`, { method: 'POST' });
    expect(response.status).toBe(200);
    const cancelled = (await response.json()) as ExecutionRecord;
    expect(cancelled).toMatchObject({ id: executionId, status: 'cancelled', output: 'one two ' });
    expect(cancelled.error?.code).toBe('cancelled');
    expect(await record(a, 'cancel', executionId)).toEqual(cancelled);
    // Idempotent, from either instance; another tenant's cancel is a 404.
    const again = await call(a, 'cancel', `/executions/${executionId}/cancel`, { method: 'POST' });
    expect(await again.json()).toEqual(cancelled);
    expect((await call(b, 'intruder', `/executions/${executionId}/cancel`, { method: 'POST' })).status).toBe(404);
  });

  it('the concurrency limit holds across both instances', async () => {
    // Limit 2 per tenant: one slot taken on A, one on B.
    const first = await startGated(a, 'limits');
    const second = await startGated(b, 'limits');
    for (const instance of [a, b]) {
      const refused = await streamRun(instance, 'limits');
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { code: string }).code).toBe('limit_exceeded');
    }
    // Another tenant is not held back.
    const other = await startGated(b, 'limits_other');
    await Promise.all([a.gate(true), b.gate(true)]);
    for (const [instance, executionId] of [
      [a, first.executionId],
      [b, second.executionId],
    ] as const) {
      await eventually(
        () => record(instance, 'limits', executionId),
        (found) => found?.status === 'succeeded',
      );
    }
    await eventually(
      () => record(a, 'limits_other', other.executionId),
      (found) => found?.status === 'succeeded',
    );
    // The slots are free again once both runs released them (just after their records).
    const after = await eventually(
      () => runToEnd(b, 'limits'),
      (response) => response.status === 200,
    );
    expect(after.body).toMatchObject({ status: 'succeeded' });
  });

  it('a budget spent on A refuses the next run on B, with when it resets', async () => {
    await a.gate(true);
    // Without a stream, the answer comes after the run settled its spend (9 tokens of 9).
    const spent = await runToEnd(a, 'budget_team');
    expect(spent.body).toMatchObject({ status: 'succeeded' });
    const refused = await runToEnd(b, 'budget_team');
    expect(refused.status).toBe(429);
    const problem = refused.body as { code: string; resetsAt?: string };
    expect(problem.code).toBe('budget_exceeded');
    expect(Date.parse(problem.resetsAt as string)).toBeGreaterThan(Date.now());
    expect((await runToEnd(a, 'budget_team')).status).toBe(429);
    // Per tenant: another one still runs.
    await b.gate(true);
    expect((await runToEnd(b, 'budget_other')).body).toMatchObject({ status: 'succeeded' });
  });

  it('a stream cut on A resumes on B with Last-Event-ID: every event exactly once', async () => {
    const { executionId, before } = await startGated(a, 'resume');
    expect(before.map((entry) => entry.id)).toEqual(['1', '2', '3']);
    // The connection to A is gone (readEvents cancelled the body); the run goes on.
    // B answers once it has an event to send: the gate opens while the request is out.
    const resuming = call(b, 'resume', `/executions/${executionId}/events`, { headers: { 'last-event-id': '3' } });
    await a.gate(true);
    const resumed = await resuming;
    expect(resumed.status).toBe(200);
    const after = await readEvents(resumed);
    const all = [...before, ...after];
    expect(all.map((entry) => entry.id)).toEqual(all.map((_, index) => String(index + 1)));
    expect(text(all)).toBe('one two three four');
    expect(isTerminal(all.at(-1))).toBe(true);
    expect(all.at(-1)?.event.result?.output).toBe('one two three four');
    // Foreign tenants cannot read it from B.
    expect((await call(b, 'intruder', `/executions/${executionId}/events`)).status).toBe(404);
  });

  it('A killed mid-run leaves no run "running": B records it interrupted once its lease expires', async () => {
    const { executionId } = await startGated(a, 'crash');
    // The log is appended without holding the run up: kill A once B can read its three events.
    await eventually(
      () => readEvents(call(b, 'crash', `/executions/${executionId}/events`), (received) => received.length === 3),
      (received) => received.length === 3,
    );
    await a.kill();
    // B answers 404 until the lease (3 s) expires and a read sweeps it; then the record is there.
    const interrupted = await eventually(
      () => record(b, 'crash', executionId),
      (found) => found !== undefined,
    );
    expect(interrupted).toMatchObject({ id: executionId, status: 'failed', output: 'one two ' });
    expect(interrupted?.error?.code).toBe('interrupted');
    // Its event log ends, so a reader on B is not left waiting.
    const events = await readEvents(await call(b, 'crash', `/executions/${executionId}/events`));
    expect(events.at(-1)?.event.type).toBe('execution-error');
    // And its slot is free: the tenant can run twice at once again.
    await b.gate(true);
    for (let run = 0; run < 2; run += 1) {
      expect((await readEvents(await streamRun(b, 'crash'))).at(-1)?.event.type).toBe('execution-finish');
    }
    a = await start('A (restarted)');
  });

  it('history survives restarting both instances', async () => {
    const before = {
      history: (await history(a, 'history')).map((item) => item.id),
      cancel: await history(b, 'cancel'),
      crash: await history(a, 'crash'),
    };
    expect(before.history.length).toBeGreaterThan(0);
    await Promise.all([a.stop(), b.stop()]);
    [a, b] = await Promise.all([start('A (third)'), start('B (second)')]);
    expect((await history(b, 'history')).map((item) => item.id)).toEqual(before.history);
    expect(await history(a, 'cancel')).toEqual(before.cancel);
    expect(await history(b, 'crash')).toEqual(before.crash);
  });
});
