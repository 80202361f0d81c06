// What a hostile client can send that `fetch` cannot: request lines written by hand over TCP
// to toNodeListener on 127.0.0.1. Every answer must be a problem+json 4xx, never a 500 and
// never Node's bare `400 Bad Request`.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../logging';
import { createHandler } from './create-handler';
import { type Loopback, listen, resolveTenantFromSession, sessionCookie, testExecutor } from './loopback.test-support';
import { handleNodeClientErrors } from './node-client-errors';
import { toNodeListener } from './node-listener';

const BASE = '/api/agentry';
const cookie = sessionCookie('acme', 'alice');
const logLines: string[] = [];
const answered: number[] = [];
const handler = createHandler({
  executor: testExecutor(),
  resolveTenant: resolveTenantFromSession,
  basePath: BASE,
  logger: jsonLogger({ level: 'debug', write: (line) => logLines.push(line) }),
});
let server: Loopback;
let port: number;

beforeAll(async () => {
  const listener = toNodeListener(async (request) => {
    const response = await handler(request);
    answered.push(response.status);
    return response;
  });
  server = await listen(listener);
  handleNodeClientErrors(server.server);
  port = Number(new URL(server.origin).port);
});
afterAll(() => server.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `text` to a fresh connection and reads until the server closes it. */
function sendRaw(text: string | Buffer, options: { endAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset after answering; what it answered is what counts.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    socket.write(text);
    if (options.endAfterWrite) socket.end();
  });
}

function parse(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  let body = split === -1 ? '' : raw.slice(split + 4);
  if (headers['content-length'] !== undefined) body = body.slice(0, Number(headers['content-length']));
  return { status, headers, body };
}

/** One request line, a Host header, and `Connection: close` so the server ends the exchange. */
async function request(requestLine: string, extraHeaders = ''): Promise<RawAnswer> {
  return parse(await sendRaw(`${requestLine}\r\nHost: 127.0.0.1\r\n${extraHeaders}Connection: close\r\n\r\n`));
}

function expectProblem(answer: RawAnswer, status: number, type: string): Record<string, unknown> {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: `urn:agentry:error:${type}` });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.userMessage).toBe('string');
  return body;
}

