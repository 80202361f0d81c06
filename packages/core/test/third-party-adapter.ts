// A provider adapter written as a third party would write it: from docs/providers.md alone,
// on plain `fetch`, for any OpenAI-compatible Chat Completions server (llama.cpp, vLLM, Ollama,
// LM Studio). docs/providers.md shows this file; third-party-adapter.test.ts runs it.
import { AgentryError, type ProviderAdapter, type ProviderEvent, type ProviderRequest } from '../src/index';

export interface LocalModelOptions {
  /** Where the server's OpenAI-compatible API is mounted. @example 'http://127.0.0.1:8080/v1' */
  baseUrl: string;
  /** The key under which agents name this provider (`model: { provider: 'local' }`). @default 'local' */
  id?: string;
}

export function localModelProvider(options: LocalModelOptions): ProviderAdapter {
  const id = options.id ?? 'local';

  async function post(request: ProviderRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    const body: Record<string, unknown> = { model: request.model, messages: request.messages, stream };
    if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.outputSchema) body.response_format = { type: 'json_schema', json_schema: request.outputSchema };
    if (stream) body.stream_options = { include_usage: true };
    const response = await fetch(`${options.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal, // cancel and timeouts abort the HTTP request
    });
    if (response.ok) return response;
    // Map the server's status onto Agentry's codes: the executor retries what is retryable.
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new AgentryError(
      response.status === 429 ? 'rate_limited' : response.status === 401 ? 'provider_auth_failed' : 'provider_error',
      `The local model server answered ${response.status}.`,
      { provider: id, status: response.status, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) },
    );
  }

  const usageOf = (usage?: { prompt_tokens?: number; completion_tokens?: number }) =>
    usage ? { inputTokens: usage.prompt_tokens ?? null, outputTokens: usage.completion_tokens ?? null } : null;
  const finishOf = (reason: string | null | undefined) => (reason === 'length' ? 'length' : 'stop');

  return {
    specificationVersion: 'v1',
    id,
    async execute(request, context) {
      const response = await post(request, false, context.signal);
      const data = await response.json();
      const choice = data.choices?.[0];
      return {
        text: choice?.message?.content ?? '',
        usage: usageOf(data.usage),
        finishReason: finishOf(choice?.finish_reason),
        model: data.model,
      };
    },
    async *stream(request, context): AsyncGenerator<ProviderEvent> {
      const response = await post(request, true, context.signal);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let finishReason: 'stop' | 'length' = 'stop';
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const frame of frames) {
          const data = frame.replace(/^data: /, '').trim();
          if (data === '' || data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) yield { type: 'text-delta', delta: choice.delta.content };
          if (choice?.finish_reason) finishReason = finishOf(choice.finish_reason);
          const usage = usageOf(chunk.usage);
          if (usage) yield { type: 'usage', usage };
        }
      }
      yield { type: 'finish', finishReason };
    },
    async health({ signal }) {
      const response = await fetch(`${options.baseUrl}/models`, { signal });
      return response.ok
        ? { status: 'ok', configured: true }
        : { status: 'down', configured: true, message: `GET /models answered ${response.status}.` };
    },
  };
}
