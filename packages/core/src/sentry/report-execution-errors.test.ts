// The Sentry integration, tested offline: the real @sentry/node SDK sends to a DSN that points
// at a loopback HTTP endpoint, which receives the envelopes; the test parses them.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import { AgentryError } from '../errors';
import { createExecutor } from '../executor';
import type { ProviderAdapter } from '../providers';
import { redactSentryEvents, reportExecutionErrors, type SentryLike } from './index';

const CONFIGURED_KEY = 'zz-configured-upstream-key-5a4b3c2d1e';
const KEY_SHAPE = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH';
const PRIVATE_INPUT = 'the patient record of Jane Roe';
const tenant = { tenantId: 'ws_acme', userId: 'user_9' };

const agent = defineAgent({
  id: 'triage',
  name: 'Triage',
  input: z.object({ text: z.string() }),
  model: { provider: 'upstream', model: 'claude-sonnet-4' },
  prompt: ({ text }) => text,
});

/** Fails every call with an upstream error that quotes both keys; or succeeds on `ok`, hangs on `hang`. */
const upstream: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'upstream',
  async execute(request, context) {
    const text = (request.input as { text: string }).text;
    if (text === 'ok') return { text: 'fine', usage: null, finishReason: 'stop' };
    if (text === 'hang')
      await new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));
    throw new AgentryError('provider_error', `upstream rejected key ${KEY_SHAPE} (configured ${CONFIGURED_KEY})`, {
      provider: 'upstream',
      requestId: `req_1 ${CONFIGURED_KEY}`,
    });
  },
};

interface Envelope {
  raw: string;
  header: Record<string, unknown>;
  items: { header: { type: string }; payload: Record<string, unknown> }[];
}

const received: Envelope[] = [];
let waiters: (() => void)[] = [];
let server: ReturnType<typeof createServer>;
let dsn: string;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function parseEnvelope(raw: string): Envelope {
  const [headerLine, ...rest] = raw.split('\n').filter((line) => line !== '');
  const items: Envelope['items'] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    items.push({ header: JSON.parse(rest[i] as string), payload: JSON.parse(rest[i + 1] as string) });
  }
  return { raw, header: JSON.parse(headerLine as string), items };
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    const raw = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    if (request.url?.includes('/envelope/')) {
      received.push(parseEnvelope(raw));
      for (const wake of waiters) wake();
      waiters = [];
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dsn = `http://publickey@127.0.0.1:${port}/1`;
  Sentry.init({
    dsn,
    defaultIntegrations: false,
    sendClientReports: false,
    beforeSend: redactSentryEvents({ secrets: [CONFIGURED_KEY] }),
  });
});

afterAll(async () => {
  await Sentry.close(2000);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function events(): Record<string, unknown>[] {
  return received.flatMap((envelope) =>
    envelope.items.filter((item) => item.header.type === 'event').map((item) => item.payload),
  );
}

describe('reportExecutionErrors with @sentry/node, to a loopback DSN', () => {
  it('a failed execution arrives as one tagged event with no secret and no input', async () => {
    const executor = createExecutor({
      agents: [agent],
      providers: { upstream },
      secrets: [CONFIGURED_KEY],
      limits: { maxRetries: 0 },
      onEvent: reportExecutionErrors(Sentry),
    });
    const result = await executor.execute({
      agentId: 'triage',
      input: { text: `${PRIVATE_INPUT} ${KEY_SHAPE}` },
      mode: 'live',
      tenant,
    });
    expect(result.status).toBe('failed');
    await Sentry.flush(5000);
    const [event, ...others] = events();
    expect(others).toEqual([]);
    expect(event?.tags).toEqual({
      tenant_id: 'ws_acme',
      agent_id: 'triage',
      execution_id: result.id,
      mode: 'live',
      requested_mode: 'live',
      provider: 'upstream',
      model: 'claude-sonnet-4',
      error_code: 'provider_error',
    });
    expect(event?.level).toBe('error');
    expect(event?.fingerprint).toEqual(['agentry', 'provider_error', 'triage']);
    const exception = (event?.exception as { values: { type: string; value: string }[] } | undefined)?.values[0];
    expect(exception?.type).toBe('AgentryError: provider_error');
    expect(exception?.value).toContain('upstream rejected key [REDACTED]');
    expect((event?.contexts as Record<string, Record<string, unknown>> | undefined)?.agentry).toMatchObject({
      status: 'failed',
      code: 'provider_error',
      httpStatus: 502,
      attempts: 1,
    });
    const raw = received.map((envelope) => envelope.raw).join('\n');
    expect(raw).not.toContain(KEY_SHAPE);
    expect(raw).not.toContain(CONFIGURED_KEY);
    expect(raw).not.toContain(PRIVATE_INPUT);
  });

  it('redactSentryEvents scrubs what Sentry captures by itself (an error thrown in the host)', async () => {
    received.length = 0;
    Sentry.captureException(new Error(`host crashed with Authorization: Bearer ${CONFIGURED_KEY}abc and ${KEY_SHAPE}`));
    await Sentry.flush(5000);
    const raw = received.map((envelope) => envelope.raw).join('\n');
    expect(events()).toHaveLength(1);
    expect(raw).toContain('host crashed');
    expect(raw).not.toContain(KEY_SHAPE);
    expect(raw).not.toContain(CONFIGURED_KEY);
  });
});

describe('which executions are reported', () => {
  function recorder() {
    const captured: { exception: unknown; context: Parameters<SentryLike['captureException']>[1] }[] = [];
    const sentry: SentryLike = {
      captureException(exception, context) {
        captured.push({ exception, context });
        return 'id';
      },
    };
    return { sentry, captured };
  }

  it('failures only: not successes, not cancellations (unless asked)', async () => {
    const { sentry, captured } = recorder();
    const { sentry: all, captured: allCaptured } = recorder();
    const hooks = [reportExecutionErrors(sentry), reportExecutionErrors(all, { shouldReport: () => true })];
    const executor = createExecutor({
      agents: [agent],
      providers: { upstream },
      limits: { maxRetries: 0 },
      onEvent: (event, context) => {
        for (const hook of hooks) hook(event, context);
      },
    });
    await executor.execute({ agentId: 'triage', input: { text: 'ok' }, mode: 'live', tenant });
    const controller = new AbortController();
    const cancelled = executor.execute({
      agentId: 'triage',
      input: { text: 'hang' },
      mode: 'live',
      tenant,
      signal: controller.signal,
    });
    controller.abort();
    expect((await cancelled).status).toBe('cancelled');
    expect(captured).toEqual([]);
    expect(allCaptured.map((entry) => entry.context?.tags?.error_code)).toEqual(['cancelled']);
  });

  it('the tenant_id tag can be mapped (a hash, an alias)', async () => {
    const { sentry, captured } = recorder();
    const executor = createExecutor({
      agents: [agent],
      providers: { upstream },
      limits: { maxRetries: 0 },
      onEvent: reportExecutionErrors(sentry, { tenantId: (id) => `tenant-${id.length}` }),
    });
    await executor.execute({ agentId: 'triage', input: { text: 'fail' }, mode: 'live', tenant });
    expect(captured[0]?.context?.tags?.tenant_id).toBe('tenant-7');
  });

  it('something that is not a Sentry SDK is a clear error', () => {
    expect(() => reportExecutionErrors({} as SentryLike)).toThrow(/pass the Sentry SDK namespace/);
  });
});
