// The imitations' tool-call replies, checked at the wire with plain fetch (the shapes the real
// APIs send, as in test/fixtures), and driven through the real SDKs by a script that reads the
// tool results a request carried back.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging';
import { anthropicProvider } from '../providers/anthropic';
import { openaiProvider } from '../providers/openai';
import type { ProviderMessage, ProviderRequest } from '../providers/types';
import { createAnthropicMock, createOpenAIMock, type MockReply, type RecordedRequest } from './index';

const openai = createOpenAIMock();
const anthropic = createAnthropicMock();
const server = setupServer(...openai.handlers, ...anthropic.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  openai.reset();
  anthropic.reset();
});
afterAll(() => server.close());

const OPENAI_URL = 'https://api.openai.com/v1/chat/completions';
const ANTHROPIC_URL = 'https://api.anthropic.com/v1/messages';

function post(url: string, body: unknown) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
  });
}

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

const call: MockReply = {
  type: 'tool-calls',
  toolCalls: [{ name: 'lookupOrder', args: { id: '42' }, id: 'call_1' }],
};

describe('createOpenAIMock: tool calls', () => {
  it('a JSON answer carries tool_calls, content null and finish_reason tool_calls', async () => {
    openai.reply(call);
    const body = await (await post(OPENAI_URL, { model: 'gpt-4.1-mini', messages: [] })).json();
    expect(body.choices[0]).toMatchObject({
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookupOrder', arguments: '{"id":"42"}' } }],
      },
      finish_reason: 'tool_calls',
    });
  });

  it('a stream sends the id and name first, then only the index and fragments (as recorded)', async () => {
    openai.reply({ ...call, toolCalls: [{ name: 'lookupOrder', argsText: '{"id":"4242424242"}', id: 'call_1' }] });
    const response = await post(OPENAI_URL, {
      model: 'gpt-4.1-mini',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = sseData(await response.text()) as {
      choices: { delta: { tool_calls?: unknown[] }; finish_reason: string | null }[];
    }[];
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices?.[0]?.delta.tool_calls ?? []);
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'lookupOrder', arguments: '' },
    });
    expect(toolDeltas.length).toBeGreaterThan(2);
    for (const delta of toolDeltas.slice(1)) expect(Object.keys(delta as object).sort()).toEqual(['function', 'index']);
    expect(toolDeltas.map((delta) => (delta as { function: { arguments: string } }).function.arguments).join('')).toBe(
      '{"id":"4242424242"}',
    );
    expect(chunks.flatMap((chunk) => chunk.choices?.[0]?.finish_reason ?? [])).toEqual(['tool_calls']);
    expect(chunks.at(-1)).toBe('[DONE]');
  });
});

