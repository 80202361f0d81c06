import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { AgentryError } from '../../errors';
import type { Secret } from '../../logging';
import { mapFinishReason } from '../shared/finish-reason';
import { sdkClientOptions, sdkProviderSetup } from '../shared/sdk-provider';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from '../types';
import { settleAnswer } from './openai-answer';
import { errorFromBody, OPENAI_SERVER, toOpenAIError } from './openai-errors';
import { type PreparedSchema, prepareSchema } from './openai-request';
import { streamOpenAICompletion } from './openai-stream';
import { readToolCalls, toOpenAIMessages, toOpenAITools } from './openai-tools';
import { readOpenAIUsage } from './openai-usage';

/** Options for {@link openaiProvider}. Give `apiKey` (or set `OPENAI_API_KEY`), or a ready `client`. */
export interface OpenAIProviderOptions {
  /**
   * A ready `openai` client. Agentry still turns its retries off per request
   * (`maxRetries: 0`) and passes its own abort signal, so nothing stacks.
   * @default a client built from the options below
   */
  client?: OpenAI;
  /**
   * The API key, held in a {@link Secret} and revealed only to build the client.
   * @default process.env.OPENAI_API_KEY (read when the provider is created, on Node only)
   * @example openaiProvider({ apiKey: process.env.OPENAI_API_KEY })
   */
  apiKey?: string | Secret;
  /**
   * Base URL of the Chat Completions API. Point it at any OpenAI-compatible server
   * (vLLM, Ollama, LM Studio, a gateway).
   * @default 'https://api.openai.com/v1'
   * @example 'http://127.0.0.1:11434/v1'
   */
  baseURL?: string;
  /** OpenAI organization id, sent as `OpenAI-Organization`. @default undefined */
  organization?: string;
  /** OpenAI project id, sent as `OpenAI-Project`. @default undefined */
  project?: string;
  /** Headers sent with every request (e.g. a gateway's routing header). @default {} */
  defaultHeaders?: Record<string, string>;
  /** A `fetch` implementation for the SDK. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The provider id used in metrics, logs and errors. @default 'openai' */
  id?: string;
  /**
   * How error and health messages name this server. Set it when the base URL's host should not
   * appear in messages (an internal host), or to use a friendlier name.
   * @default 'OpenAI' for api.openai.com, else the base URL's host (e.g. 'api.groq.com')
   * @example openaiProvider({ baseURL: 'https://openrouter.ai/api/v1', name: 'OpenRouter' })
   */
  name?: string;
  /**
   * The SDK's own per-request timeout. Agentry's executor enforces the real timeouts
   * (`limits.timeoutMs`) through the abort signal; this is only a backstop.
   * @default 600_000
   */
  clientTimeoutMs?: number;
  /**
   * Which parameter carries the agent's `maxOutputTokens`. OpenAI's reasoning models accept only
   * `max_completion_tokens`; some older OpenAI-compatible servers accept only `max_tokens`.
   * @default 'max_completion_tokens'
   */
  maxTokensParameter?: 'max_completion_tokens' | 'max_tokens';
  /** Ask for usage at the end of streams (`stream_options.include_usage`). @default true */
  streamUsage?: boolean;
  /**
   * Structured output's `strict` flag. `'auto'` turns it on when the schema meets strict mode's
   * rules (every object closed, every property required), else off. @default 'auto'
   */
  strictOutput?: boolean | 'auto';
  /**
   * The `strict` flag of each tool's function definition. `'auto'` turns it on for a tool whose
   * input schema meets strict mode's rules (every object closed, every property required), else
   * off, so the server checks the arguments where it can. @default 'auto'
   */
  strictTools?: boolean | 'auto';
  /** Bound on `health()`'s `GET /models` check. @default 2000 */
  healthTimeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The OpenAI provider: Chat Completions through the official `openai` SDK, so it also
 * works with OpenAI-compatible servers through `baseURL`. Streaming reports usage;
 * agents with an output schema get structured output (`response_format: json_schema`); agents
 * with tools get function tools, and the model's calls come back as `toolCalls` (streamed
 * argument fragments joined per call), also together with structured output.
 * The SDK's retries are off: the executor's one retry and timeout policy governs.
 *
 * @example
 * const executor = createExecutor({ agents, providers: { openai: openaiProvider({ apiKey: process.env.OPENAI_API_KEY }) } });
 */
