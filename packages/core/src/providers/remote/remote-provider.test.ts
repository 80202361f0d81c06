import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../../agent';
import { isAgentryError } from '../../errors';
import { createExecutor } from '../../executor';
import { silentLogger } from '../../logging';
import { createHandler } from '../../server/create-handler';
import { type Loopback, listen, type ScriptedCalls, SECRET, testExecutor } from '../../server/loopback.test-support';
import { toNodeListener } from '../../server/node-listener';
import type { TenantContext } from '../../tenant';
import { mockProvider } from '../mock';
import type { ProviderContext, ProviderRequest } from '../types';
import { remoteProvider } from './remote-provider';

// Service B (the remote) trusts a tenant only when the caller signs it with the shared key.
const SERVICE_KEY = 'svc-signing-key-0f9e8d7c6b5a';
const BASE = '/api/agentry';

function signTenant(tenant: TenantContext): Record<string, string> {
  const payload = `${tenant.tenantId}:${tenant.userId ?? ''}`;
  return {
    'x-agentry-tenant': payload,
    'x-agentry-signature': createHmac('sha256', SERVICE_KEY).update(payload).digest('hex'),
  };
}

function verifySignedTenant(request: Request): TenantContext | undefined {
  const payload = request.headers.get('x-agentry-tenant');
  const signature = request.headers.get('x-agentry-signature');
  if (payload === null || signature === null || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const expected = createHmac('sha256', SERVICE_KEY).update(payload).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return undefined;
  const [tenantId, userId] = payload.split(':');
  return tenantId ? { tenantId, ...(userId ? { userId } : {}) } : undefined;
}

const acme: TenantContext = { tenantId: 'acme', userId: 'alice' };
const globex: TenantContext = { tenantId: 'globex', userId: 'bob' };

// Service A's view of the remote agents: same ids and input schemas, run by the remote.
const remoteEcho = defineAgent({
  id: 'echo',
  name: 'Echo (remote)',
  input: z.object({ text: z.string().min(1) }),
  model: { provider: 'remote', model: 'agentry-remote' },
  prompt: ({ text }) => text,
});
const remoteSummarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer (remote, mock there)',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ summary: z.string() }),
  model: { provider: 'remoteMock', model: 'agentry-remote' },
  prompt: ({ text }) => text,
});
const remoteAcmeOnly = defineAgent({
  id: 'acme-private',
  name: 'Acme private (remote)',
  input: z.object({ text: z.string() }),
  model: { provider: 'remoteMock', model: 'agentry-remote' },
  prompt: ({ text }) => text,
});

const remoteCalls: ScriptedCalls = { started: 0, aborted: 0 };
let remote: Loopback;
let remoteExecutor: ReturnType<typeof testExecutor>;
let requestsSeen: { method: string; path: string }[];

function serviceA(headers: Parameters<typeof remoteProvider>[0]['headers'] = signTenant) {
  const baseUrl = `${remote.origin}${BASE}`;
  return createExecutor({
    agents: [remoteEcho, remoteSummarize, remoteAcmeOnly],
    providers: {
      mock: mockProvider(),
      remote: remoteProvider({ baseUrl, headers, secrets: [SERVICE_KEY] }),
      remoteMock: remoteProvider({ baseUrl, headers, remoteMode: 'mock', stream: false }),
    },
    secrets: [SECRET],
    limits: { maxRetries: 0, timeoutMs: { mock: 60_000, live: 60_000 } },
    logger: silentLogger,
  });
}

beforeAll(async () => {
  requestsSeen = [];
  remoteExecutor = testExecutor({}, remoteCalls);
  const listener = toNodeListener(
    createHandler({ executor: remoteExecutor, resolveTenant: verifySignedTenant, basePath: BASE, heartbeatMs: 0 }),
  );
  remote = await listen((req, res) => {
    requestsSeen.push({ method: req.method ?? '', path: req.url ?? '' });
    listener(req, res);
  });
});
afterAll(() => remote.close());

/** A provider request and context for calling the remote provider directly. */
const request = {
  agent: remoteEcho,
  input: { text: 'x' },
  messages: [],
  model: 'm',
  mode: 'live',
  executionId: 'exe_local',
  attempt: 1,
} as ProviderRequest;
const context = (): ProviderContext => ({ signal: new AbortController().signal, tenant: acme, logger: silentLogger });

