import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { acme } from '../../test/agents';
import { AgentryError, createExecutor, defineAgent, type ExecutionEvent, type ProviderAdapter } from '../index';
import { decodeServerSentEvents } from '../protocol';
import { createHandler } from './create-handler';

// Known to the handler only (its `secrets` option), not to the executor.
const HANDLER_SECRET = 'handler-only-service-token-77x';
const EXECUTOR_SECRET = 'tenant-webhook-secret-4f9a2c';
const GITHUB = 'ghp_4d9uZKpl7Qy0cVnW2bX8rT1mE5sH3jA6fG9k';
const SECRETS = [HANDLER_SECRET, EXECUTOR_SECRET, GITHUB];
const TEXT = `Use ${HANDLER_SECRET} with ${GITHUB}; the webhook is ${EXECUTOR_SECRET}.`;

const agent = defineAgent({
  id: 'echoer',
  name: 'Echoer',
  input: z.object({ note: z.string() }),
  model: { provider: 'scripted', model: 'gpt-4.1-mini' },
  prompt: ({ note }) => note,
});

function provider(chunks: readonly string[]): ProviderAdapter {
  return {
    id: 'scripted',
    async execute() {
      throw new Error('unused');
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
  return [...sorted, text.length].map((point, index, all) => text.slice(index === 0 ? 0 : all[index - 1], point));
}

const request = () =>
  new Request('http://localhost/agents/echoer/executions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ input: { note: 'x' }, mode: 'live' }),
  });

async function sse(response: Response): Promise<{ event: string; data: string }[]> {
  const messages: { event: string; data: string }[] = [];
  for await (const message of decodeServerSentEvents(response.body as ReadableStream<Uint8Array>)) {
    messages.push({ event: message.event, data: message.data });
  }
  return messages;
}

describe('SSE output deltas are redacted as one stream, with the handler secrets too', () => {
  it('for any chunking, no prefix of the deltas shows a secret and they join to the record (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), async (points) => {
        const executor = createExecutor({
          agents: [agent],
          providers: { scripted: provider(cut(TEXT, points)) },
          secrets: [EXECUTOR_SECRET],
        });
        const handler = createHandler({ executor, resolveTenant: () => acme, secrets: [HANDLER_SECRET] });
        const messages = await sse(await handler(request()));
        const deltas = messages
          .filter((message) => message.event === 'output-delta')
          .map((message) => (JSON.parse(message.data) as { delta: string }).delta);
        let prefix = '';
        for (const delta of deltas) {
          prefix += delta;
          for (const secret of SECRETS) expect(prefix).not.toContain(secret);
        }
        const finish = JSON.parse(messages.at(-1)?.data ?? '{}') as Extract<
          ExecutionEvent,
          { type: 'execution-finish' }
        >;
        expect(messages.at(-1)?.event).toBe('execution-finish');
        expect(prefix).toBe(finish.result.output);
        expect(prefix).toBe('Use [REDACTED] with [REDACTED]; the webhook is [REDACTED].');
      }),
      { numRuns: 40 },
    );
  });
});

describe('the in-band SSE `problem` event', () => {
  it('is redacted: a configured secret and a key shape in the error text never reach the client', async () => {
    const real = createExecutor({ agents: [agent] });
    const executor = {
      ...real,
      stream: async function* (): AsyncGenerator<ExecutionEvent> {
        yield {
          type: 'execution-start',
          executionId: 'exe_1',
          agentId: 'echoer',
          mode: 'live',
          requestedMode: 'live',
          provider: 'scripted',
          model: 'gpt-4.1-mini',
          startedAt: new Date(0).toISOString(),
        };
        yield { type: 'output-delta', executionId: 'exe_1', delta: `partial ${HANDLER_SECRET.slice(0, 12)}` };
        throw new AgentryError(
          'provider_error',
          `Upstream refused ${HANDLER_SECRET} and token ${GITHUB} (Authorization: Bearer abcdef123456XYZ)`,
          { provider: 'scripted', userMessage: `Try again without ${GITHUB}` },
        );
      },
    };
    const handler = createHandler({
      executor: executor as unknown as Parameters<typeof createHandler>[0]['executor'],
      resolveTenant: () => acme,
      secrets: [HANDLER_SECRET],
    });
    const messages = await sse(await handler(request()));
    const problem = messages.find((message) => message.event === 'problem');
    expect(problem).toBeDefined();
    const document = JSON.parse(problem?.data ?? '{}') as { detail: string; userMessage: string };
    expect(document.detail).toBe('Upstream refused [REDACTED] and token [REDACTED] (Authorization: [REDACTED])');
    expect(document.userMessage).toBe('Try again without [REDACTED]');
    const wire = messages.map((message) => message.data).join('\n');
    for (const secret of [...SECRETS, 'abcdef123456XYZ']) expect(wire).not.toContain(secret);
    // The held end of the output (it never became a secret) went out before the problem, not after it.
    expect(messages.at(-1)?.event).toBe('problem');
    const deltas = messages.filter((message) => message.event === 'output-delta');
    expect(deltas.map((message) => (JSON.parse(message.data) as { delta: string }).delta).join('')).toBe(
      `partial ${HANDLER_SECRET.slice(0, 12)}`,
    );
  });
});
