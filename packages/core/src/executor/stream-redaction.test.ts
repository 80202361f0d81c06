import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { acme } from '../../test/agents';
import {
  AgentryError,
  createExecutor,
  defineAgent,
  type ExecutionEvent,
  type ProviderAdapter,
  type RetryState,
  Secret,
} from '../index';

const PROVIDER_KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
const CONFIGURED = 'tenant-webhook-secret-4f9a2c';
const GITHUB = 'ghp_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k';
const AWS = 'AKIALALEMEL33243OLIB';
const TOKEN = 'abcdef123456XYZtoken';
const SECRETS = [PROVIDER_KEY, CONFIGURED, GITHUB, AWS, TOKEN];
const TEXT = `Here is ${PROVIDER_KEY}, the webhook ${CONFIGURED}, ${GITHUB} and ${AWS}.\nAuthorization: Bearer ${TOKEN}\nDone.`;

const agent = defineAgent({
  id: 'echoer',
  name: 'Echoer',
  input: z.object({ note: z.string() }),
  model: { provider: 'scripted', model: 'gpt-4.1-mini' },
  prompt: ({ note }) => note,
});

/** Streams the given chunks as they are, the way models echo keys token by token. */
function streamingProvider(chunks: readonly string[]): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id: 'scripted',
    secrets: [new Secret(PROVIDER_KEY)],
    async execute() {
      return { text: chunks.join(''), usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
    },
    async *stream() {
      for (const delta of chunks) yield { type: 'text-delta', delta };
      yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } };
      yield { type: 'finish', finishReason: 'stop' };
    },
  };
}

function cut(text: string, points: readonly number[]): string[] {
  const sorted = [...new Set(points.map((point) => point % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let previous = 0;
  for (const point of [...sorted, text.length]) {
    chunks.push(text.slice(previous, point));
    previous = point;
  }
  return chunks;
}

async function run(provider: ProviderAdapter) {
  const telemetry: ExecutionEvent[] = [];
  const executor = createExecutor({
    agents: [agent],
    providers: { scripted: provider },
    secrets: [CONFIGURED],
    onEvent: (event) => telemetry.push(event),
  });
  const events: ExecutionEvent[] = [];
  for await (const event of executor.stream({ agentId: 'echoer', input: { note: 'x' }, mode: 'live', tenant: acme })) {
    events.push(event);
  }
  const deltas = events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : []));
  const last = events.at(-1);
  if (last?.type !== 'execution-finish' && last?.type !== 'execution-error') throw new Error('no terminal event');
  const stored = await executor.getExecution(acme, last.result.id);
  return { executor, events, telemetry, deltas, result: last.result, stored };
}

function expectNoSecretInAnyPrefix(deltas: readonly string[]): void {
  let prefix = '';
  for (const delta of deltas) {
    prefix += delta;
    for (const secret of SECRETS) expect(prefix).not.toContain(secret);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('output deltas are redacted as one stream', () => {
  it('for any chunking, SSE deltas, onEvent and the stored record agree, and no prefix shows a key (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), async (points) => {
        const { executor, deltas, telemetry, result, stored } = await run(streamingProvider(cut(TEXT, points)));
        expect(result.status).toBe('succeeded');
        expect(deltas.join('')).toBe(executor.redactor.redactString(TEXT));
        expect(deltas.join('')).toBe(result.output);
        expect(stored.output).toBe(result.output);
        expect(telemetry.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : []))).toEqual(deltas);
        expectNoSecretInAnyPrefix(deltas);
      }),
      { numRuns: 60 },
    );
  });

  it("a mock's chunks known at once: checked as one text, sent as authored when clean, redacted as one stream when not (fast-check)", async () => {
    // Words and pieces of keys: some texts are clean, some hold a key, some a key's prefix at a chunk's end.
    const piece = fc.constantFrom(
      'The capital ',
      'is Paris. ',
      'sk',
      '-proj-',
      'ey',
      'Bearer ',
      'ask ',
      PROVIDER_KEY,
      CONFIGURED,
      GITHUB.slice(0, 6),
      GITHUB,
      AWS,
      ' ',
      '\n',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (pieces, points) => {
          const text = pieces.join('');
          const chunks = cut(text, points);
          const mocked = defineAgent({
            id: 'mocked',
            name: 'Mocked',
            input: z.object({ note: z.string() }),
            prompt: ({ note }) => note,
            mock: { stream: chunks },
          });
          const executor = createExecutor({ agents: [mocked], secrets: [CONFIGURED] });
          const deltas: string[] = [];
          let result: unknown;
          for await (const event of executor.stream({ agentId: 'mocked', input: { note: 'x' }, tenant: acme })) {
            if (event.type === 'output-delta') deltas.push(event.delta);
            if (event.type === 'execution-finish') result = event.result;
          }
          const redacted = executor.redactor.redactString(text);
          expect(deltas.join('')).toBe(redacted);
          // So every prefix the caller saw is a prefix of the redacted text: no part of a key went out.
          expect((result as { output: unknown }).output).toBe(redacted);
          if (redacted === text) expect(deltas).toEqual(chunks.filter((chunk) => chunk !== ''));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('one character per chunk: every key is held back until it is whole, then redacted', async () => {
    const { deltas, result } = await run(streamingProvider([...TEXT]));
    expectNoSecretInAnyPrefix(deltas);
    expect(result.output).toBe(
      'Here is [REDACTED], the webhook [REDACTED], [REDACTED] and [REDACTED].\nAuthorization: [REDACTED]\nDone.',
    );
  });

  it('a Bearer value that arrives in the next chunk is redacted', async () => {
    const { deltas } = await run(streamingProvider(['curl -H "Authorization: Bearer', ' ', TOKEN, '" https://api']));
    expectNoSecretInAnyPrefix(deltas);
    expect(deltas.join('')).toBe('curl -H "Authorization: [REDACTED]" https://api');
  });

  it('a provider without stream(): its one answer goes out as one redacted delta', async () => {
    const provider = streamingProvider(cut(TEXT, [3, 17, 40]));
    delete (provider as { stream?: unknown }).stream;
    const { deltas, result } = await run(provider);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]).toBe(result.output);
    expectNoSecretInAnyPrefix(deltas);
  });

  it('a stream that fails mid-key releases no part of it, and the partial output matches the deltas', async () => {
    const provider: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'scripted',
      async execute() {
        throw new Error('unused');
      },
      async *stream() {
        yield { type: 'text-delta', delta: `ok ${GITHUB.slice(0, 20)}` };
        yield { type: 'text-delta', delta: GITHUB.slice(20) };
        throw new AgentryError('provider_error', 'connection reset', { retryable: false });
      },
    };
    const { deltas, result } = await run(provider);
    expect(result.status).toBe('failed');
    expect(deltas.join('')).toBe('ok [REDACTED]');
    expect(result.output).toBe('ok [REDACTED]');
    expectNoSecretInAnyPrefix(deltas);
  });
});

