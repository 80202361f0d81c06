// IncomingMessage → `Request` (node-request.ts), seen from the handler: raw HTTP/1.1 over
// loopback to toNodeListener, and a handler that answers what it was given (the URL, the method,
// the headers, the body). The refusals (405, 400) are in raw-requests.test.ts; here each one's
// detail, so a wrong branch shows.

import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Loopback, listen } from './loopback.test-support';
import { toNodeListener } from './node-listener';

interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

/** Answers the request it got, as JSON. */
async function echo(request: Request): Promise<Response> {
  const seen: Seen = {
    method: request.method,
    url: request.url,
    headers: [...request.headers],
    body: request.body === null ? null : await request.text(),
  };
  return Response.json(seen);
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `text` to a fresh connection and reads until the server closes it. */
function sendRaw(origin: string, text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(parse(Buffer.concat(chunks).toString('utf8'))));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    socket.write(text);
  });
}

/** Reads one answer (its Content-Length) on a connection the server may keep open, then leaves. */
function firstAnswer(origin: string, text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    let raw = '';
    socket.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      if (split === -1) return;
      const answer = parse(raw);
      if (Buffer.byteLength(answer.body) < Number(answer.headers['content-length'])) return;
      socket.destroy();
      resolve(answer);
    });
    socket.on('error', reject);
    socket.write(text);
  });
}

function parse(raw: string): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = raw.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers, body: raw.slice(split + 4) };
}

let plain: Loopback;
let tls: Loopback;
let fallback: Loopback;

beforeAll(async () => {
  plain = await listen(toNodeListener(echo));
  // A TLS socket says `encrypted`; node:https is not needed to see what the adapter makes of it.
  const behindTls = toNodeListener(echo);
  tls = await listen((req, res) => {
    Object.defineProperty(req.socket, 'encrypted', { value: true });
    behindTls(req, res);
  });
  fallback = await listen(toNodeListener(echo, { fallbackOrigin: 'https://api.example.com:8443/ignored/path' }));
});
afterAll(async () => {
  await Promise.all([plain.close(), tls.close(), fallback.close()]);
});

/** A request with `Connection: close`; `head` holds the request line and any headers. */
async function ask(server: Loopback, head: string, body = ''): Promise<RawAnswer> {
  return sendRaw(server.origin, `${head}\r\nConnection: close\r\n\r\n${body}`);
}

async function seen(server: Loopback, head: string, body = ''): Promise<Seen> {
  const answer = await ask(server, head, body);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Seen;
}

async function detail(head: string): Promise<unknown> {
  const answer = await ask(plain, head);
  expect(answer.status).toBe(400);
  return (JSON.parse(answer.body) as { detail: unknown }).detail;
}

describe('the URL the handler sees', () => {
  it('an origin-form target is a path on the Host, with its query, over http or https', async () => {
    expect((await seen(plain, 'GET /api/runs?limit=5&q=a HTTP/1.1\r\nHost: agents.example:3000')).url).toBe(
      'http://agents.example:3000/api/runs?limit=5&q=a',
    );
    expect((await seen(tls, 'GET /api/runs HTTP/1.1\r\nHost: agents.example')).url).toBe(
      'https://agents.example/api/runs',
    );
    expect((await seen(plain, 'GET /api HTTP/1.1\r\nHost: [::1]:8080')).url).toBe('http://[::1]:8080/api');
  });

  it('a Host that is not a host name falls back to the configured origin, path and query kept', async () => {
    for (const host of ['evil.example/other', 'a b', 'user@evil.example', '']) {
      expect((await seen(fallback, `GET /api/runs?x=1 HTTP/1.1\r\nHost: ${host}`)).url).toBe(
        'https://api.example.com:8443/api/runs?x=1',
      );
    }
    // No Host at all (HTTP/1.0), and the default fallback origin.
    expect((await seen(fallback, 'GET /api HTTP/1.0')).url).toBe('https://api.example.com:8443/api');
    expect((await seen(plain, 'GET /api HTTP/1.0')).url).toBe('http://localhost/api');
  });

  it('a Host that only a URL parser refuses falls back too', async () => {
    expect((await seen(fallback, 'GET /api HTTP/1.1\r\nHost: [bad')).url).toBe('https://api.example.com:8443/api');
  });

  it('an absolute-form target names its own host, whatever the Host header says', async () => {
    expect((await seen(plain, 'GET http://other.example:8080/api/x?q=1 HTTP/1.1\r\nHost: a')).url).toBe(
      'http://other.example:8080/api/x?q=1',
    );
    expect((await seen(plain, 'GET HTTPS://Other.Example/api HTTP/1.1\r\nHost: a')).url).toBe(
      'https://other.example/api',
    );
    // The authority is not held to path characters: an IPv6 host's brackets are fine there.
    expect((await seen(plain, 'GET http://[::1]:8080/api HTTP/1.1\r\nHost: a')).url).toBe('http://[::1]:8080/api');
  });

  it('only the path must be made of path characters: the query may hold others, encoded or not', async () => {
    expect((await seen(plain, 'GET /api/x?q="a"|{b} HTTP/1.1\r\nHost: a')).url).toBe('http://a/api/x?q=%22a%22|{b}');
    expect((await seen(plain, 'GET http://a/api/x?q="a" HTTP/1.1\r\nHost: a')).url).toBe('http://a/api/x?q=%22a%22');
    // Every character RFC 3986 allows in a path.
    const allowed = "/AZaz09-._~%20!$&'()*+,;=:@/";
    expect((await seen(plain, `GET ${allowed} HTTP/1.1\r\nHost: a`)).url).toBe(`http://a${allowed}`);
  });
});

