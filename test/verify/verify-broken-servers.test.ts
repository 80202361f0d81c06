// `agentry verify` against servers broken on purpose, each built with createHandler plus a
// wrapper: it must answer ❌ with the reason (exit code 1), and refuse to run (exit code 2)
// against a wrong URL, a server that is not Agentry, a refused credential or a silent server.
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { AgentryError } from '../../packages/core/src/errors';
import { createExecutor } from '../../packages/core/src/executor';
import { jsonLogger } from '../../packages/core/src/logging';
import type { ProviderAdapter, ProviderEvent } from '../../packages/core/src/providers';
import { mockProvider } from '../../packages/core/src/providers/mock';
import { createHandler, type HandlerExecutor, toNodeListener } from '../../packages/core/src/server';
import {
  acmeAgent,
  echoAgent,
  resolveTenantFromSession,
  sessionCookie,
} from '../../packages/core/src/server/loopback.test-support';
import type { TenantContext } from '../../packages/core/src/tenant';
import { item, type Loopback, listen, runCli, temporaryDirectory } from './verify-support';

const TENANTS: TenantContext[] = [
  { tenantId: 'acme', userId: 'user_ada' },
  { tenantId: 'globex', userId: 'user_hank' },
];
const env = { COOKIE_A: sessionCookie('acme', 'user_ada'), COOKIE_B: sessionCookie('globex', 'user_hank') };
const LEAKED_KEY = 'sk-proj-verifyLeakAbCdEf0123456789';

/** A live provider that streams a few words, or fails every call as a rejected API key would. */
function liveProvider(broken: boolean): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'scripted',
    async execute() {
      if (broken) throw new AgentryError('provider_auth_failed', 'The provider rejected the API key (401).');
      return { text: 'live answer', usage: { inputTokens: 3, outputTokens: 2 }, finishReason: 'stop' };
    },
    async *stream(): AsyncGenerator<ProviderEvent> {
      if (broken) throw new AgentryError('provider_auth_failed', 'The provider rejected the API key (401).');
      for (const word of ['live ', 'answer ', 'streams ', 'word ', 'by ', 'word'])
        yield { type: 'text-delta', delta: word };
      yield { type: 'usage', usage: { inputTokens: 3, outputTokens: 6 } };
      yield { type: 'finish', finishReason: 'stop', model: 'scripted-1' };
    },
    async health() {
      return broken
        ? { status: 'down', configured: true, message: 'The provider rejected the API key (401).' }
        : { status: 'ok', configured: true };
    },
  };
}

function executor(options: { liveBroken?: boolean; log?: string } = {}) {
  const { log } = options;
  return createExecutor({
    agents: [echoAgent, acmeAgent],
    providers: { mock: mockProvider(), scripted: liveProvider(options.liveBroken === true) },
    limits: { maxRetries: 0 },
    ...(log === undefined ? {} : { logger: jsonLogger({ write: (line) => appendFileSync(log, `${line}\n`) }) }),
  });
}

/** p95 of some samples, nearest rank, as the report computes it. */
function p95(samples: readonly number[]): number {
  const sorted = [...samples].sort((x, y) => x - y);
  return sorted[Math.ceil(sorted.length * 0.95) - 1] as number;
}

type Wrap = (handler: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response>;

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handlerExecutor: HandlerExecutor, wrap: Wrap = (handler) => handler): Promise<string> {
  const handler = createHandler({
    executor: handlerExecutor,
    resolveTenant: resolveTenantFromSession,
    basePath: '/api/agentry',
  });
  const server = await listen(toNodeListener(wrap(handler)));
  servers.push(server);
  return `${server.url}/api/agentry`;
}

const verify = (url: string, ...extra: string[]) =>
  runCli(
    [
      'verify',
      '--url',
      url,
      '--auth',
      'cookie:env:COOKIE_A',
      '--auth-b',
      'cookie:env:COOKIE_B',
      '--samples',
      '3',
      '--json',
      ...extra,
    ],
    env,
  );

