import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { AnyAgent } from '../../agent';
import { AgentryError } from '../../errors';
import type { Logger, Secret } from '../../logging';
import { sdkClientOptions, sdkProviderSetup } from '../shared/sdk-provider';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from '../types';
import { settleClaudeAnswer } from './anthropic-answer';
import { ANTHROPIC_SERVER, toAnthropicError } from './anthropic-errors';
import { mapAnthropicUsage, mergeUsage, type OutputTool, prepareOutputTool, readToolInput } from './anthropic-request';
import { streamAnthropicMessage } from './anthropic-stream';
import { readToolUseBlocks, toAnthropicMessages, toAnthropicTools } from './anthropic-tools';

/** Options for {@link anthropicProvider}. Give `apiKey` (or set `ANTHROPIC_API_KEY`), or a ready `client`. */
export interface AnthropicProviderOptions {
  /**
   * A ready `@anthropic-ai/sdk` client. Agentry still turns its retries off per request
   * (`maxRetries: 0`) and passes its own abort signal, so nothing stacks.
   * @default a client built from the options below
   */
  client?: Anthropic;
  /**
   * The API key, held in a {@link Secret} and revealed only to build the client.
   * @default process.env.ANTHROPIC_API_KEY (read when the provider is created, on Node only)
   */
  apiKey?: string | Secret;
  /** Base URL of the API (a proxy or gateway). @default 'https://api.anthropic.com' */
  baseURL?: string;
  /** Headers sent with every request (e.g. `anthropic-beta`). @default {} */
  defaultHeaders?: Record<string, string>;
  /** A `fetch` implementation for the SDK. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The provider id used in metrics, logs and errors. @default 'anthropic' */
  id?: string;
  /**
   * How error and health messages name this server. Set it when the base URL's host should not
   * appear in messages (an internal gateway), or to use a friendlier name.
   * @default 'Anthropic' for api.anthropic.com, else the base URL's host
   */
  name?: string;
  /**
   * `max_tokens` when the agent sets no `maxOutputTokens` (Anthropic requires one).
   * @default 1024
   */
  defaultMaxTokens?: number;
  /**
   * The SDK's own per-request timeout. The executor enforces the real timeouts through the
   * abort signal; this is only a backstop.
   * @default 600_000
   */
  clientTimeoutMs?: number;
  /** Bound on `health()`'s `GET /v1/models` check. @default 2000 */
  healthTimeoutMs?: number;
}

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * The Anthropic provider: the Messages API through the official `@anthropic-ai/sdk`. System
 * messages go to `system`; streams map to text deltas, usage and finish; agents with an output
 * schema get structured output through a forced tool whose input is the answer. Agents with tools
 * get them as client tools: `tool_use` blocks come back as `toolCalls` (streamed
 * `input_json_delta` fragments joined per block), tool results go back as `tool_result` blocks;
 * with an output schema too, the model must call a tool each step, the output tool last. The SDK's
 * retries are off: the executor's one retry and timeout policy governs.
 *
 * @example
 * createExecutor({ agents, providers: { anthropic: anthropicProvider({ apiKey: process.env.ANTHROPIC_API_KEY }) } });
 */
