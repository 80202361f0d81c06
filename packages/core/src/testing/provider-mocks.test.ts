// The msw imitations of the OpenAI and Anthropic APIs, checked at the wire with plain fetch:
// the shapes users' tests will see, scripted latency, errors, and what gets recorded.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAnthropicMock, createOpenAIMock } from './index';

const openai = createOpenAIMock();
const anthropic = createAnthropicMock();
const server = setupServer(...openai.handlers, ...anthropic.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  openai.reset();
  anthropic.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

function post(url: string, body: unknown, init: RequestInit = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
    ...init,
  });
}

/** The `data:` payloads of an SSE body, parsed (except `[DONE]`). */
function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return data === '[DONE]' ? '[DONE]' : JSON.parse(data);
    });
}

function sseEvents(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('event: '))
    .map((line) => line.slice(7));
}

describe('createOpenAIMock', () => {
  it('answers a JSON completion and records the request', async () => {
    openai.reply({ type: 'text', text: 'Hi there', usage: { inputTokens: 7, outputTokens: 2, cachedInputTokens: 3 } });
    const response = await post('https://api.openai.com/v1/chat/completions', {
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_mock_1');
    expect(await response.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4.1-nano',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, prompt_tokens_details: { cached_tokens: 3 } },
    });
    expect(openai.requests).toEqual([
      expect.objectContaining({
        index: 1,
        method: 'POST',
        url: 'https://api.openai.com/v1/chat/completions',
        stream: false,
        body: { model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] },
        bodyCompleted: false,
      }),
    ]);
    expect(openai.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('streams the real shape: role chunk, content chunks, finish chunk, usage chunk with choices: [], [DONE]', async () => {
    openai.reply({ type: 'text', text: 'Hello big world', usage: { inputTokens: 4 } });
    const response = await post('https://api.openai.com/v1/chat/completions', {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const chunks = sseData(await response.text()) as Record<string, unknown>[];
    expect(chunks.at(-1)).toBe('[DONE]');
    const usageChunk = chunks.at(-2) as { choices: unknown[]; usage: Record<string, unknown> };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    const deltas = chunks
      .slice(0, -2)
      .map(
        (chunk) => (chunk as { choices: { delta: { content?: string }; finish_reason: string | null }[] }).choices[0],
      );
    expect(deltas[0]?.delta).toMatchObject({ role: 'assistant', content: '' });
    expect(deltas.slice(1, -1).map((choice) => choice?.delta.content)).toEqual(['Hello ', 'big ', 'world']);
    expect(deltas.at(-1)).toMatchObject({ delta: {}, finish_reason: 'stop' });
    // Every chunk before the usage chunk carries `usage: null`, as the real API does.
    expect(chunks.slice(0, -2).every((chunk) => (chunk as { usage?: unknown }).usage === null)).toBe(true);
    expect(openai.requests[0]?.bodyCompleted).toBe(true);
  });

  it('leaves the usage chunk out when include_usage was not asked for', async () => {
    openai.reply({ type: 'text', text: 'a b' });
    const chunks = sseData(await (await post('https://api.openai.com/v1/chat/completions', { stream: true })).text());
    expect(chunks.some((chunk) => typeof chunk === 'object' && (chunk as { usage?: unknown }).usage)).toBe(false);
    expect(chunks.at(-1)).toBe('[DONE]');
    // The text chunks did arrive: "no usage chunk" is checked on a stream that has chunks.
    const text = chunks
      .slice(0, -1)
      .map((chunk) => (chunk as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('a b');
  });

  it('truncate cuts the stream after the chunks: no finish, no usage, no [DONE]', async () => {
    openai.reply({ type: 'text', text: ['a', 'b'], truncate: true });
    const body = await (
      await post('https://api.openai.com/v1/chat/completions', {
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    expect(body).not.toContain('[DONE]');
    expect(body).not.toContain('"finish_reason":"stop"');
    expect(sseData(body)).toHaveLength(3);
  });

  it('sends error bodies with status and headers', async () => {
    openai.reply({
      type: 'error',
      status: 429,
      headers: { 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' },
    });
    const response = await post('https://api.openai.com/v1/chat/completions', {});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining('Rate limit'),
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
  });

  it('waits the scripted latency before headers and before each chunk', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    openai.reply({ type: 'text', text: ['one', 'two'], delayMs: 100, chunkDelayMs: [50, 200] });
    let response: Response | undefined;
    const pending = post('https://api.openai.com/v1/chat/completions', { stream: true }).then((value) => {
      response = value;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(response).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    const reader = (response as Response).body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        received += value;
      }
    };
    const first = readUntil('"one"');
    await vi.advanceTimersByTimeAsync(49);
    expect(received).not.toContain('"one"');
    await vi.advanceTimersByTimeAsync(1);
    await first;
    const second = readUntil('"two"');
    await vi.advanceTimersByTimeAsync(199);
    expect(received).not.toContain('"two"');
    await vi.advanceTimersByTimeAsync(1);
    await second;
    await reader.cancel();
  });

  it('records a client abort and a cancelled body', async () => {
    openai.reply({ type: 'hang' }, { type: 'text', text: ['x', 'y'], chunkDelayMs: [0, 60_000] });
    const controller = new AbortController();
    const hung = post('https://api.openai.com/v1/chat/completions', {}, { signal: controller.signal }).catch(
      (error: unknown) => error,
    );
    await vi.waitFor(() => expect(openai.requests).toHaveLength(1));
    controller.abort();
    expect(await hung).toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(openai.requests[0]?.aborted).toBe(true));

    const response = await post('https://api.openai.com/v1/chat/completions', { stream: true });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(() => expect(openai.requests[1]?.bodyCancelled).toBe(true));
    expect(openai.requests[1]?.bodyCompleted).toBe(false);
  });

  it('takes a function script, a fallback, and says clearly when a list script runs out', async () => {
    const scripted = createOpenAIMock({
      baseURL: 'http://127.0.0.1:9999/v1/',
      replies: (request) => ({ type: 'text', text: `reply ${request.index}` }),
    });
    server.use(...scripted.handlers);
    try {
      const answer = await (await post('http://127.0.0.1:9999/v1/chat/completions', {})).json();
      expect(answer.choices[0].message.content).toBe('reply 1');
    } finally {
      server.resetHandlers();
    }

    const exhausted = await post('https://api.openai.com/v1/chat/completions', {});
    expect(exhausted.status).toBe(400);
    expect((await exhausted.json()).error.message).toMatch(/no reply scripted for request 1/);
  });

  it('answers GET /models (or the scripted reply) and counts the calls', async () => {
    const response = await fetch('https://api.openai.com/v1/models');
    expect(await response.json()).toMatchObject({ object: 'list', data: [{ object: 'model' }] });
    expect(openai.modelRequests).toBe(1);
  });

  it('network-error makes fetch fail', async () => {
    openai.reply({ type: 'network-error' });
    await expect(post('https://api.openai.com/v1/chat/completions', {})).rejects.toThrow(TypeError);
  });
});

describe('createAnthropicMock', () => {
  it('streams the real event sequence with ping and usage in message_start and message_delta', async () => {
    anthropic.reply({
      type: 'text',
      text: ['Hi', ' there'],
      usage: { inputTokens: 50, cachedInputTokens: 30, outputTokens: 2 },
    });
    const body = await (
      await post('https://api.anthropic.com/v1/messages', { model: 'claude-haiku-4-5', stream: true })
    ).text();
    expect(sseEvents(body)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = sseData(body) as { message?: { usage?: unknown } }[];
    expect(data[0]?.message?.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 1 });
    expect(data[6]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } });
    expect(data[3]).toMatchObject({ delta: { type: 'text_delta', text: 'Hi' } });
  });

  it('answers an object as a tool_use block for the forced tool', async () => {
    anthropic.reply({ type: 'object', object: { ok: true } });
    const message = await (
      await post('https://api.anthropic.com/v1/messages', {
        tools: [{ name: 'other' }, { name: 'answer' }],
        tool_choice: { type: 'tool', name: 'answer' },
      })
    ).json();
    expect(message).toMatchObject({
      type: 'message',
      content: [{ type: 'tool_use', name: 'answer', input: { ok: true } }],
      stop_reason: 'tool_use',
    });
  });

  it('sends Anthropic error bodies (529 overloaded) with a request-id header', async () => {
    anthropic.reply({ type: 'error', status: 529 });
    const response = await post('https://api.anthropic.com/v1/messages', {});
    expect(response.status).toBe(529);
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: 'req_mock_1',
    });
  });
});
