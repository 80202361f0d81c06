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
const seen: string[] = [];

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

/** Sends a request and keeps everything that came back: status line, every header, the body. */
async function capture(path: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(`${server.origin}${BASE}${path}`, {
    ...init,
    headers: { cookie, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  const text = `${response.status}\n${headers}\n\n${await response.text()}`;
  seen.push(text);
  return text;
}

function run(input: unknown, mode: 'mock' | 'live', stream = false): Promise<string> {
  return capture('/agents/echo/executions', {
    method: 'POST',
    body: JSON.stringify({ input, mode }),
    headers: stream ? { accept: 'text/event-stream' } : {},
  });
}

describe('no response ever contains a configured secret', () => {
  it('redacts the secret from input and output of records, JSON and streamed', async () => {
    const json = await run({ text: `my key is ${SECRET} and ${HANDLER_SECRET}` }, 'mock');
    expect(json).toContain('[REDACTED]');
    await run({ text: `stream ${SECRET} ${HANDLER_SECRET}` }, 'mock', true);
    await run({ text: `live ${SECRET} ${HANDLER_SECRET}` }, 'live', true);
  });

  it('redacts the secret from a provider error quoted in a failed record and its error event', async () => {
    const json = await run({ text: 'leak' }, 'live');
    expect(json).toContain('"status":"failed"');
    const streamed = await run({ text: 'leak' }, 'live', true);
    expect(streamed).toContain('event: execution-error');
  });

  it('redacts problem details: validation, malformed JSON and oversize bodies quoting the secret', async () => {
    await run({ text: '', extra: SECRET }, 'mock');
    await capture('/agents/echo/executions', { method: 'POST', body: `{"input": ${SECRET}}` });
    await capture('/agents/echo/executions', { method: 'POST', body: `{"input": "${HANDLER_SECRET}"` });
    await capture(`/agents/${HANDLER_SECRET}/executions`, { method: 'POST', body: '{"input":{}}' });
    await capture(`/executions/${SECRET}`);
    await capture(`/nothing/${HANDLER_SECRET}`);
  });

  it('history and agent listings stay clean', async () => {
    await capture('/executions?limit=100');
    await capture('/agents');
    await capture('/health');
  });

  it('checked every captured response', () => {
    expect(seen.length).toBeGreaterThanOrEqual(14);
    for (const text of seen) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(HANDLER_SECRET);
    }
  });
});
