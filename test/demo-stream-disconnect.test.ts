// The demo's handler keeps a run going when its event stream drops (`streamDisconnect:
// 'continue'`): a reload or a lost connection does not stop it, the panel reconnects to its events.
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer } from '../examples/demo/src/server/create-demo-server';
import { type Loopback, listen } from './verify/verify-support';

let demo: Loopback;

beforeAll(async () => {
  const assets = await mkdtemp(path.join(tmpdir(), 'agentry-demo-disconnect-'));
  // The demo serves its browser bundle; this test never loads the page, so placeholders do.
  writeFileSync(path.join(assets, 'app.js'), '');
  writeFileSync(path.join(assets, 'app.css'), '');
  const { server } = await createDemoServer({
    assetsDirectory: pathToFileURL(`${assets}/`),
    environment: { AGENTRY_TAPES: 'off' },
    write: () => undefined,
  });
  demo = await listen(server);
});

afterAll(async () => {
  await demo?.close();
});

describe("the demo's handler", () => {
  it('lets a run finish when the browser drops its event stream, and serves its events again', async () => {
    const first = await fetch(`${demo.url}/`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    await first.body?.cancel();
    const dropped = new AbortController();
    const response = await fetch(`${demo.url}/api/agentry/agents/summarize/executions`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ input: { text: 'One. Two three four. Five six seven eight nine.' }, mode: 'mock' }),
      signal: dropped.signal,
    });
    expect(response.status).toBe(200);
    // Read until the run has its id, then drop the connection, as a reload does.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let executionId: string | undefined;
    while (executionId === undefined) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The stream ended before the run started: ${text}`);
      text += decoder.decode(value, { stream: true });
      executionId = text.match(/"executionId":"(exe_[^"]+)"/)?.[1];
    }
    dropped.abort();
    await reader.cancel().catch(() => undefined);

    const status = async () => {
      const record = await fetch(`${demo.url}/api/agentry/executions/${executionId}`, { headers: { cookie } });
      return ((await record.json()) as { status?: string }).status;
    };
    await expect.poll(status, { timeout: 10_000, interval: 50 }).toBe('succeeded');
    // Its events are still there to reconnect to.
    const events = await fetch(`${demo.url}/api/agentry/executions/${executionId}/events`, {
      headers: { cookie, accept: 'text/event-stream' },
    });
    expect(events.status).toBe(200);
    expect(await events.text()).toContain('"type":"execution-finish"');
  });
});
