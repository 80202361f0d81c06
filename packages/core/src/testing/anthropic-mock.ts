import type { ProviderMock, ProviderMockOptions, RecordedRequest } from './mock-reply';
import {
  type AnswerMockReply,
  argsTextOf,
  argumentFragments,
  chunkDelay,
  contentText,
  createProviderMock,
  type Frame,
  type MockDialect,
  type ResolvedUsage,
  splitEvery,
  splitWords,
  toolCallChunks,
} from './provider-mock';

/** Options for {@link createAnthropicMock}. */
export interface AnthropicMockOptions extends ProviderMockOptions {
  /**
   * The base URL the client calls (match the provider's `baseURL`).
   * @default 'https://api.anthropic.com'
   */
  baseURL?: string;
}

const ERROR_TYPES: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

interface MessagesBody {
  model?: unknown;
  tool_choice?: { type?: unknown; name?: unknown };
  tools?: { name?: unknown }[];
}

function requestedModel(request: RecordedRequest): string {
  const model = (request.body as MessagesBody | undefined)?.model;
  return typeof model === 'string' ? model : 'claude-sonnet-4-5';
}

/**
 * The tool an object reply answers with: the forced tool, else the first tool (Agentry's
 * Anthropic provider lists its structured-output tool first when the agent also has tools).
 */
function toolName(request: RecordedRequest): string {
  const body = request.body as MessagesBody | undefined;
  const forced = body?.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
  const first = body?.tools?.[0]?.name;
  return typeof forced === 'string' ? forced : typeof first === 'string' ? first : 'output';
}

/** Anthropic counts cached input apart from `input_tokens`. */
function usageBody(usage: ResolvedUsage) {
  return {
    input_tokens: usage.inputTokens - usage.cachedInputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
    service_tier: 'standard',
  };
}

function textOf(reply: Exclude<AnswerMockReply, { type: 'object' }>): string {
  if (reply.type === 'tool-calls') return reply.text ?? '';
  const text = reply.type === 'refusal' ? reply.refusal : reply.text;
  return typeof text === 'string' ? text : text.join('');
}

/** The default `stop_reason`: `tool_use` for tool calls and the forced tool, `refusal` for a refusal, else `end_turn`. */
function stopReasonOf(reply: AnswerMockReply): string {
  if (reply.type === 'object' || reply.type === 'tool-calls') return 'tool_use';
  return reply.type === 'refusal' ? 'refusal' : 'end_turn';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const toolUseId = (request: RecordedRequest, index: number) => `toolu_mock_${request.index}_${index + 1}`;

/** A call's `input` in a JSON body, where the real API always sends an object. */
function inputOf(call: Extract<AnswerMockReply, { type: 'tool-calls' }>['toolCalls'][number]): unknown {
  const text = argsTextOf(call);
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new TypeError(
      `Agentry test mock: tool call "${call.name}" has argsText that is not JSON. Anthropic's JSON answers always carry an object input; script invalid arguments on a streamed request.`,
    );
  }
}

/** The content blocks of a tool-calls reply: its text (when any), then one `tool_use` block per call. */
function toolCallBlocks(reply: Extract<AnswerMockReply, { type: 'tool-calls' }>, request: RecordedRequest) {
  const text = reply.text ? [{ type: 'text', text: reply.text }] : [];
  const calls = reply.toolCalls.map((call, index) => ({
    type: 'tool_use',
    id: call.id ?? toolUseId(request, index),
    name: call.name,
    input: inputOf(call),
  }));
  return [...text, ...calls];
}

type EventFrame = (name: string, payload: unknown, delayMs?: number) => Frame;

/**
 * A tool-calls reply as the real API streams it: a text block when there is text, then per call a
 * `tool_use` block opened with `input: {}`, an empty `input_json_delta`, the argument fragments
 * and `content_block_stop` (left out after the last call when `truncate` cuts the stream).
 */
function toolCallFrames(
  reply: Extract<AnswerMockReply, { type: 'tool-calls' }>,
  request: RecordedRequest,
  event: EventFrame,
): Frame[] {
  const frames: Frame[] = [];
  let chunk = 0;
  const next = () => chunkDelay(reply.chunkDelayMs, chunk++);
  const delta = (index: number, payload: unknown, delayMs = 0) =>
    event('content_block_delta', { type: 'content_block_delta', index, delta: payload }, delayMs);
  const stop = (index: number) => event('content_block_stop', { type: 'content_block_stop', index });
  let block = 0;
  const words = splitWords(reply.text ?? '');
  if (words.length > 0) {
    frames.push(
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    );
    for (const word of words) frames.push(delta(0, { type: 'text_delta', text: word }, next()));
    frames.push(stop(0));
    block = 1;
  }
  reply.toolCalls.forEach((call, position) => {
    const index = block + position;
    frames.push(
      event('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id ?? toolUseId(request, position), name: call.name, input: {} },
      }),
      delta(index, { type: 'input_json_delta', partial_json: '' }),
    );
    for (const fragment of argumentFragments(call)) {
      frames.push(delta(index, { type: 'input_json_delta', partial_json: fragment }, next()));
    }
    if (!reply.truncate || position < reply.toolCalls.length - 1) frames.push(stop(index));
  });
  return frames;
}

