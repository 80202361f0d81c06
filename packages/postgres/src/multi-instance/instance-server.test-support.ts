// One Agentry instance for the multi-instance tests, run as its own process (bundled by
// multi-instance.test-support.ts): a Node server on 127.0.0.1 (port chosen by the system) with the
// PostgreSQL store and coordinator on the database and schema it is given. It prints
// `listening <port>` once it serves.
//
// The `words` agent streams "one ", "two ", then waits at a gate until the test opens it
// (POST /control/gate {"open": true}), then "three four"; it uses 9 tokens. The tenant is the
// `x-tenant` header (loopback tests only). Tenants whose id starts with `budget` have a daily
// budget of 9 live tokens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExecutor, defineAgent, type ProviderAdapter, type ProviderEvent } from '@agentry/core';
import { createHandler, toNodeListener } from '@agentry/core/server';
import pg from 'pg';
import * as z from 'zod';
import { createPostgresCoordinator } from '../coordinator/postgres-coordinator';
import { createPostgresListener } from '../coordinator/postgres-listener';
import type { PostgresPool } from '../pool';
import { createPostgresStore } from '../store/postgres-store';

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`instance-server: ${name} is required.`);
  return value;
}

const databaseUrl = setting('AGENTRY_DATABASE_URL');
const schema = setting('AGENTRY_SCHEMA');
const leaseTtlMs = Number(setting('AGENTRY_LEASE_TTL_MS'));
const pollIntervalMs = Number(process.env.AGENTRY_POLL_MS ?? 2_000);
const concurrency = Number(process.env.AGENTRY_CONCURRENCY ?? 2);

// The gate: open for every run while `open`; closing it makes later runs wait again.
let open = false;
let waiting: (() => void)[] = [];
function gate(signal: AbortSignal): Promise<void> {
  if (open) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.push(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

const gated: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'gated',
  async execute(_request, context) {
    await gate(context.signal);
    return { text: 'one two three four', usage: { inputTokens: 5, outputTokens: 4 }, finishReason: 'stop' };
  },
  async *stream(_request, context): AsyncGenerator<ProviderEvent> {
    yield { type: 'text-delta', delta: 'one ' };
    yield { type: 'text-delta', delta: 'two ' };
    await gate(context.signal);
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

const pool = new pg.Pool({ connectionString: databaseUrl, max: 8, connectionTimeoutMillis: 5_000 });
// A connection the server drops must not crash the process; the next query reconnects.
pool.on('error', () => undefined);
const listener = createPostgresListener({
  createClient: () => new pg.Client({ connectionString: databaseUrl }),
  reconnectDelayMs: 100,
  maxReconnectDelayMs: 1_000,
});
const coordinator = createPostgresCoordinator({
  pool: pool as unknown as PostgresPool,
  schema,
  leaseTtlMs,
  pollIntervalMs,
  listen: listener.listen,
});
// Linked, as deployed: a run's events wait on its instance until its end or the flush timer.
const store = createPostgresStore({ pool: pool as unknown as PostgresPool, schema, coordinator });
await store.ready();

const executor = createExecutor({
  agents: [words],
  providers: { gated },
  store,
  coordinator,
  limits: {
    maxRetries: 0,
    concurrencyPerTenant: concurrency,
    timeoutMs: { mock: 120_000, live: 120_000 },
    budgets: (tenant) => (tenant.tenantId.startsWith('budget') ? [{ window: 'day', maxTokens: 9 }] : []),
  },
});
const handler = createHandler({
  executor,
  resolveTenant: (request) => {
    const tenantId = request.headers.get('x-tenant');
    return tenantId === null || tenantId === '' ? undefined : { tenantId, userId: 'tester' };
  },
  streamDisconnect: 'continue',
});
const listenerOfHandler = toNodeListener(handler);

const server = createServer((request, response) => {
  if (request.url === '/control/gate' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      open = (JSON.parse(body) as { open: boolean }).open === true;
      if (open) {
        const released = waiting;
        waiting = [];
        for (const release of released) release();
      }
      response.writeHead(204).end();
    });
    return;
  }
  listenerOfHandler(request, response);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});

async function shutdown(): Promise<void> {
  server.closeAllConnections();
  server.close();
  await coordinator.close?.();
  await listener.close();
  await pool.end();
  process.exit(0);
}
process.on('SIGTERM', () => {
  shutdown().catch(() => process.exit(1));
});