describe('an Agentry server as the remote (executor A → remoteProvider → handler of executor B)', () => {
  it('runs live on the remote and records on both sides under the same tenant', async () => {
    const result = await serviceA().execute({ agentId: 'echo', input: { text: 'hi' }, mode: 'live', tenant: acme });
    expect(result).toMatchObject({ status: 'succeeded', output: 'live: hi', mode: 'live' });
    expect(result.metrics).toMatchObject({ provider: 'remote', model: 'scripted-1', inputTokens: 3, outputTokens: 2 });
    const remoteHistory = await remoteExecutor.listExecutions(acme);
    expect(remoteHistory.items[0]).toMatchObject({ agentId: 'echo', mode: 'live', tenantId: 'acme', userId: 'alice' });
    expect((await remoteExecutor.listExecutions(globex)).items).toHaveLength(0);
  });

  it('asks the remote for mock mode when configured, and validates structured output locally', async () => {
    const result = await serviceA().execute({
      agentId: 'summarize',
      input: { text: 'a long text to summarize' },
      mode: 'live',
      tenant: acme,
    });
    expect(result).toMatchObject({ status: 'succeeded', output: { summary: 'a long tex' } });
    const [latest] = (await remoteExecutor.listExecutions(acme, { agentId: 'summarize' })).items;
    expect(latest?.mode).toBe('mock');
  });

  it("the remote enforces tenancy from the signed identity: globex cannot run acme's agent", async () => {
    const a = serviceA();
    const ok = await a.execute({ agentId: 'acme-private', input: { text: 'x' }, mode: 'live', tenant: acme });
    expect(ok.status).toBe('succeeded');
    const refused = await a.execute({ agentId: 'acme-private', input: { text: 'x' }, mode: 'live', tenant: globex });
    expect(refused.status).toBe('failed');
    if (refused.status === 'failed')
      expect(refused.error).toMatchObject({ code: 'provider_not_configured', provider: 'remote' });
  });

  it('an unsigned or forged tenant is refused by the remote: provider_auth_failed here', async () => {
    const forged = serviceA((tenant) => ({ ...signTenant(globex), 'x-agentry-tenant': `${tenant.tenantId}:x` }));
    const result = await forged.execute({ agentId: 'echo', input: { text: 'x' }, mode: 'live', tenant: acme });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expect(result.error.code).toBe('provider_auth_failed');
  });

  it('maps a remote failure to a failed record, with no secret in it', async () => {
    const result = await serviceA().execute({ agentId: 'echo', input: { text: 'leak' }, mode: 'live', tenant: acme });
    expect(result.status).toBe('failed');
    if (result.status === 'failed') expect(result.error).toMatchObject({ code: 'provider_error', provider: 'remote' });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('stopping a stream here cancels the run over there', async () => {
    const abortedBefore = remoteCalls.aborted;
    let localId = '';
    for await (const event of serviceA().stream({
      agentId: 'echo',
      input: { text: 'hang' },
      mode: 'live',
      tenant: acme,
    })) {
      localId = event.executionId;
      if (event.type === 'output-delta') break;
    }
    expect(localId).not.toBe('');
    await vi.waitFor(async () => {
      const [latest] = (await remoteExecutor.listExecutions(acme, { agentId: 'echo' })).items;
      expect(latest).toMatchObject({ status: 'cancelled', output: 'partial ' });
    });
    expect(remoteCalls.aborted).toBe(abortedBefore + 1);
  });

  it('health() reads the remote /health', async () => {
    const provider = remoteProvider({ baseUrl: `${remote.origin}${BASE}` });
    const health = await provider.health!({ signal: new AbortController().signal });
    expect(health).toMatchObject({ status: 'ok', configured: true, latencyMs: expect.any(Number) });
    const report = await serviceA().health();
    expect(report.providers.remote?.status).toBe('ok');
  });
});

describe('remoteProvider against misbehaving remotes', () => {
  let hits: number;
  let limited: Loopback;
  let truncated: Loopback;

  beforeAll(async () => {
    hits = 0;
    limited = await listen((req, res) => {
      hits += 1;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '7' }).end(
        JSON.stringify({
          type: 'urn:agentry:error:rate_limited',
          title: 'Rate limited',
          status: 429,
          code: 'rate_limited',
          detail: 'slow down',
        }),
      );
    });
    truncated = await listen((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        'event: execution-start\ndata: {"type":"execution-start","executionId":"exe_r"}\n\nevent: output-delta\n',
      );
    });
  });
  afterAll(async () => {
    await limited.close();
    await truncated.close();
  });

  async function failureOf(run: () => Promise<unknown>) {
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
    return error;
  }

  it('keeps rate_limited with the retry-after, and makes exactly one HTTP call (ky retries off)', async () => {
    const provider = remoteProvider({ baseUrl: limited.origin });
    const streamed = await failureOf(async () => {
      for await (const _ of provider.stream!(request, context())) {
        // none
      }
    });
    expect(streamed).toMatchObject({ code: 'rate_limited', retryAfterMs: 7000, retryable: true, provider: 'remote' });
    const executed = await failureOf(() => provider.execute(request, context()));
    expect(executed.code).toBe('rate_limited');
    expect(hits).toBe(2);
  });

  it('reports a truncated remote stream as a retryable provider_error', async () => {
    const provider = remoteProvider({ baseUrl: truncated.origin });
    const error = await failureOf(async () => {
      for await (const _ of provider.stream!(request, context())) {
        // none
      }
    });
    expect(error).toMatchObject({ code: 'provider_error', retryable: true, provider: 'remote' });
    expect(error.message).toContain('ended before the execution finished');
  });

  it('reports an unreachable remote as a retryable provider_error, and health as down', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const provider = remoteProvider({ baseUrl: closed.origin });
    const error = await failureOf(() => provider.execute(request, context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toContain('Could not reach');
    expect((await provider.health!({ signal: new AbortController().signal })).status).toBe('down');
  });

  it('sends the tenant header when configured, and only then', async () => {
    const seen: (string | null)[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      seen.push(new Request(input, init).headers.get('x-agentry-tenant'));
      return new Response('{}', { status: 500 });
    };
    await failureOf(() =>
      remoteProvider({ baseUrl: 'http://remote.test', fetch: fakeFetch, tenantHeader: 'x-agentry-tenant' }).execute(
        request,
        context(),
      ),
    );
    await failureOf(() =>
      remoteProvider({ baseUrl: 'http://remote.test', fetch: fakeFetch }).execute(request, context()),
    );
    expect(seen).toEqual(['acme', null]);
  });
});

