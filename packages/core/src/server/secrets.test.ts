import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from './create-handler';
import {
  type Loopback,
  listen,
  resolveTenantFromSession,
  SECRET,
  sessionCookie,
  testExecutor,
} from './loopback.test-support';
import { toNodeListener } from './node-listener';

const BASE = '/api/agentry';
// Known only to the handler (`secrets` option), not to the executor.
const HANDLER_SECRET = 'hs-only-the-handler-knows-7731';
const cookie = sessionCookie('acme', 'alice');
let server: Loopback;

beforeAll(async () => {
  const handler = createHandler({
    executor: testExecutor(),
    resolveTenant: resolveTenantFromSession,
    basePath: BASE,
    secrets: [HANDLER_SECRET],
  });
  server = await listen(toNodeListener(handler));
});
afterAll(() => server.close());

/** One response as a client sees it, and the request that produced it (for failure messages). */
interface Captured {
  request: string;
  status: number;
  /** Status line, every header and the body. */
  text: string;
}

/** Sends a request and keeps everything that came back. */
async function capture(path: string, init: RequestInit = {}): Promise<Captured> {
  const response = await fetch(`${server.origin}${BASE}${path}`, {
    ...init,
    headers: { cookie, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return {
    request: `${init.method ?? 'GET'} ${path}`,
    status: response.status,
    text: `${response.status}\n${headers}\n\n${await response.text()}`,
  };
}

/** Fails the calling test, naming the request, when the response holds either secret anywhere. */
function expectNoSecret(response: Captured): void {
  expect(response.text, `${response.request} leaks the executor's secret`).not.toContain(SECRET);
  expect(response.text, `${response.request} leaks the handler's secret`).not.toContain(HANDLER_SECRET);
}

function run(input: unknown, mode: 'mock' | 'live', stream = false): Promise<Captured> {
  return capture('/agents/echo/executions', {
    method: 'POST',
    body: JSON.stringify({ input, mode }),
    headers: stream ? { accept: 'text/event-stream' } : {},
  });
}

describe('no response ever contains a configured secret', () => {
  it('redacts the secret from input and output of records, JSON and streamed', async () => {
    const json = await run({ text: `my key is ${SECRET} and ${HANDLER_SECRET}` }, 'mock');
    expect(json.text).toContain('[REDACTED]');
    expectNoSecret(json);
    const mockStream = await run({ text: `stream ${SECRET} ${HANDLER_SECRET}` }, 'mock', true);
    expect(mockStream.text).toContain('event: execution-finish');
    expectNoSecret(mockStream);
    const liveStream = await run({ text: `live ${SECRET} ${HANDLER_SECRET}` }, 'live', true);
    expect(liveStream.text).toContain('event: output-delta');
    expectNoSecret(liveStream);
  });

  it('redacts the secret from a provider error quoted in a failed record and its error event', async () => {
    const json = await run({ text: 'leak' }, 'live');
    expect(json.text).toContain('"status":"failed"');
    expectNoSecret(json);
    const streamed = await run({ text: 'leak' }, 'live', true);
    expect(streamed.text).toContain('event: execution-error');
    expectNoSecret(streamed);
  });

  it('redacts problem details: validation, malformed JSON and oversize bodies quoting the secret', async () => {
    const problems = [
      await run({ text: '', extra: SECRET }, 'mock'),
      await capture('/agents/echo/executions', { method: 'POST', body: `{"input": ${SECRET}}` }),
      await capture('/agents/echo/executions', { method: 'POST', body: `{"input": "${HANDLER_SECRET}"` }),
      await capture(`/agents/${HANDLER_SECRET}/executions`, { method: 'POST', body: '{"input":{}}' }),
      await capture(`/executions/${SECRET}`),
      await capture(`/nothing/${HANDLER_SECRET}`),
    ];
    expect(problems.map((problem) => problem.status)).toEqual([400, 400, 400, 404, 404, 404]);
    for (const problem of problems) expectNoSecret(problem);
  });

  it('history and agent listings stay clean', async () => {
    await run({ text: `history ${SECRET} ${HANDLER_SECRET}` }, 'mock');
    const history = await capture('/executions?limit=100');
    expect(history.text).toContain('[REDACTED]');
    expectNoSecret(history);
    expectNoSecret(await capture('/agents'));
    expectNoSecret(await capture('/health'));
  });
});
