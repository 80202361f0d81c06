// Throughput of the HTTP handler in mock mode: createHandler behind toNodeListener on
// loopback, loaded with autocannon at a fixed concurrency. The server runs in a child
// process so the load generator does not share its event loop.
// Run: node bench/run.mjs bench/server.bench.mjs [--connections 50] [--duration 10]
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createExecutor, defineAgent, mockProvider } from '@agentry/core';
import { createHandler, toNodeListener } from '@agentry/core/server';
import autocannon from 'autocannon';
import * as z from 'zod';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};

if (args[0] === '--serve') await serve(args[1]);
else await main();

function listen(listener) {
  return new Promise((resolve) => {
    const server = createServer(listener);
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function createBenchHandler() {
  const echo = defineAgent({
    id: 'echo',
    name: 'Echo',
    input: z.object({ text: z.string().min(1) }),
    prompt: ({ text }) => text,
    mock: ({ text }) => `echo: ${text}`,
  });
  const executor = createExecutor({
    agents: [echo],
    providers: { mock: mockProvider() },
    // 50 connections on one tenant would otherwise meet the per-tenant concurrency limit (8).
    limits: { concurrencyPerTenant: 10_000 },
  });
  const handler = createHandler({
    executor,
    basePath: '/api/agentry',
    resolveTenant: (request) => {
      const tenantId = request.headers.get('x-bench-tenant');
      return tenantId ? { tenantId, userId: 'bench' } : undefined;
    },
  });
  // Kept for the in-process rows: the executor alone, to separate its cost from the handler's.
  handler.executor = executor;
  return handler;
}

async function serve(kind) {
  let port;
  if (kind === 'bare') {
    // The ceiling: node:http answering a fixed JSON body, no Request/Response, no executor.
    const body = JSON.stringify({ status: 'succeeded', output: 'echo: hello' });
    port = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
  } else {
    port = await listen(toNodeListener(createBenchHandler()));
  }
  // The parent asks for CPU time around the measured run: µs of server CPU per request is
  // the figure that survives a noisy, shared machine.
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpu: usage.user + usage.system });
    }
  });
  // Exit cleanly on a signal so `node --cpu-prof` can write its profile.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(0));
  process.stdout.write(`${port}\n`);
}

function startServer(kind) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', kind], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => resolve({ child, port: Number(line.trim()) }));
    child.once('error', reject);
  });
}

function serverCpu(child) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message.cpu));
    child.send('cpu');
  });
}

async function load(label, kind, { path = '/', expected, ...request }) {
  const connections = option('connections', 50);
  const duration = option('duration', 10);
  const { child, port } = await startServer(kind);
  try {
    // A load test of wrong answers measures nothing: check one answer's body first.
    const check = await fetch(`http://127.0.0.1:${port}${path}`, request);
    const text = await check.text();
    if (!check.ok || !text.includes(expected)) {
      throw new Error(
        `${label}: expected a 2xx answer containing ${JSON.stringify(expected)}, got ${check.status}: ${text.slice(0, 200)}`,
      );
    }
    // Warm up the JIT and the store before measuring.
    await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: 2, ...request });
    const cpuBefore = await serverCpu(child);
    const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration, ...request });
    const cpuMicros = (await serverCpu(child)) - cpuBefore;
    const row = {
      label,
      requestsPerSecond: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      cpuPerRequest: cpuMicros / result.requests.total,
    };
    console.log(
      `${label.padEnd(46)} ${String(row.requestsPerSecond).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ` +
        `server CPU ${row.cpuPerRequest.toFixed(0)} µs/req (≈ ${Math.round(1e6 / row.cpuPerRequest)} req/s per core)  ` +
        `(${row.total} requests, ${row.non2xx} non-2xx, ${row.errors} errors)`,
    );
    return row;
  } finally {
    child.kill();
  }
}

/** The handler alone, called in this process with no HTTP: what the Node adapter and sockets add is the rest. */
async function inProcess(label, init, iterations = 20_000) {
  const handler = createBenchHandler();
  const run =
    init === 'executor'
      ? () =>
          handler.executor.execute({
            agentId: 'echo',
            input: { text: 'hello' },
            mode: 'mock',
            tenant: { tenantId: 'bench' },
          })
      : async () => (await handler(new Request(`http://127.0.0.1${init.path}`, init))).text();
  for (let index = 0; index < 2_000; index += 1) await run();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let index = 0; index < iterations; index += 1) await run();
  const wall = ((performance.now() - start) * 1000) / iterations;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `${label.padEnd(46)} ${wall.toFixed(1).padStart(6)} µs/op wall, ${((cpu.user + cpu.system) / iterations).toFixed(1)} µs/op CPU (sequential, ${iterations} calls)`,
  );
}

async function main() {
  const connections = option('connections', 50);
  const duration = option('duration', 10);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}; ` +
      `${connections} connections × ${duration} s, server in its own process`,
  );
  await inProcess('in-process executor.execute() alone (mock)', 'executor');
  await inProcess('in-process handler: POST execution (JSON, mock)', {
    method: 'POST',
    path: '/api/agentry/agents/echo/executions',
    headers: { 'content-type': 'application/json', 'x-bench-tenant': 'bench' },
    body: JSON.stringify({ input: { text: 'hello' }, mode: 'mock' }),
  });
  await inProcess('in-process handler: GET /agents', {
    method: 'GET',
    path: '/api/agentry/agents',
    headers: { 'x-bench-tenant': 'bench' },
  });
  if (args.includes('--in-process-only')) return;
  await load('bare node:http, fixed JSON (ceiling)', 'bare', {
    expected: '"succeeded"',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { text: 'hello' }, mode: 'mock' }),
  });
  await load('POST /agents/echo/executions (JSON, mock)', 'handler', {
    expected: '"status":"succeeded"',
    method: 'POST',
    path: '/api/agentry/agents/echo/executions',
    headers: { 'content-type': 'application/json', 'x-bench-tenant': 'bench' },
    body: JSON.stringify({ input: { text: 'hello' }, mode: 'mock' }),
  });
  await load('POST /agents/echo/executions (SSE, mock)', 'handler', {
    expected: 'event: execution-finish',
    method: 'POST',
    path: '/api/agentry/agents/echo/executions',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-bench-tenant': 'bench' },
    body: JSON.stringify({ input: { text: 'hello' }, mode: 'mock' }),
  });
  await load('GET /agents', 'handler', {
    expected: '"inputSchema"',
    method: 'GET',
    path: '/api/agentry/agents',
    headers: { 'x-bench-tenant': 'bench' },
  });
}