describe('remoteProvider bounds what it reads and what it repeats', () => {
  let oversized: Loopback;

  /** A record whose output is `size` bytes of text, as JSON. */
  const recordOf = (size: number) =>
    JSON.stringify({
      id: 'exe_remote',
      status: 'succeeded',
      output: 'x'.repeat(size),
      metrics: { inputTokens: 1, outputTokens: 1, model: 'm' },
    });

  beforeAll(async () => {
    // `/json/<bytes>` answers a record in 64 kB chunks without Content-Length; `/declared/<bytes>`
    // declares its length; `/sse/<bytes>` streams one delta that large; `/internal` fails.
    oversized = await listen((req, res) => {
      req.resume();
      const [, kind, size] = (req.url ?? '').split('/');
      if (kind === 'internal') {
        res.writeHead(500, { 'content-type': 'application/problem+json' }).end(
          JSON.stringify({
            type: 'urn:agentry:error:internal',
            status: 500,
            code: 'internal',
            detail: 'pool exhausted at postgres://admin:hunter2@db.internal:5432/app',
          }),
        );
        return;
      }
      const bytes = Number(size);
      const text =
        kind === 'sse'
          ? `event: output-delta\ndata: ${JSON.stringify({ type: 'output-delta', executionId: 'exe_remote', delta: 'y'.repeat(bytes) })}\n\n`
          : recordOf(bytes);
      if (kind === 'declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      res.writeHead(200, { 'content-type': kind === 'sse' ? 'text/event-stream' : 'application/json' });
      let offset = 0;
      const pump = () => {
        while (offset < text.length) {
          const chunk = text.slice(offset, offset + 65_536);
          offset += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
  });
  afterAll(() => oversized.close());

  async function failureOf(run: () => Promise<unknown>) {
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
    return error;
  }

  const drain = (provider: ReturnType<typeof remoteProvider>) => async () => {
    for await (const _ of provider.stream!(request, context())) {
      // none
    }
  };

  it('reads a JSON record within maxResponseBytes', async () => {
    const provider = remoteProvider({
      baseUrl: `${oversized.origin}/json/1000`,
      maxResponseBytes: 2000,
      stream: false,
    });
    expect((await provider.execute(request, context())).text).toBe('x'.repeat(1000));
  });

  it('cuts off a JSON record over maxResponseBytes with a non-retryable provider_error', async () => {
    const provider = remoteProvider({
      baseUrl: `${oversized.origin}/json/2000000`,
      maxResponseBytes: 100_000,
      stream: false,
    });
    const error = await failureOf(() => provider.execute(request, context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: false, provider: 'remote' });
    expect(error.message).toContain('The remote answered more than 100000 bytes');
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const provider = remoteProvider({ baseUrl: `${oversized.origin}/declared/5000`, maxResponseBytes: 1000 });
    const error = await failureOf(() => provider.execute(request, context()));
    expect(error.message).toContain('more than 1000 bytes');
  });

  it('cuts off an event stream over maxResponseBytes', async () => {
    const provider = remoteProvider({ baseUrl: `${oversized.origin}/sse/500000`, maxResponseBytes: 100_000 });
    const error = await failureOf(drain(provider));
    expect(error).toMatchObject({ code: 'provider_error', retryable: false });
    expect(error.message).toContain('more than 100000 bytes');
  });

  it('defaults to 4 MiB', async () => {
    const within = remoteProvider({ baseUrl: `${oversized.origin}/json/4000000`, stream: false });
    expect((await within.execute(request, context())).text).toHaveLength(4_000_000);
    const over = remoteProvider({ baseUrl: `${oversized.origin}/json/4200000`, stream: false });
    expect((await failureOf(() => over.execute(request, context()))).message).toContain('more than 4194304 bytes');
  });

  it("does not repeat the remote's words for an internal error (they can name its database)", async () => {
    const provider = remoteProvider({ baseUrl: `${oversized.origin}/internal`, stream: false });
    const error = await failureOf(() => provider.execute(request, context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(JSON.stringify(error)).not.toMatch(/hunter2|db\.internal/);
    expect(error.message).toContain('unexpected error on its side');
  });
});