describe('why a target is refused', () => {
  const PATH_CHARACTERS =
    'The request path holds characters a URL path cannot ([, ], \\, {, |, quotes, spaces…): percent-encode them.';

  it.each([
    '/api/"x"',
    '/api/x|y',
    '/api/{id}',
    '/api/[0]',
    'http://a/api/"x"',
    '/api/x`',
    '/a"b?next=http://c.example',
  ])('%s: characters a path cannot hold', async (target) => {
    expect(await detail(`GET ${target} HTTP/1.1\r\nHost: a`)).toBe(PATH_CHARACTERS);
  });

  it('credentials in an absolute target, a user or a password alone too', async () => {
    const credentials = 'The request target carries credentials (user:password@): send them in a header instead.';
    for (const target of ['http://user:pw@a/api', 'http://user@a/api', 'http://:pw@a/api']) {
      expect(await detail(`GET ${target} HTTP/1.1\r\nHost: a`)).toBe(credentials);
    }
  });

  it('the asterisk form, another scheme, anything else not starting with /', async () => {
    expect(await detail('GET * HTTP/1.1\r\nHost: a')).toBe(
      'The request target "*" names the whole server; this server only answers requests for paths.',
    );
    const notPath = 'The request target must be a path such as /agents (or an absolute http(s) URL).';
    expect(await detail('GET ftp://a.example/x HTTP/1.1\r\nHost: a')).toBe(notPath);
    expect(await detail('GET **/x HTTP/1.1\r\nHost: a')).toBe(notPath);
  });

  it('an absolute target a URL parser refuses, and bad percent-encoding', async () => {
    expect(await detail('GET http://[bad/ HTTP/1.1\r\nHost: a')).toBe('The request target is not a valid URL.');
    expect(await detail('GET /api/%FF HTTP/1.1\r\nHost: a')).toBe(
      'The request path has invalid percent-encoding: every % must start a UTF-8 byte such as %20.',
    );
  });

  it('a refused method names itself in capitals and the allowed ones', async () => {
    const answer = await ask(plain, 'TRACE /api HTTP/1.1\r\nHost: a');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, POST, PUT, DELETE');
    expect(JSON.parse(answer.body)).toMatchObject({
      detail: 'TRACE is not allowed; use GET, POST, PUT, DELETE.',
    });
  });
});

