import type { MockReply, ProviderMock } from './mock-reply';
import type { ContractReply, ProviderContractHarness } from './provider-contract-harness';

/** Options for {@link providerMockHarness}: the harness without its scripting, plus the mocked API. */
export interface ProviderMockHarnessOptions extends Omit<ProviderContractHarness, 'script' | 'requests'> {
  /** The mocked API the adapter talks to (`createOpenAIMock()`, `createAnthropicMock()`), its handlers served by msw. */
  mock: ProviderMock;
}

/** A contract reply in the mocks' script language. */
export function toMockReply(reply: ContractReply): MockReply {
  switch (reply.type) {
    case 'text':
    case 'object': {
      const timing = {
        ...(reply.firstByteDelayMs ? { delayMs: reply.firstByteDelayMs } : {}),
        // The first chunk comes with the headers; every later one waits.
        ...(reply.chunkDelayMs
          ? { chunkDelayMs: [0, ...Array.from({ length: 256 }, () => reply.chunkDelayMs ?? 0)] }
          : {}),
        ...(reply.usage === undefined ? {} : { usage: reply.usage }),
      };
      return reply.type === 'text'
        ? { type: 'text', text: reply.chunks, ...timing }
        : { type: 'object', object: reply.object, ...timing };
    }
    case 'error':
      return {
        type: 'error',
        status: reply.status,
        ...(reply.message === undefined ? {} : { message: reply.message }),
        ...(reply.retryAfterSeconds === undefined
          ? {}
          : { headers: { 'retry-after': String(reply.retryAfterSeconds) } }),
      };
    case 'stream-error':
      return { type: 'text', text: reply.chunks, truncate: true };
    case 'tool-calls':
      return {
        type: 'tool-calls',
        toolCalls: reply.calls.map((call) => ({ id: call.id, name: call.name, argsText: call.argsText })),
      };
    case 'hang':
      return { type: 'hang' };
    default:
      return reply satisfies never;
  }
}

/**
 * A contract harness for an adapter that talks to an API Agentry's msw mocks imitate (OpenAI's
 * Chat Completions, and any OpenAI-compatible server; Anthropic's Messages).
 *
 * @example
 * const mock = createOpenAIMock({ baseURL: 'http://127.0.0.1:8000/v1' });
 * const server = setupServer(...mock.handlers);
 * describeProviderContract(providerMockHarness({ name: 'my-adapter', providerId: 'local', model: 'llama', mock,
 *   setup: () => server.listen({ onUnhandledFrame: 'error' }), teardown: () => server.close(),
 *   createAdapter: () => myAdapter({ baseURL: 'http://127.0.0.1:8000/v1' }) }), vitest);
 */
export function providerMockHarness(options: ProviderMockHarnessOptions): ProviderContractHarness {
  const { mock, ...harness } = options;
  return {
    ...harness,
    script(replies) {
      mock.reset(replies.map(toMockReply));
    },
    requests() {
      return mock.requests.map((request) => ({
        closed: request.aborted || request.bodyCancelled,
        tools: request.tools,
        toolResults: request.toolResults.map(({ toolCallId, content }) => ({ toolCallId, content })),
      }));
    },
  };
}