describe('createAnthropicMock: tool calls', () => {
  it('a JSON answer carries tool_use blocks with an object input and stop_reason tool_use', async () => {
    anthropic.reply({ ...call, text: 'Checking.' });
    const body = await (await post(ANTHROPIC_URL, { model: 'claude-sonnet-4-5', messages: [] })).json();
    expect(body).toMatchObject({
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'lookupOrder', input: { id: '42' } },
      ],
      stop_reason: 'tool_use',
    });
  });

  it('a stream opens the tool_use block with input {} and an empty fragment (as recorded)', async () => {
    anthropic.reply(call);
    const events = sseData(
      await (await post(ANTHROPIC_URL, { model: 'claude-sonnet-4-5', messages: [], stream: true })).text(),
    ) as {
      type: string;
      content_block?: unknown;
      delta?: { type?: string; partial_json?: string; stop_reason?: string };
    }[];
    expect(events.find((event) => event.type === 'content_block_start')?.content_block).toEqual({
      type: 'tool_use',
      id: 'call_1',
      name: 'lookupOrder',
      input: {},
    });
    const fragments = events.flatMap((event) =>
      event.delta?.type === 'input_json_delta' ? [event.delta.partial_json] : [],
    );
    expect(fragments[0]).toBe('');
    expect(fragments.join('')).toBe('{"id":"42"}');
    expect(events.map((event) => event.type).slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(events.at(-2)?.delta?.stop_reason).toBe('tool_use');
  });

  it('arguments that are not JSON cannot be sent in a JSON answer: the request fails, saying why', async () => {
    anthropic.reply({ type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', argsText: '{"id":' }] });
    const response = await post(ANTHROPIC_URL, { model: 'claude-sonnet-4-5', messages: [] });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('script invalid arguments on a streamed request');
  });
});

/** What a tool-using agent's loop does, by hand: call the model, run the tool, send the result back. */
async function twoSteps(provider: ReturnType<typeof openaiProvider>, streamed: boolean) {
  const context = { signal: new AbortController().signal, tenant: { tenantId: 'ws_1' }, logger: silentLogger };
  const messages: ProviderMessage[] = [{ role: 'user', content: 'Where is order 42?' }];
  const request = (): ProviderRequest => ({
    agentId: 'support',
    input: {},
    messages,
    tools: [{ name: 'lookupOrder', description: 'Find an order.', inputSchema: { type: 'object' } }],
    model: 'model-x',
    providerOptions: {},
    executionId: 'exe_1',
    attempt: 1,
  });
  const step = async () => {
    if (!streamed) return provider.execute(request(), context);
    let text = '';
    const toolCalls = [];
    for await (const event of provider.stream?.(request(), context) ?? []) {
      if (event.type === 'text-delta') text += event.delta;
      if (event.type === 'tool-call') toolCalls.push(event.toolCall);
    }
    return { text, toolCalls };
  };
  const first = await step();
  const calls = first.toolCalls ?? [];
  messages.push({ role: 'assistant', content: first.text, toolCalls: calls });
  for (const toolCall of calls)
    messages.push({ role: 'tool', toolCallId: toolCall.id, toolName: toolCall.name, content: '{"ships":"Monday"}' });
  return { first, second: await step() };
}

/** "Call the tool first; once its result came back, answer from it." */
const script = (request: RecordedRequest): MockReply => {
  const result = request.toolResults.at(-1);
  if (!result) return { type: 'tool-calls', toolCalls: [{ name: 'lookupOrder', args: { id: '42' } }] };
  return { type: 'text', text: `Your order ships ${JSON.parse(result.content).ships}.` };
};

describe('a script that reads the tool results, through the real SDKs', () => {
  for (const streamed of [false, true]) {
    it(`OpenAI (${streamed ? 'streamed' : 'JSON'}): the tool call, then the answer from its result`, async () => {
      openai.reset(script);
      const { first, second } = await twoSteps(openaiProvider({ apiKey: 'sk-test-key-000000000000' }), streamed);
      expect(first.toolCalls).toEqual([{ id: 'call_mock_1_1', name: 'lookupOrder', argsText: '{"id":"42"}' }]);
      expect(second.text).toBe('Your order ships Monday.');
      expect(openai.requests[1]?.toolResults).toEqual([
        { toolCallId: 'call_mock_1_1', content: '{"ships":"Monday"}', isError: false },
      ]);
    });

    it(`Anthropic (${streamed ? 'streamed' : 'JSON'}): the tool call, then the answer from its result`, async () => {
      anthropic.reset(script);
      const { first, second } = await twoSteps(anthropicProvider({ apiKey: 'sk-ant-test-000000000000' }), streamed);
      expect(first.toolCalls).toEqual([{ id: 'toolu_mock_1_1', name: 'lookupOrder', argsText: '{"id":"42"}' }]);
      expect(second.text).toBe('Your order ships Monday.');
      expect(anthropic.requests[1]?.toolResults).toEqual([
        { toolCallId: 'toolu_mock_1_1', content: '{"ships":"Monday"}', isError: false },
      ]);
    });
  }
});
