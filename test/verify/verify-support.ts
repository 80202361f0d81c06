// Shared by the `agentry verify` tests: run the CLI in-process with captured I/O, and start
// loopback servers (the demo, or a handler wrapped to break on purpose) that stop afterwards.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../../packages/core/src/cli/main';
import type { CheckResult } from '../../packages/core/src/cli/verify/checklist';
import type { VerifyReport } from '../../packages/core/src/cli/verify/report';

/** What one CLI run printed and answered. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The `--json` report, when `--json` was passed and verify ran. */
  report?: VerifyReport;
}

/** Runs `agentry <argv>` in-process with `env` as its environment. */
export async function runCli(
  argv: string[],
  env: Record<string, string> = {},
  options: { tty?: boolean } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (text) => {
        stdout += text;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
    },
    env,
    fetch: globalThis.fetch,
    now: () => performance.now(),
    readFile: (file) => readFile(file, 'utf8'),
    writeFile: (file, text) => writeFile(file, text, 'utf8'),
  });
  const run: CliRun = { code, stdout, stderr };
  if (argv.includes('--json') && stdout.trim().startsWith('{')) run.report = JSON.parse(stdout) as VerifyReport;
  return run;
}

/** A loopback server that answers with `listener`. */
export interface Loopback {
  url: string;
  close(): Promise<void>;
}

export async function listen(serverOrListener: Server | RequestListener): Promise<Loopback> {
  const server = typeof serverOrListener === 'function' ? createServer(serverOrListener) : serverOrListener;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh temporary directory. */
export function temporaryDirectory(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'agentry-verify-'));
}

/** The item of a report with this id (fails the test when missing). */
export function item(report: VerifyReport | undefined, id: string): CheckResult {
  const found = report?.checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check "${id}" in the report: ${JSON.stringify(report?.checks.map((c) => c.id))}`);
  return found;
}
