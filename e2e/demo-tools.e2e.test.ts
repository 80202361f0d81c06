// The demo's tool-using agent over its real HTTP API: a tool only ever sees the caller's
// workspace, whatever ticket id (or tenant) the model is asked about.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDemo, type DemoProcess, startDemo } from './support/demo-process';

let demo: DemoProcess;

beforeAll(async () => {
  await buildDemo();
  demo = await startDemo();
});

afterAll(async () => {
  await demo?.stop();
});

/** A session cookie in `tenantId`'s workspace, as the page's workspace switcher gets one. */
async function sessionIn(tenantId: string): Promise<string> {
  const first = await fetch(`${demo.url}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const switched = await fetch(`${demo.url}/demo/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ tenantId }),
  });
  expect(switched.status).toBe(200);
  return (switched.headers.get('set-cookie') ?? cookie).split(';')[0] as string;
}

interface Record {
  status: string;
  tenantId: string;
  output: unknown;
  steps?: {
    toolCalls: { name: string }[];
    toolResults: { status: string; output?: unknown; error?: { code: string } }[];
  }[];
}

async function runSupport(cookie: string, ticketId: string): Promise<Record> {
  const response = await fetch(`${demo.url}/api/agentry/agents/support-reply/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ input: { ticketId }, mode: 'mock' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record;
}

describe("the demo's support-reply agent", () => {
  test('looks up its own ticket and drafts a reply in two tool steps', async () => {
    const acme = await sessionIn('acme');
    const record = await runSupport(acme, 'T-1001');
    expect(record.status).toBe('succeeded');
    expect(record.tenantId).toBe('acme');
    expect(record.steps?.map((step) => step.toolCalls.map((call) => call.name))).toEqual([
      ['lookupTicket'],
      ['draftReply'],
      [],
    ]);
    expect(record.output).toMatch(/^Hi Dana,/);
  });

  test("never sees another workspace's ticket: Acme asking for Globex's T-2001 gets not_found", async () => {
    const acme = await sessionIn('acme');
    const record = await runSupport(acme, 'T-2001');
    expect(record.status).toBe('succeeded');
    expect(record.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    expect(JSON.stringify(record)).not.toMatch(/Hammock|Hank/);
    expect(record.output).toBe('I could not find ticket T-2001 in this workspace.');

    const globex = await sessionIn('globex');
    const own = await runSupport(globex, 'T-2001');
    expect(own.steps?.[0]?.toolResults[0]).toMatchObject({ status: 'succeeded' });
    expect(JSON.stringify(own)).toContain('Hammock');
    const foreign = await runSupport(globex, 'T-1001');
    expect(JSON.stringify(foreign)).not.toMatch(/INV-2291|Dana/);
  });
});
