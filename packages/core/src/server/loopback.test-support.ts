// Shared by the server, client and remote-provider tests: a loopback HTTP server, a
// signed test session, and an executor with agents whose behaviour the tests script.
// Node-only (tests run in Node); never imported by published code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { AgentryError } from '../errors';
import { createExecutor } from '../executor';
import type { ExecutorOptions } from '../executor/types';
import type { ProviderAdapter, ProviderEvent } from '../providers';
import { mockProvider } from '../providers/mock';
import type { TenantContext } from '../tenant';

/** A configured secret that matches none of the built-in key shapes: only exact-value redaction catches it. */
export const SECRET = 'zz-hunter2-service-token-4242';

const SESSION_KEY = 'test-session-signing-key';

/** A signed session cookie value for a tenant and user, as a host's auth layer would issue. */
export function sessionCookie(tenantId: string, userId: string): string {
  const payload = `${tenantId}.${userId}`;
  const signature = createHmac('sha256', SESSION_KEY).update(payload).digest('hex');
  return `session=${payload}.${signature}`;
}

/** Reads and verifies the session cookie; anything unsigned or forged resolves to no tenant. */
export function resolveTenantFromSession(request: Request): TenantContext | undefined {
  const cookie = request.headers.get('cookie') ?? '';
  const match = /(?:^|;\s*)session=([^.;]+)\.([^.;]+)\.([0-9a-f]{64})/.exec(cookie);
  if (!match) return undefined;
  const [, tenantId, userId, signature] = match as unknown as [string, string, string, string];
  const expected = createHmac('sha256', SESSION_KEY).update(`${tenantId}.${userId}`).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { tenantId, userId };
}

/** A running loopback server. */
export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `listener` on 127.0.0.1 at an ephemeral port. */
export async function listen(listener: RequestListener): Promise<Loopback> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Calls to the scripted provider, so tests can see when a run was aborted. */
export interface ScriptedCalls {
  started: number;
  aborted: number;
}

/**
 * A live provider scripted by the input text:
 * - `hang`: one delta, then waits until aborted;
 * - `leak`: fails with an upstream error that quotes the secret;
 * - `slow-start`: waits until aborted before any output;
 * - anything else: streams the words of `live: <text>`.
 */
export function scriptedProvider(calls: ScriptedCalls = { started: 0, aborted: 0 }): ProviderAdapter {
  const waitForAbort = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      const onAbort = () => {
        calls.aborted += 1;
        reject(signal.reason ?? new AgentryError('cancelled', 'aborted'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  return {
    specificationVersion: 'v1',
    id: 'scripted',
    async execute(request, context) {
      const text = (request.input as { text: string }).text;
      calls.started += 1;
      if (text === 'hang' || text === 'slow-start') await waitForAbort(context.signal);
      if (text === 'leak') throw new Error(`upstream refused token ${SECRET}`);
      return { text: `live: ${text}`, usage: { inputTokens: 3, outputTokens: 2 }, finishReason: 'stop' };
    },
    async *stream(request, context): AsyncGenerator<ProviderEvent> {
      const text = (request.input as { text: string }).text;
      calls.started += 1;
      if (text === 'slow-start') await waitForAbort(context.signal);
      if (text === 'leak') throw new Error(`upstream refused token ${SECRET}`);
      if (text === 'hang') {
        yield { type: 'text-delta', delta: 'partial ' };
        await waitForAbort(context.signal);
      }
      for (const word of `live: ${text}`.split(/(?<= )/)) yield { type: 'text-delta', delta: word };
      yield { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } };
      yield { type: 'finish', finishReason: 'stop', model: 'scripted-1' };
    },
    async health() {
      return { status: 'ok', configured: true };
    },
  };
}

export const echoAgent = defineAgent({
  id: 'echo',
  name: 'Echo',
  description: 'Repeats the text',
  input: z.object({ text: z.string().min(1), shout: z.boolean().default(false) }),
  model: { provider: 'scripted', model: 'scripted-1' },
  prompt: ({ text }) => text,
  mock: ({ text, shout }) => (shout ? `echo: ${text.toUpperCase()}` : `echo: ${text}`),
  example: { text: 'hello' },
});

export const summarizeAgent = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ summary: z.string() }),
  model: { provider: 'scripted', model: 'scripted-1' },
  prompt: ({ text }) => text,
  mock: ({ text }) => ({ summary: text.slice(0, 10) }),
});

/** Owned by tenant `acme`: nobody else may see or run it. */
export const acmeAgent = defineAgent({
  id: 'acme-private',
  name: 'Acme private agent',
  tenantId: 'acme',
  input: z.object({ text: z.string() }),
  prompt: ({ text }) => text,
  mock: ({ text }) => `acme says ${text}`,
});

/** Needs the `openai` provider, which the test executor does not configure. */
export const unconfiguredAgent = defineAgent({
  id: 'needs-openai',
  name: 'Needs OpenAI',
  input: z.object({ text: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text }) => text,
});

/** The test executor: mock plus the scripted live provider, the secret configured, no retries. */
export function testExecutor(overrides: Partial<ExecutorOptions> = {}, calls?: ScriptedCalls) {
  return createExecutor({
    agents: [echoAgent, summarizeAgent, acmeAgent, unconfiguredAgent],
    providers: { mock: mockProvider(), scripted: scriptedProvider(calls) },
    secrets: [SECRET],
    limits: { maxRetries: 0, timeoutMs: { mock: 60_000, live: 60_000 } },
    ...overrides,
  });
}
