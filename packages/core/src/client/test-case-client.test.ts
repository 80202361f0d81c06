import { describe, expect, it } from 'vitest';
import { createTestCaseClient } from './test-case-client';
import { createTransport } from './transport';

// The test-case sub-client over a transport: which route, which method, and that writes are sent once.

function clientWith(answer: (url: string, init: RequestInit | undefined) => Response) {
  const calls: { url: string; method: string; body?: unknown }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) } : {}),
    });
    return answer(String(input), init);
  }) as typeof globalThis.fetch;
  const transport = createTransport({ baseUrl: 'https://app.test/api', fetch, timeoutMs: false, retry: 2 });
  return { testCases: createTestCaseClient(transport), calls };
}

const testCase = {
  id: 'tc_1',
  tenantId: 'acme',
  agentId: 'summarize',
  name: 'fox',
  input: { text: 'fox' },
  expectations: {},
  createdAt: '2026-12-03T10:00:00.000Z',
  updatedAt: '2026-12-03T10:00:00.000Z',
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createTestCaseClient', () => {
  it('lists, creates, updates and deletes through the test-case routes', async () => {
    const { testCases, calls } = clientWith((_url, init) =>
      init?.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json(init?.method === 'GET' ? [testCase] : testCase),
    );
    const body = { name: 'fox', input: { text: 'fox' } };
    expect(await testCases.list('summarize')).toEqual([testCase]);
    expect(await testCases.create('summarize', body)).toEqual(testCase);
    expect(await testCases.update('summarize', 'tc_1', body)).toEqual(testCase);
    await expect(testCases.delete('summarize', 'tc_1')).resolves.toBeUndefined();
    expect(calls).toEqual([
      { url: 'https://app.test/api/agents/summarize/test-cases', method: 'GET' },
      { url: 'https://app.test/api/agents/summarize/test-cases', method: 'POST', body },
      { url: 'https://app.test/api/agents/summarize/test-cases/tc_1', method: 'PUT', body },
      { url: 'https://app.test/api/agents/summarize/test-cases/tc_1', method: 'DELETE' },
    ]);
  });

  it('never retries a write, even on a retryable answer', async () => {
    const { testCases, calls } = clientWith(() =>
      json({ type: 'urn:agentry:error:internal', title: 'x', status: 503, detail: 'x', code: 'internal' }, 503),
    );
    await expect(testCases.create('summarize', { name: 'fox', input: {} })).rejects.toMatchObject({ status: 503 });
    expect(calls).toHaveLength(1);
  });
});