describe('agentry verify against broken servers', () => {
  test('a sound server with live mode: every item ✅, live within its target', async () => {
    const log = path.join(await temporaryDirectory(), 'server.jsonl');
    await writeFile(log, '');
    const run = await verify(await serve(executor({ log })), '--live', '--load', '2x300ms', '--logs', log);
    // Latency items are judged from the report's own samples, never from this machine's clock.
    const { latency } = run.report as NonNullable<typeof run.report>;
    expect(item(run.report, 'mock-latency').status).toBe(p95(latency.mockFirstOutputMs) < 500 ? 'pass' : 'fail');
    expect(item(run.report, 'live-runs').status).toBe(p95(latency.liveFirstOutputMs) < 3000 ? 'pass' : 'fail');
    const failing = run.report?.checks.filter(
      (check) => check.status !== 'pass' && !/latency|live-runs/.test(check.id),
    );
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    expect(item(run.report, 'live-runs').details).toContainEqual(
      expect.stringMatching(/^echo: first output in \d+ ms$/),
    );
    expect(item(run.report, 'logs').figure).toMatch(/^\d+ completion lines: 0 without the fields; 0 secrets$/);
  }, 60_000);

  test('a handler that answers another tenant’s execution by id: ❌ isolation, naming the probe', async () => {
    const inner: HandlerExecutor = executor();
    // The classic bug: a lookup by id that falls back to every tenant's records.
    const leaky: HandlerExecutor = {
      ...inner,
      async getExecution(_tenant, executionId) {
        for (const tenant of TENANTS) {
          try {
            return await inner.getExecution(tenant, executionId);
          } catch {}
        }
        return inner.getExecution(_tenant, executionId);
      },
    };
    const run = await verify(await serve(leaky));
    const isolation = item(run.report, 'isolation');
    expect(isolation.status).toBe('fail');
    expect(isolation.figure).toMatch(/^2 leaks in \d+ probes$/);
    expect(isolation.details[0]).toMatch(
      /^B → A GET \/executions\/:id: answered 200 with the other tenant’s data \(its record exe_\w+\)$/,
    );
    expect(run.code).toBe(1);
  }, 60_000);

  test('a handler that leaks a key in a response: ❌ secrets, with the shape and where, never the key', async () => {
    const run = await verify(
      await serve(executor(), (handler) => async (request) => {
        const response = await handler(request);
        if (!new URL(request.url).pathname.endsWith('/health')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        return Response.json({ ...body, debug: { openai: LEAKED_KEY } }, { status: response.status });
      }),
    );
    const secrets = item(run.report, 'secrets');
    expect(secrets.status).toBe('fail');
    expect(secrets.details[0]).toMatch(
      /^GET \/health \((health|isolation)\), body: openai-or-anthropic-key — .*\[REDACTED\]/,
    );
    expect(run.stdout).not.toContain(LEAKED_KEY);
    expect(run.code).toBe(1);
  }, 60_000);

  test('live mode broken (the provider refuses its key): ❌ health and ❌ live runs with the reason', async () => {
    const run = await verify(await serve(executor({ liveBroken: true })), '--live');
    const health = item(run.report, 'health');
    expect(health.status).toBe('fail');
    expect(health.details).toContain('scripted: down — The provider rejected the API key (401). · live available');
    const live = item(run.report, 'live-runs');
    expect(live.status).toBe('fail');
    expect(live.figure).toBe('1 of 1 live runs failed');
    expect(live.details[0]).toBe('echo: failed — provider_auth_failed: The provider rejected the API key (401).');
    expect(run.code).toBe(1);
  }, 60_000);
});

describe('agentry verify refuses to run, saying why (exit code 2)', () => {
  test('nothing listens at the URL', async () => {
    const server = await listen((_request, response) => response.end());
    await server.close();
    const run = await verify(`${server.url}/api/agentry`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^agentry verify: Could not reach http:\/\/127\.0\.0\.1:\d+\/api\/agentry \(ECONNREFUSED\)\. Check --url/,
    );
  });

  test('the URL is a web page, not an Agentry endpoint', async () => {
    const server = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>App</title>');
    });
    servers.push(server);
    const run = await verify(`${server.url}/`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not an Agentry endpoint (got text/html from');
    expect(run.stderr).toContain('--url must be where createHandler is mounted');
  });

  test('a refused credential names its flag and source, never its value', async () => {
    const url = await serve(executor());
    const run = await runCli(['verify', '--url', url, '--auth', 'cookie:env:COOKIE_A', '--auth-b', 'env:WRONG'], {
      ...env,
      WRONG: 'not-a-session-token-123456',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'agentry verify: --auth-b (env:WRONG) was refused: 401 tenant_required. The credential is wrong, expired or for another environment; check it, and how it is sent (bearer:, cookie: or header:).\n',
    );
  });

  test('a server that never answers: a timeout, after --timeout', async () => {
    const server = await listen(() => {});
    servers.push(server);
    const run = await verify(`${server.url}/api/agentry`, '--timeout', '200');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No answer from');
    expect(run.stderr).toContain('within 200 ms (--timeout)');
  });
});