describe('methods a fetch Request cannot carry', () => {
  it.each(['TRACE', 'TRACK', 'CONNECT', 'FOO', 'trace', 'get', 'Post'])(
    '%s answers 405 problem+json with Allow',
    async (method) => {
      const answer = await request(`${method} ${BASE}/agents HTTP/1.1`);
      const body = expectProblem(answer, 405, 'method_not_allowed');
      expect(answer.headers.allow).toBe('GET, POST, PUT, DELETE');
      expect(body.code).toBe('not_found');
    },
  );

  it('CONNECT with an authority target answers 405 too', async () => {
    const answer = await request('CONNECT example.com:443 HTTP/1.1');
    expectProblem(answer, 405, 'method_not_allowed');
    expect(answer.headers.allow).toBe('GET, POST, PUT, DELETE');
  });

  it('lists the configured methods in Allow', async () => {
    const custom = await listen(toNodeListener(handler, { allowedMethods: ['GET', 'POST', 'DELETE'] }));
    try {
      const raw = await new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(custom.origin).port), '127.0.0.1');
        let out = '';
        socket.on('data', (chunk: Buffer) => {
          out += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(out));
        socket.write(`TRACE ${BASE}/agents HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
      });
      expect(parse(raw).headers.allow).toBe('GET, POST, DELETE');
    } finally {
      await custom.close();
    }
  });
});

describe('malformed request targets', () => {
  it.each([
    ['//[', 'a protocol-relative target with a broken host'],
    ['http://[bad/', 'an absolute URL with a broken IPv6 host'],
    ['http://127.0.0.1:99999/api/agentry/health', 'a port out of range'],
    ['http://', 'a scheme with nothing after it'],
    ['http://user:secret@127.0.0.1/api/agentry/health', 'credentials in the target'],
    ['*', 'the asterisk form'],
    ['example.com:443', 'the authority form outside CONNECT'],
    ['file:///etc/passwd', 'another scheme'],
    [`${BASE}/agents/%zz/executions`, 'a % not followed by two hex digits'],
    [`${BASE}/agents/%FF/executions`, 'percent-encoding that is not UTF-8'],
    [`${BASE}/%E0%A4%A`, 'a truncated percent-encoded character'],
    ['foo:bar', 'a bare scheme (refused by the parser)'],
    ['\\\\evil', 'backslashes (refused by the parser)'],
  ])('%j (%s) answers 400 problem+json', async (target) => {
    const answer = await request(`GET ${target} HTTP/1.1`);
    const body = expectProblem(answer, 400, 'bad_request');
    expect(body.code).toBe('validation_failed');
    // Nothing from the request is echoed back.
    expect(answer.body).not.toContain('secret');
  });

  it('an absurdly long target answers 431 problem+json', async () => {
    const answer = await request(`GET /${'a'.repeat(70_000)} HTTP/1.1`);
    expectProblem(answer, 431, 'header_too_large');
  });

  it('a target starting with // is a path on this host, not another host', async () => {
    const answer = await request(`GET //evil.example${BASE}/health HTTP/1.1`);
    expectProblem(answer, 404, 'not_found');
  });
});

describe('malformed HTTP framing', () => {
  const post = `POST ${BASE}/agents/echo/executions HTTP/1.1\r\nHost: a\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\n`;
  it.each([
    ['a chunk size that is not hex', `${post}Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n`],
    [
      'Content-Length and Transfer-Encoding together',
      `${post}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    ['a Content-Length that is not a number', `${post}Content-Length: abc\r\n\r\n`],
    ['two different Content-Lengths', `${post}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`],
    ['a Transfer-Encoding other than chunked last', `${post}Transfer-Encoding: gzip\r\n\r\n`],
    ['a control character in a header name', `GET ${BASE}/health HTTP/1.1\r\nHost: a\r\nX-Bad\u0001: v\r\n\r\n`],
    ['bare LF line endings', `GET ${BASE}/health HTTP/1.1\nHost: a\n\n`],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ])('%s answers 400 problem+json', async (_name, text) => {
    const answer = parse(await sendRaw(text));
    expectProblem(answer, 400, 'bad_request');
  });

  it('a GET with a body is answered and the unread body is not drained', async () => {
    const answer = parse(
      await sendRaw(`GET ${BASE}/health HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world`),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
  });

  it('an upload the client abandons half-way is answered as the client’s problem, not logged as internal', async () => {
    const before = answered.length;
    logLines.length = 0;
    await sendRaw(`${post}Content-Length: 1000\r\n\r\n{"input": {"text": "cut`, { endAfterWrite: true });
    for (let turn = 0; turn < 1000 && answered.length === before; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(answered.length).toBe(before + 1);
    expect(answered.at(-1)).toBeGreaterThanOrEqual(400);
    expect(answered.at(-1)).toBeLessThan(500);
    expect(logLines.filter((line) => line.includes('internal_error'))).toEqual([]);
  });
});

describe('whatever the request line', () => {
  const token = fc.constantFrom(
    'GET',
    'POST',
    'TRACE',
    'CONNECT',
    'TRACK',
    'FOO',
    'get',
    'OPTIONS',
    'HEAD',
    'PUT',
    'M-SEARCH',
  );
  const target = fc.oneof(
    fc.string({ maxLength: 40 }).map((text) => `${BASE}/${text}`),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }),
    fc.constantFrom('//[', 'http://[', '*', '/%', '/%%', '//', 'http://a@b/', '/..%2f..%2f', '/\u00ff'),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
  );

  it('answers a 2xx or a problem+json 4xx, never a 5xx, and the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(token, target, async (method, path) => {
        const line = `${method} ${path.replace(/[\r\n]/g, '')} HTTP/1.1`;
        const answer = parse(await sendRaw(Buffer.from(`${line}\r\nHost: a\r\nConnection: close\r\n\r\n`, 'utf8')));
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(500);
        // A HEAD answer has headers only.
        if (answer.status >= 400 && method !== 'HEAD') {
          expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
          expect(() => JSON.parse(answer.body)).not.toThrow();
        }
      }),
      { numRuns: 150 },
    );
    expect((await request(`GET ${BASE}/health HTTP/1.1`)).status).toBe(200);
    expect(logLines.filter((line) => line.includes('internal_error'))).toEqual([]);
  });
});
