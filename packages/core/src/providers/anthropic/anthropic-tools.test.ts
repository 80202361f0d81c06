// Tool calling through the Anthropic adapter, at the wire: the real `@anthropic-ai/sdk` talks to
// msw (the testing kit's imitation, and the recorded tool_use streams in test/fixtures/anthropic).
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentryError, isAgentryError } from '../../errors';
import { jsonLogger, silentLogger } from '../../logging';
import { createAnthropicMock } from '../../testing';
import type { ProviderEvent, ProviderRequest, ProviderTool } from '../types';
import { anthropicProvider } from './anthropic-provider';

const API_KEY = 'sk-ant-api03-tools0123456789abcdefSECRET';
/** A secret a tool's arguments carry: never logged, never in an error. */
const ARG_SECRET = 'tok_live_1a2b3c4d5e6f70819203';
const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/anthropic/${name}`, import.meta.url), 'utf8');

const mock = createAnthropicMock();
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const getWeather: ProviderTool = {
  name: 'get_weather',
  description: 'The weather at a place.',
  inputSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
  },
};
const lookupOrder: ProviderTool = {
  name: 'lookupOrder',
  description: 'Find an order by id.',
  inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
};

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    agentId: 'support',
    input: { text: 'Weather in SF?' },
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in SF?' },
    ],
    tools: [getWeather, lookupOrder],
    model: 'claude-sonnet-4-5',
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
  const stream = anthropicProvider({ apiKey: API_KEY }).stream;
  if (!stream) throw new Error('the Anthropic provider streams');
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
const sentBody = (index = 0) => mock.requests[index]?.body as Record<string, unknown> | undefined;

describe('anthropicProvider: tools in the request', () => {
  it('declares tool support and sends tools with input_schema (no $schema), no tool_choice', async () => {
    expect(anthropicProvider({ apiKey: API_KEY }).capabilities).toEqual({ tools: true });
    mock.reply({ type: 'text', text: 'ok' });
    await anthropicProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(sentBody()?.tools).toEqual([
      {
        name: 'get_weather',
        description: 'The weather at a place.',
        input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
      { name: 'lookupOrder', description: 'Find an order by id.', input_schema: lookupOrder.inputSchema },
    ]);
    expect(sentBody()).not.toHaveProperty('tool_choice');
    expect(mock.requests[0]?.tools).toEqual(['get_weather', 'lookupOrder']);
  });

  it('maps tool turns back: tool_use blocks, tool results merged into one user turn, is_error kept', async () => {
    mock.reply({ type: 'text', text: 'Sunny, and order 42 is packed.' });
    await anthropicProvider({ apiKey: API_KEY }).execute(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in SF, and order 42?' },
          {
            role: 'assistant',
            content: 'Checking both.',
            toolCalls: [
              { id: 'toolu_1', name: 'get_weather', argsText: '{"location":"SF"}' },
              { id: 'toolu_2', name: 'lookupOrder', argsText: '{"id":' },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_1', toolName: 'get_weather', content: '{"sky":"sunny"}' },
          {
            role: 'tool',
            toolCallId: 'toolu_2',
            toolName: 'lookupOrder',
            content: 'The arguments are not valid JSON.',
            isError: true,
          },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'toolu_3', name: 'lookupOrder', argsText: '{"id":"42"}' }],
          },
          { role: 'tool', toolCallId: 'toolu_3', toolName: 'lookupOrder', content: '{"status":"packed"}' },
        ],
      }),
      context(),
    );
    expect(sentBody()?.system).toBe('Be brief.');
    expect(sentBody()?.messages).toEqual([
      { role: 'user', content: 'Weather in SF, and order 42?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'SF' } },
          // Arguments that were not JSON go back as an empty input (the error result explains).
          { type: 'tool_use', id: 'toolu_2', name: 'lookupOrder', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"sky":"sunny"}' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'The arguments are not valid JSON.', is_error: true },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_3', name: 'lookupOrder', input: { id: '42' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3', content: '{"status":"packed"}' }] },
    ]);
    expect(mock.requests[0]?.toolResults).toEqual([
      { toolCallId: 'toolu_1', content: '{"sky":"sunny"}', isError: false },
      { toolCallId: 'toolu_2', content: 'The arguments are not valid JSON.', isError: true },
      { toolCallId: 'toolu_3', content: '{"status":"packed"}', isError: false },
    ]);
  });
});

describe('anthropicProvider: tool calls in answers', () => {
  it('execute: tool_use blocks as calls, text kept, finish tool_calls, usage', async () => {
    mock.reply({
      type: 'tool-calls',
      text: 'Let me look.',
      toolCalls: [
        { name: 'get_weather', args: { location: 'SF' }, id: 'toolu_a' },
        { name: 'lookupOrder', args: { id: '42' } },
      ],
      usage: { inputTokens: 50, outputTokens: 20 },
    });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response).toEqual({
      text: 'Let me look.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', argsText: '{"location":"SF"}' },
        { id: 'toolu_mock_1_2', name: 'lookupOrder', argsText: '{"id":"42"}' },
      ],
      usage: { inputTokens: 50, outputTokens: 20, cachedInputTokens: 0 },
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      model: 'claude-sonnet-4-5',
      requestId: 'req_mock_1',
    });
  });

  it('execute: server tool blocks and unknown blocks are skipped, client tool_use kept', async () => {
    mock.reply({
      type: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [
          { type: 'text', text: 'Searching.' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
          { type: 'a_block_from_the_future', payload: 1 },
          { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { location: 'SF' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 30, output_tokens: 10 },
      },
    });
    const response = await anthropicProvider({ apiKey: API_KEY }).execute(request(), context());
    expect(response).toMatchObject({
      text: 'Searching.',
      toolCalls: [{ id: 'toolu_9', name: 'get_weather', argsText: '{"location":"SF"}' }],
      finishReason: 'tool_calls',
    });
  });

  it('stream: text deltas, then one call per tool_use block once it stops, verbatim fragments', async () => {
    mock.reply({
      type: 'tool-calls',
      text: 'On it.',
      toolCalls: [
        { name: 'get_weather', args: { location: 'San Francisco, CA' } },
        { name: 'lookupOrder', argsText: '{"id": 42' },
      ],
    });
    const events = await collect(request());
    expect(events.filter((event) => event.type !== 'usage').map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'tool-call',
      'tool-call',
      'finish',
    ]);
    expect(toolCallsOf(events)).toEqual([
      { id: 'toolu_mock_1_1', name: 'get_weather', argsText: '{"location":"San Francisco, CA"}' },
      { id: 'toolu_mock_1_2', name: 'lookupOrder', argsText: '{"id": 42' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_use' });
  });

  it('the recorded tool_use stream: the call assembled from input_json_delta, tool_calls, usage', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-tool-use-stream.sse') });
    const events = await collect(request());
    expect(toolCallsOf(events)).toEqual([
      { id: 'toolu_01DYJo37oETVsCdLTTcCWcdq', name: 'get_weather', argsText: '{"location": "San Francisco, CA"}' },
    ]);
    expect(
      events
        .flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
        .join('')
        .startsWith('<thinking>\nThe get_weather tool'),
    ).toBe(true);
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 599, outputTokens: 135 },
    });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      model: 'claude-3-opus-20240229',
      requestId: 'req_mock_1',
    });
  });

  it('the recorded server-tool stream: the server_tool_use and its result are skipped, the client call kept', async () => {
    mock.reply({ type: 'raw', body: fixture('messages-server-tool-and-tool-use-stream.sse') });
    const events = await collect(request());
    expect(toolCallsOf(events)).toEqual([
      { id: 'toolu_01SHf2kbTahK9zYYPDyvNp5r', name: 'get_weather', argsText: '{"location": "San Francisco, CA"}' },
    ]);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
    expect(text).toBe(
      'Let me search for a weather tool to help answer your question!Found it! Let me get the weather for San Francisco, CA now.',
    );
    expect(events.filter((event) => event.type === 'usage').at(-1)).toEqual({
      type: 'usage',
      usage: { inputTokens: 1595, outputTokens: 143, cachedInputTokens: 0 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_use' });
  });

  it('a tool without parameters streams no fragment: its arguments are {}', async () => {
    mock.reply({ type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', argsText: '' }] });
    expect(toolCallsOf(await collect(request()))).toEqual([
      { id: 'toolu_mock_1_1', name: 'lookupOrder', argsText: '{}' },
    ]);
  });
});

describe('anthropicProvider: tools with structured output', () => {
  const outputSchema = {
    name: 'reply',
    schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
  };

  it('lists the output tool first with tool_choice any; a tool step is not an output error', async () => {
    mock.reply(
      { type: 'tool-calls', toolCalls: [{ name: 'get_weather', args: { location: 'SF' } }] },
      { type: 'object', object: { answer: 'Sunny' } },
    );
    const provider = anthropicProvider({ apiKey: API_KEY });
    const step = await provider.execute(request({ outputSchema }), context());
    expect(step).toMatchObject({ finishReason: 'tool_calls', toolCalls: [{ name: 'get_weather' }] });
    expect(step).not.toHaveProperty('error');
    const final = await provider.execute(request({ outputSchema }), context());
    expect(final).toMatchObject({ finishReason: 'stop', object: { answer: 'Sunny' } });
    expect(final).not.toHaveProperty('toolCalls');
    expect(mock.requests[0]?.tools).toEqual(['reply', 'get_weather', 'lookupOrder']);
    expect(sentBody()?.tool_choice).toEqual({ type: 'any' });
  });

  it('stream: the tool step ends with tool_calls, the next with the object', async () => {
    mock.reply(
      { type: 'tool-calls', toolCalls: [{ name: 'get_weather', args: { location: 'SF' } }] },
      { type: 'object', object: { answer: 'Sunny' } },
    );
    const step = await collect(request({ outputSchema }));
    expect(toolCallsOf(step)).toHaveLength(1);
    expect(step.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      model: 'claude-sonnet-4-5',
      requestId: 'req_mock_1',
    });
    const final = await collect(request({ outputSchema }));
    expect(toolCallsOf(final)).toEqual([]);
    expect(final.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', object: { answer: 'Sunny' } });
  });

  it('without tools the output tool stays forced', async () => {
    mock.reply({ type: 'object', object: { answer: 'x' } });
    await anthropicProvider({ apiKey: API_KEY }).execute(request({ outputSchema, tools: undefined }), context());
    expect(sentBody()?.tool_choice).toEqual({ type: 'tool', name: 'reply' });
  });

  it('a tool named like the output tool is refused with what to do', async () => {
    const clash: ProviderTool = { ...lookupOrder, name: 'reply' };
    const error = await failure(
      anthropicProvider({ apiKey: API_KEY }).execute(request({ outputSchema, tools: [clash] }), context()),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: false });
    expect(error.message).toContain('Rename the tool');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('anthropicProvider: broken tool-call streams', () => {
  it('a stream cut mid-arguments: no half call, a retryable provider_error, the secret never logged', async () => {
    mock.reply({
      type: 'tool-calls',
      toolCalls: [{ name: 'lookupOrder', args: { id: '42', token: ARG_SECRET } }],
      truncate: true,
    });
    const lines: string[] = [];
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of anthropicProvider({ apiKey: API_KEY }).stream?.(request(), context(lines)) ?? [])
          events.push(event);
      })(),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(toolCallsOf(events)).toEqual([]);
    for (const text of [...lines, error.message, JSON.stringify(error)]) expect(text).not.toContain(ARG_SECRET);
  });

  it('the recorded stream cut inside its tool_use block: no call, provider_error', async () => {
    const recording = fixture('messages-tool-use-stream.sse');
    const cut = recording.slice(0, recording.indexOf('n Fran'));
    mock.reply({ type: 'raw', body: `${cut.slice(0, cut.lastIndexOf('\n\n'))}\n\n` });
    const events: ProviderEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of anthropicProvider({ apiKey: API_KEY }).stream?.(request(), context()) ?? [])
          events.push(event);
      })(),
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(toolCallsOf(events)).toEqual([]);
  });

  it('an unknown content block with unknown deltas is skipped; the stream ends cleanly', async () => {
    const frame = (name: string, payload: unknown) => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    mock.reply({
      type: 'raw',
      body: [
        frame('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_x',
            type: 'message',
            role: 'assistant',
            model: 'claude-x',
            content: [],
            usage: { input_tokens: 5, output_tokens: 1 },
          },
        }),
        frame('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'hologram', shape: 'cube' },
        }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'hologram_delta', voxels: [1] },
        }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{' },
        }),
        frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
        frame('content_block_start', {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'text', text: '' },
        }),
        frame('content_block_delta', {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'text_delta', text: 'Done.' },
        }),
        frame('content_block_stop', { type: 'content_block_stop', index: 1 }),
        frame('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn' },
          usage: { output_tokens: 3 },
        }),
        frame('message_stop', { type: 'message_stop' }),
      ],
    });
    const events = await collect(request());
    expect(toolCallsOf(events)).toEqual([]);
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', delta: 'Done.' }]);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('a tool_use block without a name: provider_error, its input never quoted', async () => {
    mock.reply({
      type: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [{ type: 'tool_use', id: 'toolu_1', input: { token: ARG_SECRET } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 3, output_tokens: 3 },
      },
    });
    const error = await failure(anthropicProvider({ apiKey: API_KEY }).execute(request(), context()));
    expect(error).toMatchObject({ code: 'provider_error', retryable: true });
    expect(JSON.stringify(error)).not.toContain(ARG_SECRET);
  });
});
