import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from './create-handler';
import { type Loopback, listen, resolveTenantFromSession, sessionCookie, testExecutor } from './loopback.test-support';
import { toNodeListener } from './node-listener';

const BASE = '/api/agentry';
const FIFTY_MB = 50 * 1024 * 1024;
const CHUNK = 64 * 1024;
const cookie = sessionCookie('acme', 'alice');
const handler = createHandler({ executor: testExecutor(), resolveTenant: resolveTenantFromSession, basePath: BASE });

/** A 50 MB body generated on demand, counting what the reader actually pulled. */
function countingBody(total: number) {
  const state = { pulled: 0, cancelled: false };
  const chunk = new Uint8Array(CHUNK).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) {
          controller.close();
          return;
        }
        state.pulled += CHUNK;
        controller.enqueue(chunk);
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe('request body limits (fetch handler)', () => {
  it('refuses a 50 MB streamed body after reading little more than the limit, and cancels the stream', async () => {
    const { stream, state } = countingBody(FIFTY_MB);
    const request = new Request(`http://localhost${BASE}/agents/echo/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'input_too_large' });
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it('refuses a body whose Content-Length is over the limit without reading any of it', async () => {
    const { stream, state } = countingBody(FIFTY_MB);
    const request = new Request(`http://localhost${BASE}/agents/echo/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(FIFTY_MB), cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(state.pulled).toBe(0);
  });

  it('reads nothing from an unauthenticated request', async () => {
    const { stream, state } = countingBody(FIFTY_MB);
    const request = new Request(`http://localhost${BASE}/agents/echo/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect((await handler(request)).status).toBe(401);
    expect(state.pulled).toBe(0);
  });

  it('answers invalid_json for a body that is not UTF-8', async () => {
    const request = new Request(`http://localhost${BASE}/agents/echo/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    const response = await handler(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'invalid_json',
      detail: 'The request body is not valid UTF-8 text. Send JSON encoded as UTF-8.',
      issues: [{ path: [], code: 'json_syntax', message: 'The body is not valid UTF-8.', line: 1, column: 1 }],
    });
  });

  it('answers 415 to a body that is not declared JSON, saying what it got and what to send', async () => {
    const post = (headers: Record<string, string>) =>
      handler(
        new Request(`http://localhost${BASE}/agents/echo/executions`, {
          method: 'POST',
          headers: { ...headers, cookie },
          body: new TextEncoder().encode('{}'),
        }),
      );
    const typed = await post({ 'content-type': 'text/plain' });
    expect(typed.status).toBe(415);
    expect(await typed.json()).toMatchObject({
      code: 'invalid_json',
      userMessage: 'The request was sent in a format the server does not accept.',
      detail: 'The request body must be JSON: send "Content-Type: application/json" (got "text/plain").',
    });
    const untyped = await post({});
    expect(untyped.status).toBe(415);
    expect((await untyped.json()).detail).toBe(
      'The request body must be JSON: send "Content-Type: application/json" (got no content type).',
    );
  });

  it('a 413 names the limit it hit, in bytes', async () => {
    const response = await handler(
      new Request(`http://localhost${BASE}/agents/echo/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(FIFTY_MB), cookie },
        body: '{}',
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      code: 'input_too_large',
      limit: { kind: 'input_size', value: 1048576, unit: 'bytes' },
      detail:
        "The request body is larger than 1048576 bytes. Send a smaller input, or raise the handler's maxBodyBytes.",
    });
  });
});

describe('request body limits (node:http on loopback)', () => {
  let server: Loopback;
  const bytesReadAtAnswer: number[] = [];

  beforeAll(async () => {
    const listener = toNodeListener(handler);
    server = await listen((req, res) => {
      res.on('finish', () => bytesReadAtAnswer.push(req.socket.bytesRead));
      listener(req, res);
    });
  });
  afterAll(() => server.close());

  it('answers 413 to a 50 MB chunked upload long before it is sent, having read a small part of it', async () => {
    const url = new URL(`${server.origin}${BASE}/agents/echo/executions`);
    const result = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'transfer-encoding': 'chunked' },
      });
      const chunk = Buffer.alloc(CHUNK, 0x20);
      const pump = () => {
        while (!answered && written < FIFTY_MB) {
          written += CHUNK;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => {
          body += part;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, written });
          req.destroy();
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      pump();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'input_too_large' });
    expect(result.written).toBeLessThan(FIFTY_MB);
    const serverRead = bytesReadAtAnswer.at(-1) ?? Number.POSITIVE_INFINITY;
    expect(serverRead).toBeLessThan(4 * 1024 * 1024);
  });
});
