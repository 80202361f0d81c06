import { createClient } from '../../client/create-client';
import { isAgentryError } from '../../errors';
import type { AgentSummary, ExecutionResult } from '../../protocol';
import { UsageError, type VerifyOptions } from './arguments';
import { checkErrorHandling } from './check-error-handling';
import { checkHealth } from './check-health';
import { checkAnonymous, checkIsolation } from './check-isolation';
import { checkLoad, runLoad } from './check-load';
import { checkLogs } from './check-logs';
import {
  checkLatency,
  checkMockRuns,
  LIVE_TARGET_MS,
  MOCK_TARGET_MS,
  measureRun,
  runLive,
  runMockSamples,
  runnableAgents,
} from './check-runs';
import { checkSecrets } from './check-secrets';
import { checkTransport } from './check-transport';
import { type CheckResult, check, worstStatus } from './checklist';
import type { TenantSession, VerifyContext } from './context';
import { type Credential, type CredentialIo, readCredential } from './credentials';
import type { Progress } from './progress';
import { createRecorder, type Recorder } from './recorder';
import { errorBreakdown, type VerifyReport } from './report';
import { createSecretScanner } from './secret-scan';

/** What a verify run needs from the outside world (a test passes its own). */
export interface VerifyIo extends CredentialIo {
  fetch: typeof fetch;
  /** A monotonic clock in milliseconds. @default performance.now */
  now: () => number;
  progress: Progress;
}

/** Verify could not run at all (exit code 2): the URL, the server or a credential is wrong. */
export class VerifyAbort extends Error {
  override name = 'VerifyAbort';
}

/** The two tenants' credentials, read once (the caller also hides them from every output). */
export interface VerifyCredentials {
  a: Credential;
  b: Credential | undefined;
}

/** Reads `--auth` (required) and `--auth-b`. Throws `UsageError` naming the flag and the source, never the value. */
export async function readCredentials(options: VerifyOptions, io: CredentialIo): Promise<VerifyCredentials> {
  if (options.auth === undefined) {
    throw new UsageError(
      'Missing --auth: verify runs agents as a tenant. Pass a credential, e.g. --auth env:STAGING_TOKEN_A (and --auth-b env:STAGING_TOKEN_B for the cross-tenant probes).',
    );
  }
  return {
    a: await readCredential(options.auth, io),
    b: options.authB === undefined ? undefined : await readCredential(options.authB, io),
  };
}

/** Turns a failed first contact into a message that says what is wrong and what to do. */
function abortFor(error: unknown, recorder: Recorder, options: VerifyOptions, credential: Credential, flag: string) {
  const url = options.url.href;
  const last = recorder.exchanges.at(-1);
  if (last?.status !== undefined && last.status >= 300 && last.status < 400) {
    return new VerifyAbort(
      `${url} answered ${last.method} ${last.path} with a redirect (${last.status}${last.location ? ` to ${last.location}` : ''}). verify never follows redirects: pass the final URL of the handler; a redirect to a sign-in page means ${flag} (${credential.label}) was not accepted.`,
    );
  }
  if (!isAgentryError(error)) return new VerifyAbort(`Contacting ${url} failed unexpectedly: ${String(error)}`);
  switch (error.code) {
    case 'not_agentry_endpoint': {
      const got = /\(got [^)]*\)/.exec(error.message)?.[0] ?? '';
      return new VerifyAbort(
        `${url} is not an Agentry endpoint ${got}. --url must be where createHandler is mounted (its basePath), e.g. https://staging.example.com/api/agentry.`,
      );
    }
    case 'timeout':
      return new VerifyAbort(
        `No answer from ${url} within ${options.timeoutMs} ms (--timeout). The server is down or slow, or a firewall drops the connection.`,
      );
    case 'tenant_required':
    case 'not_found':
      return new VerifyAbort(
        `${flag} (${credential.label}) was refused: ${error.status} ${error.code}. The credential is wrong, expired or for another environment; check it, and how it is sent (bearer:, cookie: or header:).`,
      );
    default: {
      const system = (error.cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
      const cause = typeof system?.code === 'string' ? system.code : system?.message;
      if (error.code === 'internal' && error.retryable) {
        return new VerifyAbort(
          `Could not reach ${url}${typeof cause === 'string' ? ` (${cause})` : ''}. Check --url: the host, the port, http or https.`,
        );
      }
      return new VerifyAbort(`${url}: GET /agents failed with ${error.status} ${error.code}: ${error.message}`);
    }
  }
}

async function openSession(
  name: 'A' | 'B',
  credential: Credential,
  options: VerifyOptions,
  recorder: Recorder,
): Promise<TenantSession> {
  const client = createClient({
    baseUrl: options.url,
    headers: credential.headers,
    fetch: recorder.fetch,
    timeoutMs: options.timeoutMs,
    // verify measures what the server does: a retry would hide an error.
    retry: 0,
  });
  let agents: AgentSummary[];
  try {
    agents = await client.listAgents();
  } catch (error) {
    throw abortFor(error, recorder, options, credential, name === 'A' ? '--auth' : '--auth-b');
  }
  return { name, credential, client, agents };
}

