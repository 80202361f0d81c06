// The HTTP handler with the PostgreSQL store and coordinator: round trips per mock execution
// (the app pool's queries counted, transactions' begin/commit included) and throughput under
// load (autocannon against a server in its own process, PostgreSQL on the same machine).
// Needs the PostgreSQL server of .ci/run (role agentry_test_app, database agentry_test); uses a
// fresh schema, dropped at the end.
// Run: node bench/run.mjs bench/postgres-handler.bench.mjs [--connections 50] [--duration 10] [--tenants 50]
//   [--pool 10] (the server's pg.Pool size) [--runs 1000] (sequential runs counted) [--round-trips-only]
//   [--batch-size 64] [--batches-in-flight 1] (the coordinator's group batching; --batch-size 1: each run alone)
//   [--in-flight 16] (runs in flight in the in-process concurrent part, after the sequential one)
//   AGENTRY_BENCH_CPU_PROF=<dir>: a CPU profile of the server process (node bench/cpu-profile-summary.mjs <dir>)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createExecutor, defineAgent, mockProvider } from '@agentry/core';
import { createHandler, toNodeListener } from '@agentry/core/server';
import { createPostgresCoordinator, createPostgresListener, createPostgresStore, migrate } from '@agentry/postgres';
import autocannon from 'autocannon';
import pg from 'pg';
import * as z from 'zod';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const host = process.env.AGENTRY_BENCH_POSTGRES_HOST ?? '127.0.0.1:5432';
const ownerUrl = `postgres://postgres@${host}/agentry_test`;
const appUrl = `postgres://agentry_test_app:agentry_test_app@${host}/agentry_test`;
// The server's connections carry this name, so its backends' CPU can be told from other sessions'.
const serverApplication = (schema) => `agentry_bench_${schema}`;

if (args[0] === '--serve') await serve(args[1]);
else await main();

/** Wraps a pg pool so every statement it sends (through query or a connected client) is counted. */
function countingPool(pool) {
  const counts = new Map();
  const count = (text) => {
    const kind =
      /^\s*select\s+(?:[\w\s,]*?\bfrom\s+)?[\w.]*?(\w+)\(/i.exec(text)?.[1] ??
      text.trim().split(/\s+/)[0].toLowerCase();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  return {
    counts,
    pool: {
      query(text, values) {
        count(text);
        return pool.query(text, values);
      },
      async connect() {
        const client = await pool.connect();
        return {
          query(text, values) {
            count(text);
            return client.query(text, values);
          },
          release: (error) => client.release(error),
          on: (event, listener) => client.on(event, listener),
          removeListener: (event, listener) => client.removeListener(event, listener),
        };
      },
    },
  };
}

function echoAgent() {
  return defineAgent({
    id: 'echo',
    name: 'Echo',
    input: z.object({ text: z.string().min(1) }),
    prompt: ({ text }) => text,
    mock: ({ text }) => `echo: ${text}`,
  });
}

function createBenchExecutor(pool, schema, listener) {
  const echo = echoAgent();
  const coordinator = createPostgresCoordinator({
    pool,
    schema,
    listen: listener?.listen,
    batchSize: option('batch-size', 64),
    batchesInFlight: option('batches-in-flight', 1),
  });
  // Linked: a run's end (buffered events, record, release) is one statement.
  const store = createPostgresStore({ pool, schema, coordinator });
  const executor = createExecutor({
    agents: [echo],
    providers: { mock: mockProvider() },
    store,
    coordinator,
    limits: { concurrencyPerTenant: 10_000 },
  });
  return { executor, store, coordinator };
}

async function serve(schema) {
  const pool = new pg.Pool({
    connectionString: appUrl,
    max: option('pool', 10),
    application_name: serverApplication(schema),
  });
  pool.on('error', () => undefined);
  // Counted under load too: how many runs share a statement.
  const counting = countingPool(pool);
  const listener = createPostgresListener({ createClient: () => new pg.Client({ connectionString: appUrl }) });
  const { executor, store } = createBenchExecutor(counting.pool, schema, listener);
  await store.ready();
  const handler = createHandler({
    executor,
    basePath: '/api/agentry',
    resolveTenant: (request) => {
      const tenantId = request.headers.get('x-bench-tenant');
      return tenantId ? { tenantId, userId: 'bench' } : undefined;
    },
  });
  const server = createServer(toNodeListener(handler));
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpu: usage.user + usage.system, statements: Object.fromEntries(counting.counts) });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
  process.stdout.write(`${server.address().port}\n`);
}