const anthropicDialect = (baseURL: string): MockDialect => ({
  completionUrl: `${baseURL}/v1/messages`,
  modelsUrl: `${baseURL}/v1/models`,
  requestIdHeader: 'request-id',
  chunksOf(reply: AnswerMockReply) {
    if (reply.type === 'object') return splitEvery(JSON.stringify(reply.object), 12);
    if (reply.type === 'tool-calls') return toolCallChunks(reply);
    const text = reply.type === 'refusal' ? reply.refusal : reply.text;
    return typeof text === 'string' ? splitWords(text) : [...text];
  },
  answerJson(reply, request, usage) {
    const content =
      reply.type === 'object'
        ? [{ type: 'tool_use', id: `toolu_mock_${request.index}`, name: toolName(request), input: reply.object }]
        : reply.type === 'tool-calls'
          ? toolCallBlocks(reply, request)
          : [{ type: 'text', text: textOf(reply) }];
    return {
      id: `msg_mock_${request.index}`,
      type: 'message',
      role: 'assistant',
      model: reply.model ?? requestedModel(request),
      content,
      stop_reason: reply.finishReason ?? stopReasonOf(reply),
      stop_sequence: null,
      ...(reply.usage === null ? {} : { usage: usageBody(usage) }),
    };
  },
  answerFrames(reply, request, usage, chunks) {
    const event = (name: string, payload: unknown, delayMs = 0): Frame => ({
      text: `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`,
      delayMs,
    });
    const startUsage = { ...usageBody(usage), output_tokens: 1 };
    const messageStart = event('message_start', {
      type: 'message_start',
      message: {
        id: `msg_mock_${request.index}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? requestedModel(request),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        ...(reply.usage === null ? {} : { usage: startUsage }),
      },
    });
    const messageEnd = [
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: reply.finishReason ?? stopReasonOf(reply), stop_sequence: null },
        ...(reply.usage === null ? {} : { usage: { output_tokens: usage.outputTokens } }),
      }),
      event('message_stop', { type: 'message_stop' }),
    ];
    if (reply.type === 'tool-calls') {
      const calls = toolCallFrames(reply, request, event);
      return [messageStart, event('ping', { type: 'ping' }), ...calls, ...(reply.truncate ? [] : messageEnd)];
    }
    const frames: Frame[] = [
      messageStart,
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block:
          reply.type === 'object'
            ? { type: 'tool_use', id: `toolu_mock_${request.index}`, name: toolName(request), input: {} }
            : { type: 'text', text: '' },
      }),
      event('ping', { type: 'ping' }),
    ];
    if (reply.type === 'object') {
      // The real API opens a tool's input with an empty fragment.
      frames.push(
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '' },
        }),
      );
    }
    chunks.forEach((chunk, index) => {
      const delta =
        reply.type === 'object'
          ? { type: 'input_json_delta', partial_json: chunk }
          : { type: 'text_delta', text: chunk };
      frames.push(
        event(
          'content_block_delta',
          { type: 'content_block_delta', index: 0, delta },
          chunkDelay(reply.chunkDelayMs, index),
        ),
      );
    });
    if (reply.truncate) return frames;
    frames.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }), ...messageEnd);
    return frames;
  },
  readToolUse(body) {
    const request = isRecord(body) ? body : {};
    const tools = (Array.isArray(request.tools) ? request.tools : []).flatMap((tool: unknown) =>
      isRecord(tool) && typeof tool.name === 'string' ? [tool.name] : [],
    );
    const toolResults = (Array.isArray(request.messages) ? request.messages : []).flatMap((message: unknown) => {
      const content = isRecord(message) && Array.isArray(message.content) ? message.content : [];
      return content.flatMap((block: unknown) =>
        isRecord(block) && block.type === 'tool_result'
          ? [
              {
                toolCallId: String(block.tool_use_id ?? ''),
                content: contentText(block.content),
                isError: block.is_error === true,
              },
            ]
          : [],
      );
    });
    return { tools, toolResults };
  },
  errorBody(reply, requestId) {
    const defaults = ERROR_TYPES[reply.status] ?? {
      type: reply.status >= 500 ? 'api_error' : 'invalid_request_error',
      message: `HTTP ${reply.status}`,
    };
    return {
      type: 'error',
      error: { type: reply.errorType ?? defaults.type, message: reply.message ?? defaults.message },
      request_id: requestId,
    };
  },
  modelsBody() {
    return {
      data: [
        {
          type: 'model',
          id: 'claude-sonnet-4-5',
          display_name: 'Claude Sonnet 4.5',
          created_at: '2025-09-29T00:00:00Z',
        },
      ],
      has_more: false,
      first_id: 'claude-sonnet-4-5',
      last_id: 'claude-sonnet-4-5',
    };
  },
});

/**
 * Imitates the Anthropic Messages API (`POST /v1/messages`, `GET /v1/models`) with msw, in the
 * shapes the real API sends: JSON messages, SSE streams (`message_start`, `content_block_*`,
 * `ping`, `message_delta` with usage, `message_stop`), `tool_use` answers for structured output,
 * and error bodies with headers (`retry-after`, 529 `overloaded_error`).
 *
 * @example
 * const anthropic = createAnthropicMock({ replies: [{ type: 'error', status: 529 }, { type: 'text', text: 'Hi' }] });
 * const server = setupServer(...anthropic.handlers);
 */
export function createAnthropicMock(options: AnthropicMockOptions = {}): ProviderMock {
  const baseURL = (options.baseURL ?? 'https://api.anthropic.com').replace(/\/+$/, '');
  return createProviderMock(anthropicDialect(baseURL), options);
}

/** Shorthand for `createAnthropicMock(options).handlers`. */
export function anthropicHandlers(options: AnthropicMockOptions = {}): ProviderMock['handlers'] {
  return createAnthropicMock(options).handlers;
}
