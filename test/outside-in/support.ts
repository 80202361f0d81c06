import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** The lowest Node major the packages claim (`engines.node: ">=20"`): the outside-in test runs there. */
export const LOWEST_NODE_MAJOR = 20;

/** A Node binary of the lowest claimed major, and the npm that comes with it. */
export interface LowestNode {
  node: string;
  npmCli: string;
  version: string;
}

function versionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Finds Node 20 outside pnpm's PATH (pnpm scripts run on the Node 24 devDependency):
 * `$AGENTRY_LOWEST_NODE`, then the system's, then any `node` on PATH that is not pnpm's.
 */
export function findLowestNode(): LowestNode | undefined {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => entry !== '' && !entry.includes('node_modules'))
    .map((entry) => path.join(entry, 'node'));
  const candidates = [process.env.AGENTRY_LOWEST_NODE, '/usr/bin/node', '/usr/local/bin/node', ...onPath];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const version = versionOf(candidate);
    if (!version?.startsWith(`v${LOWEST_NODE_MAJOR}.`)) continue;
    const prefix = path.dirname(path.dirname(realpathSync(candidate)));
    const npmCli = [
      path.join(prefix, 'lib/node_modules/npm/bin/npm-cli.js'),
      path.join(prefix, 'node_modules/npm/bin/npm-cli.js'),
    ].find((file) => existsSync(file));
    if (npmCli) return { node: candidate, npmCli, version };
  }
  return undefined;
}

/** Whether the npm registry answers, within a few seconds. */
export async function registryReachable(registry = 'https://registry.npmjs.org/'): Promise<boolean> {
  try {
    const response = await fetch(new URL('-/ping', registry), { signal: AbortSignal.timeout(8000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** An environment where `node` is the lowest Node (scripts with `#!/usr/bin/env node` too), not pnpm's. */
export function lowestNodeEnvironment(lowest: LowestNode, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const entries = (process.env.PATH ?? '').split(path.delimiter).filter((entry) => !entry.includes('node_modules'));
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [path.dirname(lowest.node), ...entries].join(path.delimiter),
    ...extra,
  };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AGENTRY_LIVE', 'NODE_OPTIONS', 'NODE_ENV']) {
    if (!(name in extra)) delete environment[name];
  }
  // pnpm's own settings (npm_config_*) would leak into npm.
  for (const name of Object.keys(environment)) {
    if (name.startsWith('npm_') || name.startsWith('PNPM_') || name === 'VITEST' || name.startsWith('VITEST_')) {
      delete environment[name];
    }
  }
  return environment;
}

/** Runs a command to completion and resolves with its output; rejects with the output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code ?? signal}:\n${output}`));
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A long-running child (a server), stopped by its own process group. */
export interface Service {
  output(): string;
  stop(): Promise<void>;
}

// Colour and style escape sequences (ESC [ … m), stripped whatever the child's colour settings.
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Starts `command` and resolves once its output matches `ready`; rejects if it exits first or times out. */
export function startService(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<Service> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    // CI=true turns colours on in many CLIs (picocolors), and escape codes would split what `ready` matches.
    env: { ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = {
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void service.stop();
      reject(new Error(`${path.basename(command)} ${args.join(' ')} was not ready in time:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString().replace(ANSI_ESCAPE, '');
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve(service);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(command)} ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Prints a banner no one can miss, for a skipped run. */
export function loudWarning(message: string): void {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\n!! ${message.split('\n').join('\n!! ')}\n${bar}\n`);
}