function startServer(schema) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        // AGENTRY_BENCH_CPU_PROF=<dir>: a CPU profile of the server (bench/cpu-profile-summary.mjs <dir>).
        ...(process.env.AGENTRY_BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AGENTRY_BENCH_CPU_PROF}`]
          : []),
        fileURLToPath(import.meta.url),
        '--serve',
        schema,
        '--pool',
        String(option('pool', 10)),
        '--batch-size',
        String(option('batch-size', 64)),
        '--batches-in-flight',
        String(option('batches-in-flight', 1)),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      },
    );
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => resolve({ child, port: Number(line.trim()) }));
    child.once('error', reject);
  });
}

/**
 * CPU µs used so far by the PostgreSQL backends serving the bench's server (found by their
 * application_name; Linux /proc, 0 elsewhere): PostgreSQL's share of a request, next to the Node
 * server's own. Other sessions' backends on the same server are not counted; the shared WAL
 * writer and checkpointer are not either.
 */
async function postgresCpu(owner, applicationName) {
  const { rows } = await owner.query('select pid from pg_stat_activity where application_name = $1', [applicationName]);
  return processCpu(rows);
}

/**
 * CPU µs used so far by PostgreSQL's WAL writer, checkpointer and background writer (shared by
 * every session of the server, so only meaningful on a quiet machine): the WAL a commit does not
 * flush itself is flushed there.
 */
async function postgresBackgroundCpu(owner) {
  const { rows } = await owner.query(
    `select pid from pg_stat_activity where backend_type in ('walwriter', 'checkpointer', 'background writer')`,
  );
  return processCpu(rows);
}

function processCpu(rows) {
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Not on this machine, or ended meanwhile.
    }
  }
  return ticks * 10_000;
}

/** The server process's CPU µs so far, and the statements its pool sent, by kind. */
function serverCpu(child) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message));
    child.send('cpu');
  });
}

async function roundTrips(owner, schema) {
  const application = `agentry_bench_rt_${schema}`;
  const pool = new pg.Pool({ connectionString: appUrl, max: 4, application_name: application });
  const counting = countingPool(pool);
  // As deployed: with the LISTEN connection (its own client, no traffic per execution).
  const listener = createPostgresListener({ createClient: () => new pg.Client({ connectionString: appUrl }) });
  const { executor, store, coordinator } = createBenchExecutor(counting.pool, schema, listener);
  await store.ready();
  const run = (index) =>
    executor.execute({
      agentId: 'echo',
      input: { text: 'hello' },
      mode: 'mock',
      tenant: { tenantId: `rt_${index % 5}` },
    });
  for (let index = 0; index < 50; index += 1) await run(index);
  counting.counts.clear();
  const runs = option('runs', 1000);
  const postgresBefore = await postgresCpu(owner, application);
  const cpuBefore = process.cpuUsage();
  const sequentialStarted = performance.now();
  for (let index = 0; index < runs; index += 1) await run(index);
  const sequentialMs = (performance.now() - sequentialStarted) / runs;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresMicros = (await postgresCpu(owner, application)) - postgresBefore;
  // Appends are not awaited by the run: let the last ones land before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const total = [...counting.counts.values()].reduce((sum, value) => sum + value, 0);
  const breakdown = [...counting.counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, value]) => `${kind} ${(value / runs).toFixed(2)}`)
    .join(', ');
  console.log(
    `round trips per mock execute(): ${(total / runs).toFixed(2)} (${runs} sequential runs, ${sequentialMs.toFixed(2)} ms each)`,
  );
  console.log(`  by statement: ${breakdown}`);
  // One at a time, so neither side waits on a queue: the cost of an execution itself.
  const nodeMicros = (cpu.user + cpu.system) / runs;
  console.log(
    `  CPU per execution, one at a time: Node ${nodeMicros.toFixed(0)} µs, PostgreSQL ${(postgresMicros / runs).toFixed(0)} µs ` +
      `(≈ ${Math.round(1e6 / (nodeMicros + postgresMicros / runs))} executions per CPU-second; the Node figure includes the bench's own loop)`,
  );
  // Concurrent, in this process (no HTTP): PostgreSQL's CPU per run with the statements shared
  // the way they are under load; steadier than the HTTP figures on a shared machine.
  const inFlight = option('in-flight', 16);
  counting.counts.clear();
  const concurrentBefore = await postgresCpu(owner, application);
  const concurrentCpu = process.cpuUsage();
  const concurrentStarted = performance.now();
  let started = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < runs * 2) {
        started += 1;
        await run(started);
      }
    }),
  );
  const concurrentMs = performance.now() - concurrentStarted;
  const concurrentNode = process.cpuUsage(concurrentCpu);
  const concurrentPostgres = (await postgresCpu(owner, application)) - concurrentBefore;
  const concurrentStatements = [...counting.counts.values()].reduce((sum, value) => sum + value, 0);
  console.log(
    `  ${runs * 2} runs, ${inFlight} in flight, in this process: ${Math.round((runs * 2 * 1000) / concurrentMs)} runs/s, ` +
      `CPU per run: Node ${((concurrentNode.user + concurrentNode.system) / (runs * 2)).toFixed(0)} µs, ` +
      `PostgreSQL ${(concurrentPostgres / (runs * 2)).toFixed(0)} µs; ${(concurrentStatements / (runs * 2)).toFixed(2)} statements per run`,
  );
  await coordinator.close?.();
  await listener.close();
  await pool.end();
  // For scale: the same executions on the in-memory store and coordinator, in this process.
  const memory = createExecutor({
    agents: [echoAgent()],
    providers: { mock: mockProvider() },
    limits: { concurrencyPerTenant: 10_000 },
  });
  const runInMemory = (index) =>
    memory.execute({
      agentId: 'echo',
      input: { text: 'hello' },
      mode: 'mock',
      tenant: { tenantId: `rt_${index % 5}` },
    });
  for (let index = 0; index < 50; index += 1) await runInMemory(index);
  const memoryBefore = process.cpuUsage();
  for (let index = 0; index < runs; index += 1) await runInMemory(index);
  const memoryCpu = process.cpuUsage(memoryBefore);
  console.log(
    `  for scale, the in-memory store and coordinator: Node ${((memoryCpu.user + memoryCpu.system) / runs).toFixed(0)} µs per execution`,
  );
}

