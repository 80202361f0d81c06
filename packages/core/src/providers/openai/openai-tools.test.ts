// Tool calling through the OpenAI adapter, at the wire: the real `openai` SDK talks to msw (the
// testing kit's imitation, and the recorded tool-call stream in test/fixtures/openai).
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentryError, isAgentryError } from '../../errors';
import { jsonLogger, silentLogger } from '../../logging';
import { createOpenAIMock } from '../../testing';
import type { ProviderEvent, ProviderRequest, ProviderTool } from '../types';
import { openaiProvider } from './openai-provider';

const API_KEY = 'sk-proj-tools0123456789abcdefSECRET';
/** A secret a tool's arguments carry (a user pasted a token): never logged, never in an error. */
const ARG_SECRET = 'tok_live_9f8e7d6c5b4a39281706';
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/openai/${name}`, import.meta.url), 'utf8');

const mock = createOpenAIMock();
const compatible = createOpenAIMock({ baseURL: 'http://127.0.0.1:11434/v1' });
const server = setupServer(...mock.handlers, ...compatible.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  compatible.reset();
});
afterAll(() => server.close());

const lookupOrder: ProviderTool = {
  name: 'lookupOrder',
  description: 'Find an order by id.',
  inputSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { id: { type: 'string' } },
    required: ['id'],
    additionalProperties: false,
  },
};
const searchDocs: ProviderTool = {
  name: 'searchDocs',
  description: 'Search the help center.',
  // `limit` is optional: strict mode would reject this schema.
  inputSchema: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'number' } } },
};

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    agentId: 'support',
    input: { text: 'Where is order 42?' },
    messages: [{ role: 'user', content: 'Where is order 42?' }],
    tools: [lookupOrder, searchDocs],
    model: 'gpt-4.1-mini',
    providerOptions: {},
    executionId: 'exe_tools',
    attempt: 1,
    ...overrides,
  };
}

const context = (lines?: string[]) => ({
  signal: new AbortController().signal,
  tenant: { tenantId: 'ws_1' },
  logger: lines ? jsonLogger({ level: 'debug', write: (line) => lines.push(line) }) : silentLogger,
});

async function collect(req: ProviderRequest, lines?: string[]): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  const stream = openaiProvider({ apiKey: API_KEY }).stream;
  if (!stream) throw new Error('the OpenAI provider streams');
  for await (const event of stream(req, context(lines))) events.push(event);
  return events;
}

async function failure(promise: Promise<unknown>): Promise<AgentryError> {
  try {
    await promise;
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw new Error(`expected an AgentryError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}

const toolCallsOf = (events: readonly ProviderEvent[]) =>
  events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));

describe('openaiProvider: tools in the request', () => {
  it('declares tool support', () => {
    expect(openaiProvider({ apiKey: API_KEY }).capabilities).toEqual({ tools: true });
  });

  it('sends function tools; strict only for schemas strict mode accepts (the auto rule)', async () => {
    mock.reply({ type: 'text', text: 'ok' });
    await openaiProvider({ apiKey: API_KEY }).execute(request(), context());
    expect((mock.requests[0]?.body as { tools?: unknown } | undefined)?.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookupOrder',
          description: 'Find an order by id.',
          parameters: {
            type: 'object',
            properties: { id: { type: 'string' } },
            required: ['id'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
      {
        type: 'function',
        function: {
          name: 'searchDocs',
          description: 'Search the help center.',
          parameters: searchDocs.inputSchema,
          strict: false,
        },
      },
    ]);
    expect(mock.requests[0]?.tools).toEqual(['lookupOrder', 'searchDocs']);
  });

  it('strictTools overrides the auto rule; a request without tools sends none', async () => {
    mock.reply({ type: 'text', text: 'ok' }, { type: 'text', text: 'ok' });
    const provider = openaiProvider({ apiKey: API_KEY, strictTools: false });
    await provider.execute(request(), context());
    await provider.execute(request({ tools: undefined }), context());
    const [withTools, without] = mock.requests.map((sent) => sent.body as { tools?: { function: unknown }[] });
    expect(withTools?.tools?.map((tool) => (tool.function as { strict: boolean }).strict)).toEqual([false, false]);
    expect(without).not.toHaveProperty('tools');
  });

  it('sends the assistant tool-call turn and the tool results back in the API shape', async () => {
    mock.reply({ type: 'text', text: 'It ships Monday.' });
    await openaiProvider({ apiKey: API_KEY }).execute(
      request({
        messages: [
          { role: 'user', content: 'Where is order 42?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'call_1', name: 'lookupOrder', argsText: '{"id":"42"}' },
              { id: 'call_2', name: 'lookupOrder', argsText: '{"id":' },
            ],
          },
          { role: 'tool', toolCallId: 'call_1', toolName: 'lookupOrder', content: '{"status":"packed"}' },
          {
            role: 'tool',
            toolCallId: 'call_2',
            toolName: 'lookupOrder',
            content: 'Invalid arguments: not JSON.',
            isError: true,
          },
        ],
      }),
      context(),
    );
    const sent = mock.requests[0];
    expect((sent?.body as { messages?: unknown[] } | undefined)?.messages).toEqual([
      { role: 'user', content: 'Where is order 42?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookupOrder', arguments: '{"id":"42"}' } },
          { id: 'call_2', type: 'function', function: { name: 'lookupOrder', arguments: '{"id":' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"packed"}' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Invalid arguments: not JSON.' },
    ]);
    expect(sent?.toolResults).toEqual([
      { toolCallId: 'call_1', content: '{"status":"packed"}', isError: false },
      { toolCallId: 'call_2', content: 'Invalid arguments: not JSON.', isError: false },
    ]);
  });
});

