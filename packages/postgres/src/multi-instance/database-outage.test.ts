import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { createExecutor, defineAgent, type Logger, type ProviderAdapter, type ProviderEvent } from '@agentry/core';
import { createHandler } from '@agentry/core/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createPostgresCoordinator } from '../coordinator/postgres-coordinator';
import { createPostgresListener } from '../coordinator/postgres-listener';
import type { PostgresPool } from '../pool';
import {
  createServerBackend,
  probeServer,
  SERVER_ADMIN_URL,
  TEST_APP_ROLE,
  TEST_DATABASE,
  type TestBackend,
  urlFor,
} from '../postgres.test-support';
import { createPostgresStore } from '../store/postgres-store';
import { eventually, type ReceivedEvent, readEvents } from './multi-instance.test-support';

// A database that goes away mid-run and comes back. The app reaches PostgreSQL through a TCP
// proxy the test cuts (every open connection dropped, new ones refused) and restores, so the
// real server keeps running for the other test files.

const server = await probeServer();

/** A TCP proxy to the test server that can be cut and restored. */
async function startProxy(): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  const target = new URL(SERVER_ADMIN_URL);
  const sockets = new Set<Socket>();
  let down = false;
  const proxy: Server = createServer((incoming) => {
    if (down) {
      incoming.destroy();
      return;
    }
    const outgoing = tcpConnect(Number(target.port || 5432), target.hostname);
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    incoming.pipe(outgoing).pipe(incoming);
    incoming.on('close', () => outgoing.destroy());
    outgoing.on('close', () => incoming.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('proxy: no port');
  return {
    port: address.port,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}

// The run streams "one ", "two ", then waits until the test opens the gate.
let openGate: () => void = () => undefined;
let gate = Promise.resolve();
function closeGate() {
  gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
}
const gated: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'gated',
  async execute() {
    await gate;
    return { text: 'one two three four', usage: { inputTokens: 5, outputTokens: 4 }, finishReason: 'stop' };
  },
  async *stream(): AsyncGenerator<ProviderEvent> {
    yield { type: 'text-delta', delta: 'one ' };
    yield { type: 'text-delta', delta: 'two ' };
    await gate;
    yield { type: 'text-delta', delta: 'three ' };
    yield { type: 'text-delta', delta: 'four' };
    yield { type: 'usage', usage: { inputTokens: 5, outputTokens: 4 } };
    yield { type: 'finish', finishReason: 'stop' };
  },
};
const words = defineAgent({
  id: 'words',
  name: 'Words',
  input: z.object({ text: z.string() }),
  model: { provider: 'gated', model: 'gated-1' },
  prompt: ({ text }) => text,
  mock: ({ text }) => `mock ${text}`,
});

describe.skipIf(!server.available)('a database that goes away mid-run', () => {
  let backend: TestBackend;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let pool: pg.Pool;
  let listener: ReturnType<typeof createPostgresListener>;
  let coordinator: ReturnType<typeof createPostgresCoordinator>;
  let handler: (request: Request) => Promise<Response>;
  const logged: { event: string; fields: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    backend = await createServerBackend();
    const schema = await backend.freshSchema('outage');
    proxy = await startProxy();
    const url = new URL(urlFor(TEST_DATABASE, TEST_APP_ROLE));
    url.port = String(proxy.port);
    pool = new pg.Pool({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    listener = createPostgresListener({
      createClient: () => new pg.Client({ connectionString: url.toString() }),
      reconnectDelayMs: 50,
      maxReconnectDelayMs: 500,
    });
    coordinator = createPostgresCoordinator({
      pool: pool as unknown as PostgresPool,
      schema,
      leaseTtlMs: 2_000,
      listen: listener.listen,
    });
    const store = createPostgresStore({ pool: pool as unknown as PostgresPool, schema, coordinator });
    const record = (event: string, fields: Record<string, unknown> = {}) => logged.push({ event, fields });
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: record, error: record };
    const executor = createExecutor({
      agents: [words],
      providers: { gated },
      store,
      coordinator,
      logger,
      limits: { maxRetries: 0, timeoutMs: { mock: 60_000, live: 60_000 } },
    });
    handler = createHandler({
      executor,
      resolveTenant: (request) => ({ tenantId: request.headers.get('x-tenant') ?? 'outage' }),
      streamDisconnect: 'continue',
    });
  });

  afterAll(async () => {
    proxy?.restore();
    await coordinator?.close?.();
    await listener?.close();
    await pool?.end();
    await proxy?.close();
    await backend?.close();
  });

  const call = (path: string, init: RequestInit = {}) =>
    handler(
      new Request(`http://app.test${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      }),
    );
  const start = (accept = 'text/event-stream') =>
    call('/agents/words/executions', {
      method: 'POST',
      headers: { accept },
      body: JSON.stringify({ input: { text: 'go' }, mode: 'live' }),
    });

  it('ends the run, loses nothing committed, answers clear errors while down, and recovers', async () => {
    // Committed before the outage.
    closeGate();
    openGate();
    const committed = (await (await start('application/json')).json()) as { id: string; status: string };
    expect(committed.status).toBe('succeeded');

    // A run in flight when the database goes away.
    closeGate();
    const before = await readEvents(start(), (received) => received.length === 3);
    const executionId = before[0]?.event.executionId as string;
    await eventually(
      () => readEvents(call(`/executions/${executionId}/events`), (received) => received.length === 3),
      (received) => received.length === 3,
    );
    proxy.cut();

    // While it is away: reads and new runs fail fast with a retryable problem naming the store,
    // and no credential in it.
    const read = await call(`/executions/${committed.id}`);
    expect(read.status).toBeGreaterThanOrEqual(500);
    const problem = (await read.json()) as { code: string; detail?: string; retryable?: boolean };
    expect(problem.code).toBe('internal');
    expect(JSON.stringify(problem)).not.toContain(TEST_APP_ROLE);
    const refused = await start('application/json');
    expect(refused.status).toBeGreaterThanOrEqual(500);

    // The run in flight ends (it does not hang); its record could not be saved, which is logged.
    const resumed = call(`/executions/${executionId}/events`, { headers: { 'last-event-id': '3' } });
    openGate();
    const answer = await resumed;
    expect(answer.status).toBeGreaterThanOrEqual(500); // its log is unreachable too
    await eventually(
      async () => logged.map((entry) => entry.event),
      (events) => events.includes('agentry.store.save_failed'),
    );
    const saveFailure = logged.find((entry) => entry.event === 'agentry.store.save_failed');
    expect(saveFailure?.fields.execution_id).toBe(executionId);
    expect(String(saveFailure?.fields.error_message)).toMatch(/PostgreSQL store failed to save/);

    // The database comes back: the server serves again without a restart.
    proxy.restore();
    const again = await eventually(
      () => call(`/executions/${committed.id}`),
      (response) => response.status === 200,
    );
    expect(((await again.json()) as { id: string; status: string }).status).toBe('succeeded');
    // The run whose end was not saved is not left "running": once its lease expires, a read
    // records it failed with code `interrupted`, keeping the output its log had.
    const interrupted = await eventually(
      async () => {
        const response = await call(`/executions/${executionId}`);
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      (found) => found !== undefined,
    );
    expect(interrupted).toMatchObject({ status: 'failed', output: 'one two ', error: { code: 'interrupted' } });
    // New runs work again, and the NOTIFY path is back.
    await listener.ready();
    const fresh = (await (await start('application/json')).json()) as { status: string };
    expect(fresh.status).toBe('succeeded');
    const history = (await (await call('/executions?limit=100')).json()) as { items: ReceivedEvent['event'][] };
    expect(history.items.map((item) => (item as { id?: string }).id)).toEqual(
      expect.arrayContaining([committed.id, executionId]),
    );
  });
});
