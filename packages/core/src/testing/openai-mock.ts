import type { ProviderMock, ProviderMockOptions, RecordedRequest } from './mock-reply';
import {
  type AnswerMockReply,
  chunkDelay,
  createProviderMock,
  type Frame,
  type MockDialect,
  type ResolvedUsage,
  splitEvery,
  splitWords,
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
  const text = reply.type === 'refusal' ? reply.refusal : reply.text;
  return typeof text === 'string' ? text : text.join('');
}

const openaiDialect = (baseURL: string): MockDialect => ({
  completionUrl: `${baseURL}/chat/completions`,
  modelsUrl: `${baseURL}/models`,
  requestIdHeader: 'x-request-id',
  chunksOf(reply) {
    if (reply.type === 'object') return splitEvery(JSON.stringify(reply.object), 12);
    const text = reply.type === 'refusal' ? reply.refusal : reply.text;
    return typeof text === 'string' ? splitWords(text) : [...text];
  },
  answerJson(reply, request, usage) {
    const refused = reply.type === 'refusal';
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
            content: refused ? null : contentOf(reply),
            refusal: refused ? contentOf(reply) : null,
            annotations: [],
          },
          logprobs: null,
          finish_reason: reply.finishReason ?? 'stop',
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
    chunks.forEach((chunk, index) => {
      const delta = refused ? { refusal: chunk } : { content: chunk };
      frames.push(frame(choice(delta, null), chunkDelay(reply.chunkDelayMs, index)));
    });
    if (reply.truncate) return frames;
    frames.push(frame(choice({}, reply.finishReason ?? 'stop')));
    // The real API sends usage in a last chunk with an empty `choices` array.
    if (includeUsage) frames.push(frame({ ...base, choices: [], usage: usageBody(usage) }));
    frames.push({ text: 'data: [DONE]\n\n', delayMs: 0 });
    return frames;
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