export function anthropicProvider(options: AnthropicProviderOptions = {}): ProviderAdapter {
  const { id, secrets, redactor, configured, server, getClient, health } = sdkProviderSetup<Anthropic>({
    ...options,
    id: options.id ?? 'anthropic',
    vendor: {
      label: 'Anthropic',
      environmentKey: 'ANTHROPIC_API_KEY',
      factory: 'anthropicProvider',
      defaultBaseURL: DEFAULT_BASE_URL,
      server: ANTHROPIC_SERVER,
    },
    createClient: (apiKey, baseURL) =>
      new Anthropic({
        apiKey,
        baseURL,
        ...sdkClientOptions(options),
      }),
  });
  const defaultMaxTokens = options.defaultMaxTokens ?? 1024;

  function baseParams(request: ProviderRequest, tool: OutputTool | undefined) {
    if (request.temperature !== undefined) {
      // The SDK's API version (2026-10-21) rejects sampling parameters on every model; say so
      // rather than drop the setting silently.
      throw new AgentryError(
        'provider_error',
        `Agent "${request.agentId}" sets model.temperature, which the Anthropic Messages API no longer accepts. Remove it from the agent's model settings.`,
        { provider: id, retryable: false },
      );
    }
    const { system, messages } = toAnthropicMessages(request.messages);
    const params: Omit<MessageCreateParamsNonStreaming, 'stream'> = {
      model: request.model,
      max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
      messages,
    };
    if (system !== '') params.system = system;
    const tools = request.tools && request.tools.length > 0 ? toAnthropicTools(request.tools) : [];
    if (tool && tools.some((candidate) => candidate.name === tool.name)) {
      throw new AgentryError(
        'provider_error',
        `Agent "${request.agentId}" has a tool named "${tool.name}", the name its structured output is sent under. Rename the tool.`,
        { provider: id, retryable: false },
      );
    }
    if (tool) {
      // Listed first: with the agent's tools beside it, the model must call one of them
      // (`any`), and calling this one is its final answer.
      const output = {
        name: tool.name,
        description: 'Record the answer. Call this tool exactly once with the complete answer as its input.',
        input_schema: tool.inputSchema,
      };
      params.tools = [output, ...tools];
      params.tool_choice = tools.length > 0 ? { type: 'any' } : { type: 'tool', name: tool.name };
    } else if (tools.length > 0) {
      params.tools = tools;
    }
    return params;
  }

  function error(thrown: unknown, signal: AbortSignal, requestId?: string, logger?: Logger): AgentryError {
    return toAnthropicError(thrown, { signal, redactor, provider: id, requestId, logger, server });
  }

  async function execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse> {
    const anthropic = getClient();
    const tool = request.outputSchema ? prepareOutputTool(request.outputSchema) : undefined;
    let requestId: string | undefined;
    try {
      const params: MessageCreateParamsNonStreaming = { ...baseParams(request, tool), stream: false };
      const { data, request_id } = await anthropic.messages
        .create(params, { signal: context.signal, maxRetries: 0 })
        .withResponse();
      requestId = request_id ?? undefined;
      const content = Array.isArray(data.content) ? data.content : [];
      const block = tool ? content.find((item) => item.type === 'tool_use' && item.name === tool.name) : undefined;
      const toolCalls = readToolUseBlocks(content, tool?.name, server.name, id);
      const settled = settleClaudeAnswer(
        {
          stopReason: data.stop_reason,
          toolCalls: toolCalls.length,
          text: content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join(''),
          tool,
          readTool: tool && block?.type === 'tool_use' ? () => readToolInput(block.input, tool, id) : undefined,
        },
        { serverName: server.name, base: { provider: id, ...(requestId ? { requestId } : {}) }, redactor },
      );
      const response: ProviderResponse = {
        text: settled.text,
        usage: mapAnthropicUsage(mergeUsage({}, data.usage)) ?? null,
        finishReason: settled.finishReason,
      };
      if (settled.rawFinishReason !== undefined) response.rawFinishReason = settled.rawFinishReason;
      if (settled.object !== undefined) response.object = settled.object;
      if (toolCalls.length > 0) response.toolCalls = toolCalls;
      if (settled.error) response.error = settled.error;
      if (data.model) response.model = data.model;
      if (requestId) response.requestId = requestId;
      return response;
    } catch (thrown) {
      throw error(thrown, context.signal, requestId, context.logger);
    }
  }

  async function* stream(request: ProviderRequest, context: ProviderContext): AsyncGenerator<ProviderEvent> {
    const tool = request.outputSchema ? prepareOutputTool(request.outputSchema) : undefined;
    yield* streamAnthropicMessage(
      {
        client: getClient(),
        params: { ...baseParams(request, tool), stream: true },
        tool,
        provider: id,
        server,
        redactor,
      },
      context,
    );
  }

  const checkHealth = health(
    (anthropic, signal) => anthropic.models.list({ limit: 1 }, { signal, maxRetries: 0 }),
    (thrown, signal) => error(thrown, signal),
  );

  function checkAgent(agent: AnyAgent): string | undefined {
    return agent.model?.temperature === undefined
      ? undefined
      : `Agent "${agent.id}" sets model.temperature, which the Anthropic Messages API version this SDK speaks does not accept. Remove it from the agent's model settings.`;
  }

  return {
    specificationVersion: 'v1',
    id,
    capabilities: { tools: true },
    secrets,
    configured,
    checkAgent,
    execute,
    stream,
    health: checkHealth,
  };
}
