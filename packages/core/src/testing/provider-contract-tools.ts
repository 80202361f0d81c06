import { silentLogger } from '../logging';
import type {
  ProviderEvent,
  ProviderMessage,
  ProviderRequest,
  ProviderResponse,
  ProviderTool,
} from '../providers/types';
import type { ContractToolCall, ProviderContractHarness, ProviderContractSupport } from './provider-contract-harness';
import { type ContractTestApi, tenant } from './provider-contract-support';

/** Registers one case, skipped by name when the harness lacks what it needs. */
export type RegisterCase = (name: string, needs: (keyof ProviderContractSupport)[], body: () => Promise<void>) => void;

const TOOLS: ProviderTool[] = [
  {
    name: 'lookupOrder',
    description: 'Find an order by id.',
    inputSchema: {
      type: 'object',
      properties: { id: { type: 'string' } },
      required: ['id'],
      additionalProperties: false,
    },
  },
  {
    name: 'searchDocs',
    description: 'Search the help center.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
];

/**
 * The tool-call cases, at the provider boundary: they call the adapter's `execute` and `stream`
 * with a request that carries tools, so they hold whatever loop the executor runs around it.
 */
export function describeToolCases(harness: ProviderContractHarness, test: ContractTestApi, it: RegisterCase): void {
  const { expect } = test;
  const context = () => ({ signal: new AbortController().signal, tenant, logger: silentLogger });
  const request = (
    messages: ProviderMessage[] = [{ role: 'user', content: 'Where is order 42?' }],
  ): ProviderRequest => ({
    agentId: 'contract-tools',
    input: { text: 'Where is order 42?' },
    messages,
    tools: TOOLS,
    model: harness.model,
    maxOutputTokens: 64,
    providerOptions: {},
    executionId: 'exe_contract_tools',
    attempt: 1,
  });
  const script = (calls: ContractToolCall[]) => harness.script([{ type: 'tool-calls', calls }]);
  async function streamed(adapter: ReturnType<ProviderContractHarness['createAdapter']>, req: ProviderRequest) {
    const events: ProviderEvent[] = [];
    if (!adapter.stream) throw new Error('provider contract: the adapter has no stream()');
    for await (const event of adapter.stream(req, context())) events.push(event);
    return events;
  }
  const callsOf = (events: readonly ProviderEvent[]) =>
    events.flatMap((event) => (event.type === 'tool-call' ? [event.toolCall] : []));

  it('tools: the adapter declares capabilities.tools', ['tools'], async () => {
    expect(harness.createAdapter().capabilities?.tools).toBe(true);
  });

  it(
    'tools: the request offers the tools; execute reports the calls and finishes with tool_calls',
    ['tools'],
    async () => {
      const calls = [
        { id: 'call_contract_1', name: 'lookupOrder', argsText: '{"id":"42"}' },
        { id: 'call_contract_2', name: 'searchDocs', argsText: '{"query":"shipping"}' },
      ];
      script(calls);
      const response: ProviderResponse = await harness.createAdapter().execute(request(), context());
      expect(response.toolCalls).toEqual(calls);
      expect(response.finishReason).toBe('tool_calls');
      expect(harness.requests()[0]?.tools).toEqual(['lookupOrder', 'searchDocs']);
    },
  );

  it('tools: a stream reports each call once, complete, before the finish', ['tools', 'stream'], async () => {
    const calls = [
      { id: 'call_contract_1', name: 'lookupOrder', argsText: '{"id":"42","note":"split into several fragments"}' },
      { id: 'call_contract_2', name: 'searchDocs', argsText: '{"query":"shipping times"}' },
    ];
    script(calls);
    const events = await streamed(harness.createAdapter(), request());
    expect(callsOf(events)).toEqual(calls);
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
    const lastCall = events.findLastIndex((event) => event.type === 'tool-call');
    expect(events.findIndex((event) => event.type === 'finish')).toBeGreaterThan(lastCall);
  });

  it('tools: argsText is passed on verbatim, even when it is not valid JSON', ['tools', 'stream'], async () => {
    const calls = [{ id: 'call_contract_1', name: 'lookupOrder', argsText: '{"id": "42", ' }];
    script(calls);
    const events = await streamed(harness.createAdapter(), request());
    expect(callsOf(events)).toEqual(calls);
  });

  it('tools: the calls and their results go back to the model on the next step', ['tools'], async () => {
    harness.script([{ type: 'text', chunks: ['It ships Monday.'] }]);
    const response = await harness.createAdapter().execute(
      request([
        { role: 'user', content: 'Where is order 42, and how long does shipping take?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'call_contract_1', name: 'lookupOrder', argsText: '{"id":"42"}' },
            { id: 'call_contract_2', name: 'searchDocs', argsText: '{"query":"shipping"}' },
          ],
        },
        { role: 'tool', toolCallId: 'call_contract_1', toolName: 'lookupOrder', content: '{"status":"packed"}' },
        {
          role: 'tool',
          toolCallId: 'call_contract_2',
          toolName: 'searchDocs',
          content: 'The help center is unavailable.',
          isError: true,
        },
      ]),
      context(),
    );
    expect(response.text).toBe('It ships Monday.');
    expect(response.toolCalls ?? []).toEqual([]);
    expect(harness.requests()[0]?.toolResults).toEqual([
      { toolCallId: 'call_contract_1', content: '{"status":"packed"}' },
      { toolCallId: 'call_contract_2', content: 'The help center is unavailable.' },
    ]);
  });
}
