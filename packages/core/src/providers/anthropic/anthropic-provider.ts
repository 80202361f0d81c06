import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
  MessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { AnyAgent } from '../../agent';
import { AgentryError } from '../../errors';
import { boundedSignal } from '../../internal/bounded-signal';
import { readEnvironment } from '../../internal/read-environment';
import { createRedactor, type Logger, type Redactor, type Secret, toSecret } from '../../logging';
import type {
  FinishReason,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderHealth,
  ProviderRequest,
  ProviderResponse,
} from '../types';
import { toAnthropicError } from './anthropic-errors';
import {
  mapAnthropicUsage,
  mapStopReason,
  mergeUsage,
  type OutputTool,
  parseToolJson,
  prepareOutputTool,
  readToolInput,
} from './anthropic-request';

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

/** Stream events Agentry reads; anything else (ping, thinking, server tools, new types) is skipped. */
interface StreamEvent {
  type: string;
  index?: number;
  message?: { model?: string; usage?: Parameters<typeof mergeUsage>[1] };
  content_block?: { type?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: Parameters<typeof mergeUsage>[1];
}

/**
 * The Anthropic provider: the Messages API through the official `@anthropic-ai/sdk`. System
 * messages go to `system`; streams map to text deltas, usage and finish; agents with an output
 * schema get structured output through a forced tool whose input is the answer. The SDK's
 * retries are off: the executor's one retry and timeout policy governs.
 *
 * @example
 * createExecutor({ agents, providers: { anthropic: anthropicProvider({ apiKey: process.env.ANTHROPIC_API_KEY }) } });
 */
export function anthropicProvider(options: AnthropicProviderOptions = {}): ProviderAdapter {
  const id = options.id ?? 'anthropic';
  const apiKey = toSecret(options.apiKey ?? (options.client ? undefined : readEnvironment('ANTHROPIC_API_KEY')));
  const clientKey =
    options.client && typeof options.client.apiKey === 'string' ? toSecret(options.client.apiKey) : undefined;
  const secrets: Secret[] = [apiKey, clientKey].filter((secret): secret is Secret => secret !== undefined);
  const redactor: Redactor = createRedactor(secrets);
  const configured = options.client !== undefined || apiKey !== undefined;
  const defaultMaxTokens = options.defaultMaxTokens ?? 1024;
  const healthTimeoutMs = options.healthTimeoutMs ?? 2000;
  let client: Anthropic | undefined = options.client;

  function getClient(): Anthropic {
    if (client) return client;
    if (!apiKey) {
      throw new AgentryError(
        'provider_not_configured',
        'The Anthropic provider has no API key. Set ANTHROPIC_API_KEY or pass anthropicProvider({ apiKey }) or a client.',
        { provider: id },
      );
    }
    // Built on first use, so a fetch interceptor installed later still applies. The base URL is
    // always explicit so ANTHROPIC_BASE_URL cannot redirect requests behind the host's back.
    client = new Anthropic({
      apiKey: apiKey.reveal(),
      baseURL: options.baseURL ?? DEFAULT_BASE_URL,
      maxRetries: 0,
      timeout: options.clientTimeoutMs ?? 600_000,
      logLevel: 'off',
      ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return client;
  }

  function baseParams(request: ProviderRequest, tool: OutputTool | undefined) {
    if (request.temperature !== undefined) {
      // The SDK's API version (2026-10-21) rejects sampling parameters on every model; say so
      // rather than drop the setting silently.
      throw new AgentryError(
        'provider_error',
        `Agent "${request.agent.id}" sets model.temperature, which the Anthropic Messages API no longer accepts. Remove it from the agent's model settings.`,
        { provider: id, retryable: false },
      );
    }
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n');
    const messages: MessageParam[] = request.messages
      .filter((message) => message.role !== 'system')
      .map((message) => ({ role: message.role as 'user' | 'assistant', content: message.content }));
    const params: Omit<MessageCreateParamsNonStreaming, 'stream'> = {
      model: request.model,
      max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
      messages,
    };
    if (system !== '') params.system = system;
    if (tool) {
      params.tools = [
        {
          name: tool.name,
          description: 'Record the answer. Call this tool exactly once with the complete answer as its input.',
          input_schema: tool.inputSchema,
        },
      ];
      params.tool_choice = { type: 'tool', name: tool.name };
    }
    return params;
  }

  function error(thrown: unknown, signal: AbortSignal, requestId?: string, logger?: Logger): AgentryError {
    return toAnthropicError(thrown, { signal, redactor, provider: id, requestId, logger });
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
      const response: ProviderResponse = {
        text: '',
        usage: mapAnthropicUsage(mergeUsage({}, data.usage)),
        finishReason: mapStopReason(data.stop_reason, tool !== undefined),
      };
      if (tool) {
        const block = data.content.find((item) => item.type === 'tool_use' && item.name === tool.name);
        if (block?.type !== 'tool_use') {
          throw new AgentryError(
            'output_invalid',
            `Claude did not call the output tool (stop_reason: ${String(data.stop_reason)}).`,
            { provider: id, ...(requestId ? { requestId } : {}) },
          );
        }
        response.object = readToolInput(block.input, tool, id);
        response.text = JSON.stringify(response.object);
      } else {
        response.text = data.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('');
      }
      if (data.model) response.model = data.model;
      if (requestId) response.requestId = requestId;
      return response;
    } catch (thrown) {
      throw error(thrown, context.signal, requestId, context.logger);
    }
  }

  async function* stream(request: ProviderRequest, context: ProviderContext): AsyncGenerator<ProviderEvent> {
    const anthropic = getClient();
    const tool = request.outputSchema ? prepareOutputTool(request.outputSchema) : undefined;
    let requestId: string | undefined;
    let model: string | undefined;
    let stopReason: string | null | undefined;
    let stopped = false;
    let usage: Parameters<typeof mergeUsage>[0] = {};
    let toolIndex: number | undefined;
    let toolJson = '';
    const textIndexes = new Set<number>();
    try {
      const params: MessageCreateParamsStreaming = { ...baseParams(request, tool), stream: true };
      const response = await anthropic.messages
        .create(params, { signal: context.signal, maxRetries: 0 })
        .withResponse();
      requestId = response.request_id ?? undefined;
      for await (const raw of response.data) {
        const event = raw as unknown as StreamEvent;
        switch (event.type) {
          case 'message_start':
            if (event.message?.model) model = event.message.model;
            usage = mergeUsage(usage, event.message?.usage);
            yield { type: 'usage', usage: mapAnthropicUsage(usage) };
            break;
          case 'content_block_start':
            if (event.index === undefined) break;
            if (event.content_block?.type === 'text') textIndexes.add(event.index);
            if (tool && event.content_block?.type === 'tool_use' && event.content_block.name === tool.name) {
              toolIndex = event.index;
            }
            break;
          case 'content_block_delta': {
            const delta = event.delta;
            if (!tool && delta?.type === 'text_delta' && event.index !== undefined && textIndexes.has(event.index)) {
              if (delta.text) yield { type: 'text-delta', delta: delta.text };
            } else if (tool && delta?.type === 'input_json_delta' && event.index === toolIndex) {
              if (delta.partial_json) {
                toolJson += delta.partial_json;
                yield { type: 'text-delta', delta: delta.partial_json };
              }
            }
            break;
          }
          case 'message_delta':
            if (event.delta?.stop_reason !== undefined) stopReason = event.delta.stop_reason;
            usage = mergeUsage(usage, event.usage);
            yield { type: 'usage', usage: mapAnthropicUsage(usage) };
            break;
          case 'message_stop':
            stopped = true;
            break;
          default:
            // ping, content_block_stop, thinking and server-tool blocks, future event types.
            break;
        }
      }
    } catch (thrown) {
      throw error(thrown, context.signal, requestId, context.logger);
    }
    // The SDK ends a stream quietly when its signal aborts: report that as an abort.
    if (context.signal.aborted) throw error(undefined, context.signal, requestId);
    if (!stopped) {
      throw new AgentryError(
        'provider_error',
        'The Anthropic stream ended before message_stop: the connection was cut or the response altered on the way.',
        { provider: id, retryable: true, ...(requestId ? { requestId } : {}) },
      );
    }
    const finishReason: FinishReason = mapStopReason(stopReason, tool !== undefined);
    const finish: ProviderEvent = { type: 'finish', finishReason };
    if (tool) {
      if (toolIndex === undefined) {
        throw new AgentryError(
          'output_invalid',
          `Claude did not call the output tool (stop_reason: ${String(stopReason)}).`,
          {
            provider: id,
            ...(requestId ? { requestId } : {}),
          },
        );
      }
      finish.object = parseToolJson(toolJson, tool, id);
    }
    if (model) finish.model = model;
    if (requestId) finish.requestId = requestId;
    yield finish;
  }

  async function health(context: { signal: AbortSignal }): Promise<ProviderHealth> {
    if (!configured) {
      return {
        status: 'unconfigured',
        configured: false,
        message: 'No Anthropic API key: set ANTHROPIC_API_KEY or pass anthropicProvider({ apiKey }).',
      };
    }
    const bounded = boundedSignal(context.signal, healthTimeoutMs, 'health check timed out');
    const started = performance.now();
    try {
      await getClient().models.list({ limit: 1 }, { signal: bounded.signal, maxRetries: 0 });
      return { status: 'ok', configured: true, latencyMs: Math.round(performance.now() - started) };
    } catch (thrown) {
      const latencyMs = Math.round(performance.now() - started);
      if (bounded.signal.aborted) {
        return {
          status: 'down',
          configured: true,
          latencyMs,
          message: `Anthropic did not answer within ${healthTimeoutMs} ms.`,
        };
      }
      return { status: 'down', configured: true, latencyMs, message: error(thrown, bounded.signal).message };
    } finally {
      bounded.dispose();
    }
  }

  function checkAgent(agent: AnyAgent): string | undefined {
    return agent.model?.temperature === undefined
      ? undefined
      : `Agent "${agent.id}" sets model.temperature, which the Anthropic Messages API version this SDK speaks does not accept. Remove it from the agent's model settings.`;
  }

  return { id, secrets, configured, checkAgent, execute, stream, health };
}
