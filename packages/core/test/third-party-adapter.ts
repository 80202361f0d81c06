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
    throw errorFor(response.status, response.headers.get('retry-after'));
  }

  // Map the server's status onto Agentry's codes (the table in docs/providers.md, "Errors"):
  // the executor retries what is marked retryable, and nothing else.
  function errorFor(status: number, retryAfterHeader: string | null): AgentryError {
    const auth = status === 401 || status === 403;
    const code = status === 429 ? 'rate_limited' : auth ? 'provider_auth_failed' : 'provider_error';
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const retryAfter = Number(retryAfterHeader);
    return new AgentryError(code, `The local model server answered ${status}.`, {
      provider: id,
      status,
      retryable,
      ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }

  // A stream that breaks after it started (the connection cut, or no `[DONE]` at the end) is a
  // failed answer, never a short success: the executor keeps the output so far on the record.
  const brokenStream = () =>
    new AgentryError('provider_error', 'The local model server ended the stream early.', {
      provider: id,
      retryable: false,
    });

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
      let ended = false; // `data: [DONE]` seen
      while (!ended) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          if (context.signal.aborted) throw error; // cancel and timeouts: the executor knows why
          throw brokenStream();
        }
        if (chunk.done) throw brokenStream();
        buffer += decoder.decode(chunk.value, { stream: true });
        const frames = buffer.split('\n\n');
        buffer = frames.pop() ?? '';
        for (const frame of frames) {
          const data = frame.replace(/^data: /, '').trim();
          if (data === '') continue;
          if (data === '[DONE]') {
            ended = true;
            break;
          }
          const parsed = JSON.parse(data);
          // An error inside a 200 stream goes through the same table as an HTTP error.
          if (parsed.error) throw errorFor(Number(parsed.error.code) || 500, null);
          const choice = parsed.choices?.[0];
          if (choice?.delta?.content) yield { type: 'text-delta', delta: choice.delta.content };
          if (choice?.finish_reason) finishReason = finishOf(choice.finish_reason);
          const usage = usageOf(parsed.usage);
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