describe('onRetry', () => {
  it('receives the error redacted: configured secrets and key shapes in the provider error text', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const provider: ProviderAdapter = {
      specificationVersion: 'v1',
      id: 'scripted',
      secrets: [new Secret(PROVIDER_KEY)],
      async execute() {
        calls += 1;
        if (calls === 1) {
          throw new AgentryError(
            'rate_limited',
            `Rate limited for key ${PROVIDER_KEY} (webhook ${CONFIGURED}); token ${GITHUB}, id ${AWS}`,
            {
              provider: 'scripted',
              userMessage: `Slow down, ${GITHUB}`,
              cause: new Error(`upstream said Authorization: Bearer ${TOKEN}`),
            },
          );
        }
        return { text: 'fine', usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
      },
    };
    const retries: RetryState[] = [];
    const executor = createExecutor({
      agents: [agent],
      providers: { scripted: provider },
      secrets: [CONFIGURED],
      limits: { maxRetries: 1 },
      onRetry: (state) => retries.push(state),
    });
    const pending = executor.execute({ agentId: 'echoer', input: { note: 'x' }, mode: 'live', tenant: acme });
    await vi.advanceTimersByTimeAsync(60_000);
    const result = await pending;

    expect(result.status).toBe('succeeded');
    expect(retries).toHaveLength(1);
    const error = retries[0]?.error;
    expect(error?.message).toBe(
      'Rate limited for key [REDACTED] (webhook [REDACTED]); token [REDACTED], id [REDACTED]',
    );
    const everything = [inspect(error, { depth: 8 }), JSON.stringify(error), error?.userMessage].join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });
});