describe('the method, headers and body the handler sees', () => {
  it('headers arrive as sent, repeated ones joined', async () => {
    const got = await seen(plain, 'GET /api HTTP/1.1\r\nHost: a\r\nX-One: 1\r\nX-Many: a\r\nX-Many: b');
    expect(got.method).toBe('GET');
    expect(got.headers).toEqual(
      expect.arrayContaining([
        ['host', 'a'],
        ['x-one', '1'],
        ['x-many', 'a, b'],
        ['connection', 'close'],
      ]),
    );
    expect(got.body).toBeNull();
  });

  it('a POST body streams through whole, a large one too', async () => {
    const small = await seen(plain, 'POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 11', 'hello world');
    expect(small).toMatchObject({ method: 'POST', body: 'hello world' });
    // Four times the read-ahead of 64 KiB: the socket is paused and resumed on the way.
    const large = 'abcdefgh'.repeat(32 * 1024);
    const got = await seen(plain, `PUT /api HTTP/1.1\r\nHost: a\r\nContent-Length: ${large.length}`, large);
    expect(got.method).toBe('PUT');
    expect(got.body?.length).toBe(large.length);
    expect(got.body === large).toBe(true);
  });

  it('a chunked body streams through; a GET or HEAD body never reaches the handler', async () => {
    const chunked = await seen(
      plain,
      'DELETE /api HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked',
      '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    );
    expect(chunked).toMatchObject({ method: 'DELETE', body: 'hello world' });
    expect((await seen(plain, 'GET /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5', 'hello')).body).toBeNull();
    const head = await ask(plain, 'HEAD /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5', 'hello');
    expect(head.status).toBe(200);
  });

  it('a GET that declares a body closes the connection after the answer; an empty one does not', async () => {
    // Without `Connection: close` from the client: only the adapter decides.
    const connection = async (extra: string) =>
      (await firstAnswer(plain.origin, `GET /api HTTP/1.1\r\nHost: a\r\n${extra}\r\n`)).headers.connection;
    expect(await connection('')).toBe('keep-alive');
    expect(await connection('Content-Length: 0\r\n')).toBe('keep-alive');
    expect(await connection('Content-Length: 5\r\n')).toBe('close');
    expect(await connection('Transfer-Encoding: chunked\r\n')).toBe('close');
  });

  it('a handler that does not read yet holds back the upload: the socket is paused, not read into memory', async () => {
    let incoming: IncomingMessage | undefined;
    let readBeforeReading = Number.POSITIVE_INFINITY;
    const listener = toNodeListener(async (request) => {
      const req = incoming as IncomingMessage;
      // Not a sleep: polls until the adapter has paused the socket (it never does without backpressure).
      await vi.waitFor(() => expect(req.isPaused()).toBe(true), { timeout: 10_000, interval: 5 });
      readBeforeReading = req.socket.bytesRead;
      return echo(request);
    });
    const slow = await listen((req, res) => {
      incoming = req;
      listener(req, res);
    });
    try {
      const body = 'x'.repeat(16 * 1024 * 1024);
      const got = await seen(slow, `POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}`, body);
      expect(got.body?.length).toBe(body.length);
      // The 64 KiB read-ahead and what was in flight, far from the 16 MB sent.
      expect(readBeforeReading).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await slow.close();
    }
  });

  it('a handler that stops reading half-way leaves the rest of the upload on the socket and closes the connection', async () => {
    let incoming: IncomingMessage | undefined;
    let readAtAnswer = Number.POSITIVE_INFINITY;
    const listener = toNodeListener(async (request) => {
      const req = incoming as IncomingMessage;
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await reader.cancel();
      await vi.waitFor(() => expect(req.isPaused()).toBe(true), { timeout: 10_000, interval: 5 });
      readAtAnswer = req.socket.bytesRead;
      return new Response('stopped reading');
    });
    const stopping = await listen((req, res) => {
      incoming = req;
      listener(req, res);
    });
    try {
      const body = 'x'.repeat(16 * 1024 * 1024);
      const answer = await sendRaw(
        stopping.origin,
        `POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.connection).toBe('close');
      expect(readAtAnswer).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await stopping.close();
    }
  });

  it('a body the handler cancels unread closes the connection after the answer', async () => {
    const cancelling = await listen(
      toNodeListener(async (request) => {
        await request.body?.cancel();
        return new Response('not read');
      }),
    );
    try {
      const answer = await firstAnswer(
        cancelling.origin,
        'POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
      );
      expect(answer.body).toBe('not read');
      expect(answer.headers.connection).toBe('close');
    } finally {
      await cancelling.close();
    }
  });
});