async function load(owner, schema, label, request) {
  const connections = option('connections', 50);
  const duration = option('duration', 10);
  const tenants = option('tenants', 50);
  const { child, port } = await startServer(schema);
  try {
    const url = `http://127.0.0.1:${port}/api/agentry/agents/echo/executions`;
    const check = await fetch(url, { ...request, headers: { ...request.headers, 'x-bench-tenant': 'check' } });
    const text = await check.text();
    if (!check.ok || !text.includes(request.expected)) {
      throw new Error(`${label}: expected a 2xx answer, got ${check.status}: ${text.slice(0, 300)}`);
    }
    // One tenant per connection, as many users of one app would be.
    let next = 0;
    const options = {
      url,
      connections,
      method: request.method,
      body: request.body,
      headers: request.headers,
      setupClient: (client) => {
        next += 1;
        client.setHeaders({ ...request.headers, 'x-bench-tenant': `tenant_${next % tenants}` });
      },
    };
    await autocannon({ ...options, duration: 2 });
    const serverBefore = await serverCpu(child);
    const postgresBefore = await postgresCpu(owner, serverApplication(schema));
    const backgroundBefore = await postgresBackgroundCpu(owner);
    const clientBefore = process.cpuUsage();
    const result = await autocannon({ ...options, duration });
    const serverAfter = await serverCpu(child);
    const cpuMicros = serverAfter.cpu - serverBefore.cpu;
    const postgresMicros = (await postgresCpu(owner, serverApplication(schema))) - postgresBefore;
    const backgroundMicros = (await postgresBackgroundCpu(owner)) - backgroundBefore;
    const client = process.cpuUsage(clientBefore);
    const perRequest = (micros) => (micros / result.requests.total).toFixed(0);
    console.log(
      `${label.padEnd(44)} ${String(Math.round(result.requests.average)).padStart(6)} req/s  p50 ${result.latency.p50} ms  ` +
        `p99 ${result.latency.p99} ms  (${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors + result.timeouts} errors)`,
    );
    // On a shared machine the wall figures measure the neighbours too; CPU per request does not
    // (much): executions per CPU-second of the server and PostgreSQL is what 2 idle cores could do.
    const served = cpuMicros + postgresMicros;
    console.log(
      `  CPU per request: Node server ${perRequest(cpuMicros)} µs, PostgreSQL ${perRequest(postgresMicros)} µs ` +
        `(+ ${perRequest(backgroundMicros)} µs in its WAL writer, checkpointer and background writer), ` +
        `load generator ${perRequest(client.user + client.system)} µs; ` +
        `${Math.round((result.requests.total / served) * 1e6)} executions per CPU-second (server + PostgreSQL), ` +
        `load average ${os.loadavg()[0].toFixed(1)}`,
    );
    const sent = Object.entries(serverAfter.statements)
      .map(([kind, total]) => [kind, total - (serverBefore.statements[kind] ?? 0)])
      .filter(([, total]) => total > 0)
      .sort((a, b) => b[1] - a[1]);
    const statements = sent.reduce((sum, [, total]) => sum + total, 0);
    const runsPer = (kinds) => {
      const total = sent.filter(([kind]) => kinds.includes(kind)).reduce((sum, [, value]) => sum + value, 0);
      return total === 0 ? '-' : (result.requests.total / total).toFixed(1);
    };
    console.log(
      `  statements per request under load: ${(statements / result.requests.total).toFixed(2)} ` +
        `(${sent.map(([kind, total]) => `${kind} ${(total / result.requests.total).toFixed(2)}`).join(', ')}); ` +
        `runs per acquire statement ${runsPer(['acquire_lease', 'acquire_leases'])}, ` +
        `per finish statement ${runsPer(['finish_execution', 'finish_executions'])}`,
    );
  } finally {
    child.kill();
  }
}

async function main() {
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  const schema = `bench_handler_${process.pid}`;
  await migrate({ pool: owner, schema, appRole: 'agentry_test_app' });
  const load1 = os.loadavg()[0];
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load1.toFixed(1)}; ` +
      `PostgreSQL on the same machine; schema ${schema}; batch size ${option('batch-size', 64)}, ` +
      `${option('batches-in-flight', 1)} in flight`,
  );
  try {
    await roundTrips(owner, schema);
    if (!args.includes('--round-trips-only')) {
      await load(owner, schema, 'POST /agents/echo/executions (JSON, mock)', {
        expected: '"status":"succeeded"',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { text: 'hello' }, mode: 'mock' }),
      });
    }
    const { rows } = await owner.query(`select count(*)::int as records from ${schema}.executions`);
    console.log(`records saved: ${rows[0].records}`);
  } finally {
    await owner.query(`drop schema if exists ${schema} cascade`);
    await owner.end();
  }
}
