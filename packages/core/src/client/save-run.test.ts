import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import { createClient } from './create-client';

// `client.saveRun` against a scripted server: how the host's refusal reaches the caller.

function clientAnswering(answer: () => Response) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const client = createClient({
    baseUrl: 'https://app.test/api/agentry',
    fetch: async (input, init) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', body: JSON.parse(String(init?.body)) });
      return answer();
    },
  });
  return { client, calls };
}

const problem = (status: number, code: string, userMessage: string) =>
  new Response(
    JSON.stringify({
      type: `urn:agentry:error:${code}`,
      title: code,
      status,
      detail: `Saving runs of agent "summarize" is not allowed for this user.`,
      code,
      userMessage,
      retryable: false,
    }),
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

describe('client.saveRun', () => {
  it("rejects a user the host refuses with an AgentryError of code forbidden, the server's words kept, sent once", async () => {
    const { client, calls } = clientAnswering(() => problem(403, 'forbidden', 'Ask an administrator for access.'));
    const error = await client.saveRun('exe_1', { as: 'mock' }).catch((thrown: unknown) => thrown);
    expect(isAgentryError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'forbidden',
      status: 403,
      retryable: false,
      userMessage: 'Ask an administrator for access.',
      message: expect.stringContaining('not allowed for this user'),
    });
    expect(calls).toEqual([
      { url: 'https://app.test/api/agentry/executions/exe_1/tape', method: 'POST', body: { as: 'mock' } },
    ]);
  });

  it('keeps not_found for a run the server does not show this tenant', async () => {
    const { client } = clientAnswering(() => problem(404, 'not_found', 'That execution does not exist.'));
    await expect(client.saveRun('exe_1', { as: 'tape' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});
