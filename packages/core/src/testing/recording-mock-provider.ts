import type { Usage } from '../metrics';
import type {
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderHealth,
  ProviderRequest,
  ProviderResponse,
} from '../providers/types';
import type { TenantContext } from '../tenant';

/** One answer of {@link recordingMockProvider}'s `execute`: text, a partial response, an error to throw, or a function. */
export type RecordingReply =
  | string
  | (Partial<ProviderResponse> & { text: string })
  | Error
  | ((
      request: ProviderRequest,
      context: ProviderContext,
    ) => string | ProviderResponse | Promise<string | ProviderResponse>);

/** One answer of `stream`: events (strings are text deltas), an error to throw, or a function returning events. */
export type RecordingStreamReply =
  | readonly (string | ProviderEvent)[]
  | Error
  | ((request: ProviderRequest, context: ProviderContext) => AsyncIterable<ProviderEvent> | Iterable<ProviderEvent>);

/** A call the provider received. */
export interface RecordedCall {
  /** Which method was called. */
  method: 'execute' | 'stream';
  request: ProviderRequest;
  tenant: TenantContext;
  /** Whether the call's signal was aborted by the time it finished. */
  aborted: boolean;
}

/** Options for {@link recordingMockProvider}. */
export interface RecordingMockProviderOptions {
  /** The provider id (what agents name in `model.provider`). @default 'recording' */
  id?: string;
  /**
   * `execute`'s answers: one value for every call, or a list used in order (the last repeats).
   * @default 'ok'
   */
  execute?: RecordingReply | readonly RecordingReply[];
  /**
   * `stream`'s answers, like `execute`. When absent, the provider has no `stream` method and the
   * executor falls back to `execute`.
   * @default undefined
   */
  stream?: RecordingStreamReply | readonly RecordingStreamReply[];
  /** Usage reported when an answer gives none. @default { inputTokens: 0, outputTokens: 0 } */
  usage?: Usage;
  /** What `health()` answers. @default { status: 'ok', configured: true } */
  health?: ProviderHealth;
}

/** A provider that answers what it is told and records every call: for unit tests of code that uses the executor. */
export interface RecordingMockProvider extends ProviderAdapter {
  /** Every call, in order. */
  readonly calls: readonly RecordedCall[];
  /** Forgets the recorded calls. */
  reset(): void;
}

function isStreamReplyList(
  value: RecordingStreamReply | readonly RecordingStreamReply[] | undefined,
): value is readonly RecordingStreamReply[] {
  // A stream reply is itself an array of events; a list of stream replies is an array of arrays/functions/errors.
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item !== 'string' && !isEvent(item));
}

function isEvent(value: unknown): value is ProviderEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function pick<T>(value: T | readonly T[], index: number, list: boolean): T {
  if (!list) return value as T;
  const items = value as readonly T[];
  return items[Math.min(index, items.length - 1)] as T;
}

/**
 * A {@link ProviderAdapter} for your own unit tests: it answers a value, a function or a list of
 * results, and records each call (request, tenant) so tests can assert what the executor sent.
 *
 * @example
 * const provider = recordingMockProvider({ execute: ['first answer', new AgentryError('rate_limited', 'slow down')] });
 * const executor = createExecutor({ agents: [agent], providers: { openai: provider } });
 * await executor.execute({ agentId: 'summarize', input, mode: 'live', tenant });
 * expect(provider.calls[0]?.request.messages).toEqual([...]);
 */
export function recordingMockProvider(options: RecordingMockProviderOptions = {}): RecordingMockProvider {
  const calls: RecordedCall[] = [];
  const executeReplies = options.execute ?? 'ok';
  const executeIsList = Array.isArray(executeReplies);
  const streamReplies = options.stream;
  const streamIsList = isStreamReplyList(streamReplies);
  const defaultUsage = options.usage ?? { inputTokens: 0, outputTokens: 0 };
  let executeCount = 0;
  let streamCount = 0;

  function record(method: RecordedCall['method'], request: ProviderRequest, context: ProviderContext): RecordedCall {
    const call: RecordedCall = { method, request, tenant: context.tenant, aborted: context.signal.aborted };
    calls.push(call);
    return call;
  }

  async function execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse> {
    const call = record('execute', request, context);
    const reply = pick(executeReplies as RecordingReply | readonly RecordingReply[], executeCount, executeIsList);
    executeCount += 1;
    try {
      if (reply instanceof Error) throw reply;
      const value = typeof reply === 'function' ? await reply(request, context) : reply;
      const response = typeof value === 'string' ? { text: value } : value;
      return { usage: defaultUsage, finishReason: 'stop', model: request.model, ...response };
    } finally {
      call.aborted = context.signal.aborted;
    }
  }

  async function* stream(request: ProviderRequest, context: ProviderContext): AsyncGenerator<ProviderEvent> {
    const call = record('stream', request, context);
    const reply: RecordingStreamReply = streamIsList
      ? (streamReplies[Math.min(streamCount, streamReplies.length - 1)] as RecordingStreamReply)
      : (streamReplies as RecordingStreamReply);
    streamCount += 1;
    try {
      if (reply instanceof Error) throw reply;
      const events: AsyncIterable<ProviderEvent | string> | Iterable<ProviderEvent | string> =
        typeof reply === 'function' ? reply(request, context) : reply;
      let finished = false;
      let sawUsage = false;
      for await (const item of events) {
        const event: ProviderEvent = typeof item === 'string' ? { type: 'text-delta', delta: item } : item;
        if (event.type === 'usage') sawUsage = true;
        if (event.type === 'finish') {
          if (!sawUsage) yield { type: 'usage', usage: defaultUsage };
          finished = true;
        }
        yield event;
        if (finished) return;
      }
      if (!sawUsage) yield { type: 'usage', usage: defaultUsage };
      yield { type: 'finish', finishReason: 'stop', model: request.model };
    } finally {
      call.aborted = context.signal.aborted;
    }
  }

  const provider: RecordingMockProvider = {
    specificationVersion: 'v1',
    id: options.id ?? 'recording',
    execute,
    async health() {
      return options.health ?? { status: 'ok', configured: true };
    },
    get calls() {
      return calls;
    },
    reset() {
      calls.length = 0;
      executeCount = 0;
      streamCount = 0;
    },
    ...(streamReplies === undefined ? {} : { stream }),
  };
  return provider;
}