/**
 * Runs the deployment checklist against `options.url` and returns the report. Throws
 * {@link VerifyAbort} when it cannot run at all; every other problem is an item of the report.
 */
export async function runVerify(
  options: VerifyOptions,
  io: VerifyIo,
  credentials: VerifyCredentials,
): Promise<VerifyReport> {
  const startedAt = new Date();
  const { a: credentialA, b: credentialB } = credentials;
  const scanner = createSecretScanner([...credentialA.secrets, ...(credentialB?.secrets ?? [])]);
  const recorder = createRecorder({
    baseUrl: options.url,
    fetch: io.fetch,
    now: io.now,
    timeoutMs: options.timeoutMs,
    scanner,
  });
  const { progress } = io;

  progress.update(`contacting ${options.url.href}`);
  const a = await openSession('A', credentialA, options, recorder);
  const b = credentialB === undefined ? undefined : await openSession('B', credentialB, options, recorder);
  const context: VerifyContext = { options, recorder, a, b, progress, now: io.now };
  const checks: CheckResult[] = [checkTransport(options.url)];

  recorder.setPhase('health');
  try {
    checks.push(checkHealth(await a.client.health()));
  } catch (error) {
    checks.push(
      check(
        'health',
        'Health: every provider, live on/off',
        'fail',
        `GET /health failed: ${isAgentryError(error) ? `${error.code}: ${error.message}` : String(error)}`,
      ),
    );
  }

  recorder.setPhase('mock');
  const mock = runnableAgents(a.agents, 'mock');
  const mockRuns = await runMockSamples(context, mock.runnable);
  checks.push(checkMockRuns(mockRuns, mock.skipped));
  checks.push(
    checkLatency('mock-latency', 'Mock latency p50/p95', mockRuns, MOCK_TARGET_MS, [
      'Measured here, per streamed run as tenant A (after one warm-up run): from sending the request to the first output-delta event.',
    ]),
  );
  const mockB = b === undefined ? [] : runnableAgents(b.agents, 'mock').runnable;
  const runnableB = mockB[0];
  const runB = b !== undefined && runnableB !== undefined ? await measureRun(context, b, runnableB, 'mock') : undefined;

  recorder.setPhase('live');
  const live = await runLive(context);
  checks.push(...live.results);

  recorder.setPhase('isolation');
  const recordsA = mockRuns.flatMap((run) => (run.record ? [run.record] : []));
  const isolationInput = { recordsA, recordB: runB?.record as ExecutionResult | undefined, agentB: runnableB };
  checks.push(...(await checkIsolation(context, isolationInput)));
  checks.push(await checkAnonymous(context, isolationInput));

  recorder.setPhase('errors');
  checks.push(await checkErrorHandling(context, mock.runnable[0]));

  recorder.setPhase('load');
  const load = await runLoad(context, [
    { tenant: a, runnable: mock.runnable },
    ...(b === undefined ? [] : [{ tenant: b, runnable: mockB }]),
  ]);
  checks.push(checkLoad(context, load));

  await recorder.settle();
  checks.push(checkSecrets(recorder));

  let logText: string | undefined;
  if (options.logs !== undefined) {
    try {
      logText = await io.readFile(options.logs);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      checks.push(
        check(
          'logs',
          'Server log: tenant_id, user_id, duration_ms; no secrets',
          'fail',
          `--logs ${options.logs} cannot be read (${String(code ?? error)})`,
        ),
      );
    }
  }
  if (options.logs === undefined || logText !== undefined) {
    const ids = [...recordsA, ...(runB?.record ? [runB.record] : [])].map((record) => record.id);
    checks.push(checkLogs(options.logs, logText, scanner, ids));
  }

  const byPhase: VerifyReport['requests']['byPhase'] = {};
  for (const exchange of recorder.exchanges) byPhase[exchange.phase] = (byPhase[exchange.phase] ?? 0) + 1;
  const worst = worstStatus(checks.map((item) => item.status));
  return {
    version: 1,
    url: options.url.href,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    status: worst === 'skip' ? 'pass' : worst,
    checks,
    latency: {
      targetMs: { mock: MOCK_TARGET_MS, live: LIVE_TARGET_MS },
      mockFirstOutputMs: mockRuns.flatMap((run) =>
        run.ok && run.firstOutputMs !== undefined ? [Math.round(run.firstOutputMs)] : [],
      ),
      mockTotalMs: mockRuns.flatMap((run) => (run.ok && run.totalMs !== undefined ? [Math.round(run.totalMs)] : [])),
      liveFirstOutputMs: live.measurements.flatMap((run) =>
        run.ok && run.firstOutputMs !== undefined ? [Math.round(run.firstOutputMs)] : [],
      ),
      loadMs: load.latenciesMs.map((value) => Math.round(value)),
    },
    requests: { total: recorder.exchanges.length, byPhase, notOk: errorBreakdown(recorder.exchanges) },
  };
}
