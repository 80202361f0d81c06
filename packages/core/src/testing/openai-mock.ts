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

/** Options for {@link createOpenAIMock}. */
export interface OpenAIMockOptions extends ProviderMockOptions {
  /**
   * The base URL the client calls (match the provider's `baseURL`).
   * @default 'https://api.openai.com/v1'
   */
  baseURL?: string;
}

const CREATED = 1_735_689_600; // 2025-01-01: fixed so bodies are deterministic

const ERROR_DEFAULTS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  408: { type: 'server_error', code: null, message: 'Request timed out.' },
  409: { type: 'server_error', code: null, message: 'Conflict.' },
  422: { type: 'invalid_request_error', code: null, message: 'Unprocessable entity.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

function requestedModel(request: RecordedRequest): string {
  const model = (request.body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : 'gpt-4.1-mini';
}

function usageBody(usage: ResolvedUsage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function contentOf(reply: AnswerMockReply): string {
  if (reply.type === 'object') return JSON.stringify(reply.object);
  if (reply.type === 'tool-calls') return reply.text ?? '';
  const text = reply.type === 'refusal' ? reply.refusal : reply.text;
  return typeof text === 'string' ? text : text.join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const callId = (request: RecordedRequest, index: number) => `call_mock_${request.index}_${index + 1}`;

/** The `tool_calls` of a complete message. */
function toolCallsOf(reply: AnswerMockReply, request: RecordedRequest) {
  if (reply.type !== 'tool-calls') return undefined;
  return reply.toolCalls.map((call, index) => ({
    id: call.id ?? callId(request, index),
    type: 'function',
    function: { name: call.name, arguments: argsTextOf(call) },
  }));
}

/** The finish reason a reply ends with when the script names none. */
function defaultFinish(reply: AnswerMockReply): string {
  return reply.type === 'tool-calls' ? 'tool_calls' : 'stop';
}

/**
 * A tool-calls reply as the real API streams it: its text as content deltas, then per call one
 * delta with `index`, `id`, `type` and `function.name` (empty `arguments`), then deltas with only
 * the `index` and an argument fragment.
 */
function toolCallFrames(
  reply: Extract<AnswerMockReply, { type: 'tool-calls' }>,
  request: RecordedRequest,
  frame: (payload: unknown, delayMs?: number) => Frame,
  choice: (delta: Record<string, unknown>, finishReason: string | null) => unknown,
): Frame[] {
  const frames: Frame[] = [];
  let chunk = 0;
  const next = () => chunkDelay(reply.chunkDelayMs, chunk++);
  for (const word of splitWords(reply.text ?? '')) frames.push(frame(choice({ content: word }, null), next()));
  reply.toolCalls.forEach((call, index) => {
    const start = {
      index,
      id: call.id ?? callId(request, index),
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    frames.push(frame(choice({ tool_calls: [start] }, null)));
    for (const fragment of argumentFragments(call)) {
      frames.push(frame(choice({ tool_calls: [{ index, function: { arguments: fragment } }] }, null), next()));
    }
  });
  return frames;
}

const openaiDialect = (baseURL: string): MockDialect => ({
  completionUrl: `${baseURL}/chat/completions`,
  modelsUrl: `${baseURL}/models`,
  requestIdHeader: 'x-request-id',
  chunksOf(reply) {
    if (reply.type === 'object') return splitEvery(JSON.stringify(reply.object), 12);
    if (reply.type === 'tool-calls') return toolCallChunks(reply);
    const text = reply.type === 'refusal' ? reply.refusal : reply.text;
    return typeof text === 'string' ? splitWords(text) : [...text];
  },
  answerJson(reply, request, usage) {
    const refused = reply.type === 'refusal';
    const toolCalls = toolCallsOf(reply, request);
    const content = contentOf(reply);
    return {
      id: `chatcmpl-mock-${request.index}`,
      object: 'chat.completion',
      created: CREATED,
      model: reply.model ?? requestedModel(request),
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            // With tool calls and no text, the real API sends `content: null`.
            content: refused || (toolCalls && content === '') ? null : content,
            refusal: refused ? content : null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
            annotations: [],
          },
          logprobs: null,
          finish_reason: reply.finishReason ?? defaultFinish(reply),
        },
      ],
      ...(reply.usage === null ? {} : { usage: usageBody(usage) }),
      service_tier: 'default',
      system_fingerprint: 'fp_agentry_mock',
    };
  },
  answerFrames(reply, request, usage, chunks) {
    // `usage: null` imitates a server that ignores `stream_options.include_usage`.
    const includeUsage =
      reply.usage !== null &&
      (request.body as { stream_options?: { include_usage?: unknown } } | undefined)?.stream_options?.include_usage ===
        true;
    const refused = reply.type === 'refusal';
    const base = {
      id: `chatcmpl-mock-${request.index}`,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: reply.model ?? requestedModel(request),
      service_tier: 'default',
      system_fingerprint: 'fp_agentry_mock',
    };
    const frame = (payload: unknown, delayMs = 0): Frame => ({ text: `data: ${JSON.stringify(payload)}\n\n`, delayMs });
    const choice = (delta: Record<string, unknown>, finishReason: string | null) => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const frames: Frame[] = [
      frame(choice({ role: 'assistant', content: refused ? null : '', refusal: refused ? '' : null }, null)),
    ];
    if (reply.type === 'tool-calls') {
      frames.push(...toolCallFrames(reply, request, frame, choice));
    } else {
      chunks.forEach((chunk, index) => {
        const delta = refused ? { refusal: chunk } : { content: chunk };
        frames.push(frame(choice(delta, null), chunkDelay(reply.chunkDelayMs, index)));
      });
    }
    if (reply.truncate) return frames;
    frames.push(frame(choice({}, reply.finishReason ?? defaultFinish(reply))));
    // The real API sends usage in a last chunk with an empty `choices` array.
    if (includeUsage) frames.push(frame({ ...base, choices: [], usage: usageBody(usage) }));
    frames.push({ text: 'data: [DONE]\n\n', delayMs: 0 });
    return frames;
  },
  readToolUse(body) {
    const request = isRecord(body) ? body : {};
    const tools = (Array.isArray(request.tools) ? request.tools : []).flatMap((tool: unknown) => {
      const name = isRecord(tool) && isRecord(tool.function) ? tool.function.name : undefined;
      return typeof name === 'string' ? [name] : [];
    });
    const toolResults = (Array.isArray(request.messages) ? request.messages : []).flatMap((message: unknown) =>
      isRecord(message) && message.role === 'tool'
        ? [{ toolCallId: String(message.tool_call_id ?? ''), content: contentText(message.content), isError: false }]
        : [],
    );
    return { tools, toolResults };
  },
  errorBody(reply) {
    const defaults = ERROR_DEFAULTS[reply.status] ?? {
      type: reply.status >= 500 ? 'server_error' : 'invalid_request_error',
      code: null,
      message: `HTTP ${reply.status}`,
    };
    return {
      error: {
        message: reply.message ?? defaults.message,
        type: reply.errorType ?? defaults.type,
        param: null,
        code: reply.code === undefined ? defaults.code : reply.code,
      },
    };
  },
  modelsBody() {
    return {
      object: 'list',
      data: [{ id: 'gpt-4.1-mini', object: 'model', created: CREATED, owned_by: 'system' }],
    };
  },
});

/**
 * Imitates the OpenAI Chat Completions API (`POST /chat/completions`, `GET /models`) with msw,
 * in the shapes the real API sends: JSON completions, SSE streams (a usage chunk with
 * `choices: []` before `[DONE]` when `stream_options.include_usage` is set), error bodies with
 * headers. The real `openai` SDK runs against it, so tests exercise the whole HTTP path offline.
 *
 * @example
 * const openai = createOpenAIMock({ replies: [{ type: 'error', status: 429, headers: { 'retry-after': '2' } }, { type: 'text', text: 'Hello there' }] });
 * const server = setupServer(...openai.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 */
export function createOpenAIMock(options: OpenAIMockOptions = {}): ProviderMock {
  const baseURL = (options.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  return createProviderMock(openaiDialect(baseURL), options);
}

/** Shorthand for `createOpenAIMock(options).handlers` when the script is all a test needs. */
export function openaiHandlers(options: OpenAIMockOptions = {}): ProviderMock['handlers'] {
  return createOpenAIMock(options).handlers;
}
