// Shared by the coordinator's server and client tests: an executor on a memory coordinator with
// an injected clock, a live provider whose runs pause mid-stream until the test opens a gate,
// and SSE reading helpers. Nothing sleeps.
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createMemoryCoordinator } from '../coordinator';
import { createExecutor } from '../executor';
import type { LimitOptions } from '../executor/types';
import { decodeServerSentEvents, type ExecutionEvent } from '../protocol';
import type { ProviderAdapter, ProviderEvent } from '../providers';
import { mockProvider } from '../providers/mock';
import { createHandler } from './create-handler';
import { resolveTenantFromSession, sessionCookie } from './loopback.test-support';

export const A = sessionCookie('acme', 'alice');
export const B = sessionCookie('globex', 'bob');
export const BASE = 'http://app.test/api';

/** A live provider that streams `words`, pausing after `pauseAfter` of them until `open()`. */
export function gatedProvider() {
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'gated',
    async execute() {
      await gate;
      return { text: 'one two three four', usage: { inputTokens: 5, outputTokens: 4 }, finishReason: 'stop' };
    },
    async *stream(_request, context): AsyncGenerator<ProviderEvent> {
      yield { type: 'text-delta', delta: 'one ' };
      yield { type: 'text-delta', delta: 'two ' };
      await Promise.race([
        gate,
        new Promise((_, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason))),
      ]);
      yield { type: 'text-delta', delta: 'three ' };
      yield { type: 'text-delta', delta: 'four' };
      yield { type: 'usage', usage: { inputTokens: 5, outputTokens: 4 } };
      yield { type: 'finish', finishReason: 'stop' };
    },
  };
  return {
    provider,
    open: () => release(),
    reset: () => {
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
  };
}

export const agent = defineAgent({
  id: 'words',
  name: 'Words',
  input: z.object({ text: z.string() }),
  model: { provider: 'gated', model: 'gated-1' },
  prompt: ({ text }) => text,
  mock: ({ text }) => `mock ${text}`,
});

export function setup(options: { limits?: LimitOptions } = {}) {
  let time = Date.UTC(2026, 0, 15, 12);
  const coordinator = createMemoryCoordinator({ now: () => time, leaseTtlMs: 30_000 });
  const gated = gatedProvider();
  const executor = createExecutor({
    agents: [agent],
    providers: { mock: mockProvider(), gated: gated.provider },
    coordinator,
    limits: { maxRetries: 0, timeoutMs: { mock: 60_000, live: 60_000 }, ...options.limits },
  });
  const handler = createHandler({
    executor,
    resolveTenant: resolveTenantFromSession,
    basePath: '/api',
    streamDisconnect: 'continue',
  });
  const call = (path: string, cookie: string, init: RequestInit = {}) =>
    handler(
      new Request(`${BASE}${path}`, {
        ...init,
        headers: { cookie, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      }),
    );
  return {
    handler,
    coordinator,
    executor,
    gated,
    call,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

export interface Received {
  id: string | undefined;
  event: ExecutionEvent;
}

/** Reads SSE events from a response until `stop` says so (then cuts the connection) or the stream ends. */
export async function readEvents(response: Response, stop: (received: Received[]) => boolean = () => false) {
  const received: Received[] = [];
  const events = decodeServerSentEvents(response.body as ReadableStream<Uint8Array>);
  for await (const message of events) {
    received.push({ id: message.id, event: JSON.parse(message.data) as ExecutionEvent });
    if (stop(received)) break; // `break` cancels the body: the client went away.
  }
  return received;
}

/** Lets the event loop run until `condition` holds (bounded; no fixed sleep). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 500; turn += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('timed out waiting for a condition');
}

export const streamRun = (call: ReturnType<typeof setup>['call'], cookie = A, text = 'go') =>
  call('/agents/words/executions', cookie, {
    method: 'POST',
    headers: { accept: 'text/event-stream' },
    body: JSON.stringify({ input: { text }, mode: 'live' }),
  });