describe('openaiProvider: tool calls in answers', () => {
  it('execute: the calls, verbatim arguments (invalid JSON too), finish tool_calls, usage', async () => {
    mock.reply({
      type: 'tool-calls',
      toolCalls: [
        { name: 'lookupOrder', args: { id: '42' }, id: 'call_a' },
        { name: 'searchDocs', argsText: '{"query": "ship' },
      ],
      usage: { inputTokens: 40, outputTokens: 12 },
    });
    const response = await openaiProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response).toEqual({
      text: '',
      toolCalls: [
        { id: 'call_a', name: 'lookupOrder', argsText: '{"id":"42"}' },
        { id: 'call_mock_1_2', name: 'searchDocs', argsText: '{"query": "ship' },
      ],
      usage: { inputTokens: 40, outputTokens: 12, cachedInputTokens: 0, reasoningTokens: 0 },
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_calls',
      model: 'gpt-4.1-mini',
      requestId: 'req_mock_1',
    });
  });

  it('stream: text deltas, then each call once, assembled from its fragments, then the finish', async () => {
    mock.reply({
      type: 'tool-calls',
      text: 'Let me check.',
      toolCalls: [
        { name: 'lookupOrder', args: { id: '42', note: 'a long argument split in many fragments' } },
        { name: 'searchDocs', argsText: '{"query":' },
      ],
    });
    const events = await collect(request());
    expect(events.filter((event) => event.type !== 'usage').map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'tool-call',
      'tool-call',
      'finish',
    ]);
    expect(toolCallsOf(events)).toEqual([
      {
        id: 'call_mock_1_1',
        name: 'lookupOrder',
        argsText: '{"id":"42","note":"a long argument split in many fragments"}',
      },
      { id: 'call_mock_1_2', name: 'searchDocs', argsText: '{"query":' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' });
  });

  it('the recorded tool-call stream: one call assembled by index, finish tool_calls, usage', async () => {
    mock.reply({ type: 'raw', body: fixture('chat-completion-tool-call-stream.sse') });
    const events = await collect(request());
    expect(events).toEqual([
      { type: 'usage', usage: { inputTokens: 53, outputTokens: 15, cachedInputTokens: 0, reasoningTokens: 0 } },
      {
        type: 'tool-call',
        toolCall: { id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', argsText: '{"country":"UK"}' },
      },
      {
        type: 'finish',
        finishReason: 'tool_calls',
        rawFinishReason: 'tool_calls',
        model: 'gpt-4o-mini-2024-07-18',
        requestId: 'req_mock_1',
      },
    ]);
  });

  it('a compatible server that ends a tool step with "stop" still reports tool_calls (raw kept)', async () => {
    compatible.reply({
      type: 'tool-calls',
      toolCalls: [{ name: 'lookupOrder', args: { id: '7' } }],
      finishReason: 'stop',
    });
    const response = await openaiProvider({ apiKey: API_KEY, baseURL: 'http://127.0.0.1:11434/v1' }).execute(
      request(),
      context(),
    );
    expect(response).toMatchObject({ finishReason: 'tool_calls', rawFinishReason: 'stop' });
    expect(response.toolCalls).toHaveLength(1);
  });

  it('a call without a function name is a malformed answer: provider_error, retryable', async () => {
    mock.reply({
      type: 'json',
      body: {
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4.1-mini',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_x', type: 'function', function: { arguments: '{}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
    });
    const error = await failure(openaiProvider({ apiKey: API_KEY }).execute(request(), context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(error.message).toContain('without a function name');
  });
});

describe('openaiProvider: tools with structured output', () => {
  const outputSchema = {
    name: 'reply',
    schema: {
      type: 'object',
      properties: { answer: { type: 'string' } },
      required: ['answer'],
      additionalProperties: false,
    },
  };

  it('sends tools and response_format together; a tool step is not parsed as the final object', async () => {
    mock.reply(
      { type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', args: { id: '42' } }] },
      { type: 'object', object: { answer: 'Monday' } },
    );
    const provider = openaiProvider({ apiKey: API_KEY });
    const step = await provider.execute(request({ outputSchema }), context());
    expect(step).toMatchObject({ finishReason: 'tool_calls', toolCalls: [{ name: 'lookupOrder' }] });
    expect(step).not.toHaveProperty('error');
    expect(step).not.toHaveProperty('object');
    const final = await provider.execute(request({ outputSchema }), context());
    expect(final).toMatchObject({ finishReason: 'stop', object: { answer: 'Monday' } });
    const body = mock.requests[0]?.body as { tools?: unknown[]; response_format?: { type: string } };
    expect(body.tools).toHaveLength(2);
    expect(body.response_format?.type).toBe('json_schema');
  });

  it('stream: the tool step finishes without an output error, the next step with the object', async () => {
    mock.reply(
      { type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', args: { id: '42' } }] },
      { type: 'object', object: { answer: 'Monday' } },
    );
    const step = await collect(request({ outputSchema }));
    expect(step.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_calls',
      model: 'gpt-4.1-mini',
      requestId: 'req_mock_1',
    });
    const final = await collect(request({ outputSchema }));
    expect(final.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', object: { answer: 'Monday' } });
  });
});

describe('openaiProvider: broken tool-call streams', () => {
  it('a stream cut mid-arguments ends in a retryable provider_error and reports no call', async () => {
    mock.reply({
      type: 'tool-calls',
      toolCalls: [{ name: 'lookupOrder', args: { id: '42', token: ARG_SECRET } }],
      truncate: true,
    });
    const lines: string[] = [];
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        const stream = openaiProvider({ apiKey: API_KEY }).stream;
        for await (const event of stream?.(request(), context(lines)) ?? []) events.push(event);
      })(),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(toolCallsOf(events)).toEqual([]);
    for (const text of [...lines, error.message, JSON.stringify(error)]) expect(text).not.toContain(ARG_SECRET);
  });

  it('the recorded stream cut after its third fragment: no call, provider_error', async () => {
    const cut = fixture('chat-completion-tool-call-stream.sse').split('\n\n').slice(0, 3).join('\n\n');
    mock.reply({ type: 'raw', body: `${cut}\n\n` });
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of openaiProvider({ apiKey: API_KEY }).stream?.(request(), context()) ?? [])
          events.push(event);
      })(),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(toolCallsOf(events)).toEqual([]);
  });

  it('arguments holding a secret are passed through to the caller, and never logged on failure', async () => {
    mock.reply(
      { type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', args: { token: ARG_SECRET } }] },
      { type: 'raw', body: 'data: {not json\n\n' },
    );
    const lines: string[] = [];
    const ok = await openaiProvider({ apiKey: API_KEY }).execute(request(), context(lines));
    expect(ok.toolCalls?.[0]?.argsText).toContain(ARG_SECRET);
    const error = await failure(
      (async () => {
        for await (const _ of openaiProvider({ apiKey: API_KEY }).stream?.(request(), context(lines)) ?? []) {
          // drain
        }
      })(),
    );
    expect(error.code).toBe('provider_error');
    for (const text of [...lines, error.message]) expect(text).not.toContain(ARG_SECRET);
  });
});
