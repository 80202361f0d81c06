// Deeply nested JSON over HTTP: every shape answers a 400 problem+json with a clear code and
// issue, never a 500 from a stack overflow.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createExecutor } from '../executor';
import type { ProviderAdapter } from '../providers';
import { createHandler } from './create-handler';
import { resolveTenantFromSession, sessionCookie, testExecutor } from './loopback.test-support';

const BASE = '/api/agentry';
const cookie = sessionCookie('acme', 'alice');

function post(handler: (request: Request) => Promise<Response>, agentId: string, body: string): Promise<Response> {
  return handler(
    new Request(`http://localhost${BASE}/agents/${agentId}/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    }),
  );
}

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  return (await response.json()) as Record<string, unknown>;
}

const jsonAgent = defineAgent({
  id: 'json',
  name: 'Any JSON',
  input: z.object({ data: z.json() }),
  output: z.object({ data: z.any() }),
  model: { provider: 'deep', model: 'deep-1' },
  prompt: ({ data }) => String(typeof data),
  mock: () => ({ data: 'ok' }),
});

/** A live provider whose model answers JSON 10,000 levels deep. */
const deepProvider: ProviderAdapter = {
  id: 'deep',
  async execute() {
    return {
      text: `{"data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: 'stop',
    };
  },
};

describe('deeply nested request bodies', () => {
  const handler = createHandler({ executor: testExecutor(), resolveTenant: resolveTenantFromSession, basePath: BASE });

  it.each([
    ['10k unclosed arrays', `{"input":${'['.repeat(10_000)}`],
    ['10k unclosed objects', `{"input":${'{"a":'.repeat(10_000)}`],
    ['100k closed arrays', `{"input":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['100k unclosed objects', `{"input":${'{"a":'.repeat(100_000)}`],
    ['a bare 10k arrays', '['.repeat(10_000)],
  ])('%s: 400 invalid_json with the json_too_deep issue', async (_name, body) => {
    const response = await post(handler, 'echo', body);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ code: 'invalid_json', issues: [{ code: 'json_too_deep', line: 1 }] });
    expect(problem.detail).toMatch(/more than 513 levels deep .*limits\.maxDepth/);
    expect(problem.userMessage).toBe('The input is nested too deeply. Flatten it and try again.');
  });

  it('an input within the body limit but past the executor limit: 400 validation_failed at its path', async () => {
    const executor = createExecutor({ agents: [jsonAgent] });
    const jsonHandler = createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: BASE });
    const response = await post(jsonHandler, 'json', `{"input":{"data":${'['.repeat(300)}${']'.repeat(300)}}}`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ code: 'validation_failed', issues: [{ code: 'too_deep' }] });
    const [issue] = problem.issues as { path: unknown[] }[];
    expect(issue?.path).toHaveLength(256);
    expect(issue?.path.slice(0, 2)).toEqual(['data', 0]);
  });

  it('a live model that answers 10k-deep JSON: the run fails with output_invalid, answered 200 with its record', async () => {
    const executor = createExecutor({ agents: [jsonAgent], providers: { deep: deepProvider } });
    const jsonHandler = createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: BASE });
    const response = await post(jsonHandler, 'json', '{"input":{"data":1},"mode":"live"}');
    expect(response.status).toBe(200);
    const record = (await response.json()) as { status: string; error: { code: string } };
    expect(record).toMatchObject({ status: 'failed', error: { code: 'output_invalid' } });
  });
});
