import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/demo');

/** Runs a command to completion; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${output}`));
    });
  });
}

/** Builds the demo (esbuild: server and browser bundles) the way `pnpm demo` does. */
export function buildDemo(): Promise<string> {
  return run(process.execPath, ['build.mjs'], { cwd: DEMO_DIRECTORY });
}

/** A running demo server. */
export interface DemoProcess {
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code (or the signal's name when it did not exit by itself). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the built demo server on a free port (`PORT=0`) with no provider keys and history in
 * memory, unless `env` sets them, and resolves once it prints its URL.
 */
export function startDemo(env: Record<string, string | undefined> = {}): Promise<DemoProcess> {
  // History in memory unless a test asks for a store: several demos may run at once, and an
  // embedded PGlite folder must have one process at a time.
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: '0', AGENTRY_STORE: 'memory', ...env };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AGENTRY_LIVE'] as const) {
    if (!(name in env)) delete environment[name];
  }
  const child: ChildProcess = spawn(process.execPath, ['dist/server.js'], {
    cwd: DEMO_DIRECTORY,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Agentry demo running at (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) {
        resolve({
          url: match[1],
          output: () => output,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`The demo exited (${code}) before printing its URL:\n${output}`)));
  });
}