export function openaiProvider(options: OpenAIProviderOptions = {}): ProviderAdapter {
  const { id, secrets, redactor, configured, server, getClient, health } = sdkProviderSetup<OpenAI>({
    ...options,
    id: options.id ?? 'openai',
    vendor: {
      label: 'OpenAI',
      environmentKey: 'OPENAI_API_KEY',
      factory: 'openaiProvider',
      defaultBaseURL: DEFAULT_BASE_URL,
      server: OPENAI_SERVER,
    },
    createClient: (apiKey, baseURL) =>
      new OpenAI({
        apiKey,
        baseURL,
        organization: options.organization ?? null,
        project: options.project ?? null,
        ...sdkClientOptions(options),
      }),
  });
  const maxTokensParameter = options.maxTokensParameter ?? 'max_completion_tokens';
  const streamUsage = options.streamUsage ?? true;
  const strictOutput = options.strictOutput ?? 'auto';
  const strictTools = options.strictTools ?? 'auto';

  function baseParams(request: ProviderRequest, prepared: PreparedSchema | undefined) {
    const params: Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> = {
      model: request.model,
      messages: toOpenAIMessages(request),
    };
    if (request.tools && request.tools.length > 0) params.tools = toOpenAITools(request.tools, strictTools);
    if (request.maxOutputTokens !== undefined) params[maxTokensParameter] = request.maxOutputTokens;
    if (request.temperature !== undefined) params.temperature = request.temperature;
    if (prepared) {
      params.response_format = {
        type: 'json_schema',
        json_schema: {
          name: prepared.name,
          schema: prepared.schema,
          strict: strictOutput === 'auto' ? prepared.strictCompatible : strictOutput,
        },
      };
    }
    return params;
  }

  async function execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse> {
    const openai = getClient();
    const prepared = request.outputSchema ? prepareSchema(request.outputSchema) : undefined;
    let requestId: string | undefined;
    const errorContext = () => ({
      signal: context.signal,
      redactor,
      provider: id,
      requestId,
      logger: context.logger,
      server,
    });
    try {
      const params: ChatCompletionCreateParamsNonStreaming = { ...baseParams(request, prepared), stream: false };
      const answer = await openai.chat.completions
        .create(params, { signal: context.signal, maxRetries: 0 })
        .withResponse();
      requestId = answer.request_id ?? undefined;
      const data = answer.data as typeof answer.data & { error?: unknown };
      // A compatible server (OpenRouter) can answer 200 with an error object instead of a completion.
      if (data.error !== undefined && data.error !== null) throw errorFromBody(data, 'body', errorContext());
      const choice = data.choices?.[0] as (NonNullable<typeof data.choices>[number] & { error?: unknown }) | undefined;
      if (!choice) {
        throw new AgentryError('provider_error', `${server.name} answered without any choice.`, {
          provider: id,
          retryable: true,
          ...(requestId ? { requestId } : {}),
        });
      }
      const base = { provider: id, ...(requestId ? { requestId } : {}) };
      const toolCalls = readToolCalls(choice.message, server.name, id);
      const settled = settleAnswer(
        {
          text: typeof choice.message?.content === 'string' ? choice.message.content : '',
          refusal: typeof choice.message?.refusal === 'string' ? choice.message.refusal : '',
          finish: mapFinishReason(choice.finish_reason),
          toolCalls: toolCalls.length,
        },
        { prepared, serverName: server.name, base, redactor },
      );
      const response: ProviderResponse = {
        text: settled.text,
        usage: readOpenAIUsage(data) ?? null,
        finishReason: settled.finishReason,
      };
      if (settled.rawFinishReason !== undefined) response.rawFinishReason = settled.rawFinishReason;
      if (settled.object !== undefined) response.object = settled.object;
      if (toolCalls.length > 0) response.toolCalls = toolCalls;
      if (choice.error !== undefined && choice.error !== null)
        response.error = errorFromBody(choice.error, 'body', errorContext());
      else if (settled.error) response.error = settled.error;
      if (data.model) response.model = data.model;
      if (requestId) response.requestId = requestId;
      return response;
    } catch (error) {
      throw toOpenAIError(error, errorContext());
    }
  }

  async function* stream(request: ProviderRequest, context: ProviderContext): AsyncGenerator<ProviderEvent> {
    const prepared = request.outputSchema ? prepareSchema(request.outputSchema) : undefined;
    yield* streamOpenAICompletion(
      {
        client: getClient(),
        params: {
          ...baseParams(request, prepared),
          stream: true,
          ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
        },
        prepared,
        provider: id,
        server,
        redactor,
      },
      context,
    );
  }

  const checkHealth = health(
    (openai, signal) => openai.models.list({ signal, maxRetries: 0 }),
    (error, signal) => toOpenAIError(error, { signal, redactor, provider: id, server }),
    // Reachable, but this (OpenAI-compatible) server has no GET /models.
    (mapped) =>
      mapped.code === 'provider_error' && /HTTP 404/.test(mapped.message)
        ? 'Reachable, but GET /models is not available.'
        : undefined,
  );

  return {
    specificationVersion: 'v1',
    id,
    capabilities: { tools: true },
    secrets,
    configured,
    execute,
    stream,
    health: checkHealth,
  };
}
