// Runs Agentry instances as separate Node processes for the multi-instance tests: bundles
// instance-server.test-support.ts from source (esbuild, the workspace packages included, so no
// build is needed), starts it with a database and schema, and talks to it over HTTP and SSE.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

/** Bundles the instance server once per test file; answers the file to run. */
export async function bundleInstanceServer(): Promise<string> {
  const directory = path.join(root, 'node_modules/.cache/agentry-multi-instance');
  mkdirSync(directory, { recursive: true });
  const outfile = path.join(directory, `instance-server-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(here, 'instance-server.test-support.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@agentry/source', 'module', 'node'],
    // Resolved from the workspace's node_modules at run time.
    external: ['pg', 'zod', '@electric-sql/pglite'],
    logLevel: 'error',
  });
  return outfile;
}

export interface InstanceSettings {
  databaseUrl: string;
  schema: string;
  leaseTtlMs: number;
  pollIntervalMs?: number;
  concurrency?: number;
}

/** One running instance (a child process). */
export interface Instance {
  name: string;
  origin: string;
  process: ChildProcess;
  /** What it printed to stderr, for failure messages. */
  stderr(): string;
  /** Opens (or closes) the gate of its gated runs. */
  gate(open: boolean): Promise<void>;
  /** SIGKILL: dies mid-run, releasing nothing. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startInstance(name: string, bundle: string, settings: InstanceSettings): Promise<Instance> {
  const child = spawn(process.execPath, [bundle], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      AGENTRY_DATABASE_URL: settings.databaseUrl,
      AGENTRY_SCHEMA: settings.schema,
      AGENTRY_LEASE_TTL_MS: String(settings.leaseTtlMs),
      AGENTRY_POLL_MS: String(settings.pollIntervalMs ?? 2_000),
      AGENTRY_CONCURRENCY: String(settings.concurrency ?? 2),
    },
  });
  let errors = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    errors += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`instance ${name} exited before listening (${code ?? signal}):\n${errors}`)),
    );
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    name,
    origin,
    process: child,
    stderr: () => errors,
    async gate(open) {
      const response = await fetch(`${origin}/control/gate`, { method: 'POST', body: JSON.stringify({ open }) });
      if (response.status !== 204) throw new Error(`gate: ${response.status}`);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/** A request to an instance as a tenant. */
export function call(instance: Instance, tenant: string, route: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${instance.origin}${route}`, {
    ...init,
    headers: { 'x-tenant': tenant, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
}

/** Starts a streamed live run of the gated agent. */
export function streamRun(instance: Instance, tenant: string, signal?: AbortSignal): Promise<Response> {
  return call(instance, tenant, '/agents/words/executions', {
    method: 'POST',
    headers: { accept: 'text/event-stream' },
    body: JSON.stringify({ input: { text: 'go' }, mode: 'live' }),
    ...(signal === undefined ? {} : { signal }),
  });
}

export interface ReceivedEvent {
  id: string | undefined;
  event: { type: string; executionId?: string; delta?: string; result?: Record<string, unknown> };
}

/**
 * Reads the SSE events of a response until `stop` says so (then cancels the body: the client
 * went away) or the stream ends.
 */
export async function readEvents(
  answer: Response | Promise<Response>,
  stop: (received: ReceivedEvent[]) => boolean = () => false,
): Promise<ReceivedEvent[]> {
  const response = await answer;
  if (response.status !== 200) throw new Error(`expected an event stream, got ${response.status}`);
  if (response.body === null) throw new Error(`no body (${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const received: ReceivedEvent[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return received;
      buffer += value.replaceAll('\r\n', '\n');
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('id:')) id = line.slice(3).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length === 0) continue;
        received.push({ id, event: JSON.parse(data.join('\n')) as ReceivedEvent['event'] });
        if (stop(received)) return received;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export const isTerminal = (entry: ReceivedEvent | undefined) =>
  entry?.event.type === 'execution-finish' || entry?.event.type === 'execution-error';

/** Polls `read` (every 100 ms) until `done` holds for its answer; the test's timeout is the deadline. */
export async function eventually<TValue>(
  read: () => Promise<TValue>,
  done: (value: TValue) => boolean,
): Promise<TValue> {
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
