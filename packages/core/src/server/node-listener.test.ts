// toNodeListener's answer side (node-listener.ts), seen from a node:http client over loopback:
// how a fetch `Response` becomes the HTTP answer (status text, cookies, one-chunk and streamed
// bodies, event streams), when the connection is kept, and what a handler failure or a client
// that leaves does. What the handler is given is in node-request.test.ts.

import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Loopback, listen } from './loopback.test-support';
import { type NodeListener, toNodeListener } from './node-listener';

interface Answer {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the whole message arrived (false when the server cut the response off). */
  complete: boolean;
}

let server: Loopback | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  agent?.destroy();
  agent = undefined;
  await server?.close();
  server = undefined;
});

/** Polls real I/O; never a fixed sleep. */
const eventually = (assertion: () => void | Promise<void>) => vi.waitFor(assertion, { timeout: 5_000, interval: 5 });

/** Turns the event loop a few times, so that work the server queued after answering has run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function serve(listener: NodeListener): Promise<Loopback> {
  server = await listen(listener);
  return server;
}

/** One request on a keep-alive connection; the answer as received. */
function send(
  origin: string,
  options: { method?: string; path?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<Answer> {
  agent ??= new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${origin}${options.path ?? '/api'}`, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      agent,
    });
    request.on('error', reject);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => undefined);
      response.on('close', () =>
        resolve({
          status: response.statusCode ?? 0,
          statusMessage: response.statusMessage ?? '',
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          complete: response.complete,
        }),
      );
    });
    request.end(options.body);
  });
}

const encoder = new TextEncoder();

/** A body of the given chunks, each enqueued on its own read. */
function chunked(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const queue = [...chunks];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
}

describe('toNodeListener: the answer', () => {
  it('keeps the status text the handler chose', async () => {
    const { origin } = await serve(
      toNodeListener(async () => new Response('made', { status: 201, statusText: 'Made It' })),
    );
    const answer = await send(origin);
    expect(answer).toMatchObject({ status: 201, statusMessage: 'Made It', body: 'made' });
  });

  it('sends each Set-Cookie as its own header, and none when there are none', async () => {
    const { origin } = await serve(
      toNodeListener(async (request) => {
        const headers = new Headers({ 'x-kind': 'cookies' });
        if (new URL(request.url).pathname === '/two') {
          headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
          headers.append('set-cookie', 'b=2, with a comma');
        }
        return new Response('ok', { headers });
      }),
    );
    expect((await send(origin, { path: '/two' })).headers['set-cookie']).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2, with a comma',
    ]);
    const none = await send(origin, { path: '/none' });
    expect(none.headers['x-kind']).toBe('cookies');
    expect(none.headers['set-cookie']).toBeUndefined();
  });

  it('a response without a body ends at the headers', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response(null, { status: 204 })));
    expect(await send(origin)).toMatchObject({ status: 204, body: '', complete: true });
  });

  it('an empty body answers Content-Length 0', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response(chunked([]))));
    const answer = await send(origin);
    expect(answer).toMatchObject({ status: 200, body: '', complete: true });
    expect(answer.headers['content-length']).toBe('0');
  });

  it('a body that arrives in one chunk goes out with its Content-Length, not chunked', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response(chunked(['{"one":"chunk"}']))));
    const answer = await send(origin);
    expect(answer.body).toBe('{"one":"chunk"}');
    expect(answer.headers['content-length']).toBe('15');
    expect(answer.headers['transfer-encoding']).toBeUndefined();
  });

  it('a body in several chunks streams through whole, chunked', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response(chunked(['one ', 'two ', 'three']))));
    const answer = await send(origin);
    expect(answer.body).toBe('one two three');
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.headers['content-length']).toBeUndefined();
  });

  it('a large body in large chunks arrives whole (the writes wait for the socket to drain)', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    const { origin } = await serve(toNodeListener(async () => new Response(chunked(Array(16).fill(chunk)))));
    const answer = await send(origin);
    expect(answer.body.length).toBe(16 * chunk.length);
    expect(answer.complete).toBe(true);
  });

  it('asks the body for its next chunk only after the socket has drained, and leaves no listener behind', async () => {
    const megabyte = encoder.encode('x'.repeat(1024 * 1024));
    // What happened, in order: `pull` (the body asked for a chunk), `full` (a write the socket
    // could not take at once), `drain` (the socket caught up).
    const log: string[] = [];
    let sent = 0;
    const long = () =>
      new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            log.push('pull');
            if (sent === 16) controller.close();
            else {
              sent += 1;
              controller.enqueue(megabyte);
            }
          },
        },
        // Nothing read ahead: a pull is the listener asking for the next chunk.
        { highWaterMark: 0 },
      );
    const left = new Map<string, { drain: number; close: number }>();
    const listener = toNodeListener(async (request) =>
      new URL(request.url).pathname === '/long' ? new Response(long()) : new Response('one chunk'),
    );
    const { origin } = await serve((req, res) => {
      const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
      res.write = ((chunk: Uint8Array) => {
        const taken = write(chunk);
        if (!taken) log.push('full');
        return taken;
      }) as typeof res.write;
      res.on('drain', () => log.push('drain'));
      res.on('finish', () =>
        left.set(req.url ?? '', { drain: res.listenerCount('drain'), close: res.listenerCount('close') }),
      );
      listener(req, res);
    });

    expect((await send(origin, { path: '/short' })).body).toBe('one chunk');
    const answer = await send(origin, { path: '/long' });
    expect(answer.body.length).toBe(16 * megabyte.byteLength);
    expect(answer.complete).toBe(true);

    expect(log).toContain('full');
    let waiting = false;
    for (const entry of log) {
      if (entry === 'full') waiting = true;
      else if (entry === 'drain') waiting = false;
      else expect(waiting, `a pull while the socket was full: ${log.join(' ')}`).toBe(false);
    }
    // Every wait for `drain` removed its listeners: as many are left as after a one-chunk answer.
    expect(left.get('/long')).toEqual(left.get('/short'));
  });

  it('releases its lock on the body once the answer is sent (empty, one chunk, several)', async () => {
    const bodies = new Map<string, ReadableStream<Uint8Array>>();
    const { origin } = await serve(
      toNodeListener(async (request) => {
        const path = new URL(request.url).pathname;
        const body = chunked(path === '/empty' ? [] : path === '/one' ? ['one'] : ['one ', 'two']);
        bodies.set(path, body);
        return new Response(body);
      }),
    );
    for (const [path, text] of [
      ['/empty', ''],
      ['/one', 'one'],
      ['/several', 'one two'],
    ] as const) {
      expect((await send(origin, { path })).body).toBe(text);
      expect(bodies.get(path)?.locked, path).toBe(false);
    }
  });

  it('an event stream sends its headers at once, and each event as it comes', async () => {
    let events: ReadableStreamDefaultController<Uint8Array> | undefined;
    const cancelled = vi.fn();
    const { origin } = await serve(
      toNodeListener(
        async () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                events = controller;
              },
              cancel: cancelled,
            }),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
      ),
    );
    const received: string[] = [];
    let response: IncomingMessage | undefined;
    const request = httpRequest(`${origin}/api`);
    request.on('error', () => undefined);
    request.on('response', (incoming: IncomingMessage) => {
      response = incoming;
      incoming.on('data', (chunk: Buffer) => received.push(chunk.toString('utf8')));
      incoming.on('error', () => undefined);
    });
    request.end();
    // Nothing has been enqueued yet: the headers alone.
    await eventually(() => expect(response?.headers['content-type']).toBe('text/event-stream'));
    events!.enqueue(encoder.encode('data: 1\n\n'));
    await eventually(() => expect(received).toEqual(['data: 1\n\n']));
    events!.enqueue(encoder.encode('data: 2\n\n'));
    await eventually(() => expect(received).toEqual(['data: 1\n\n', 'data: 2\n\n']));
    expect(cancelled).not.toHaveBeenCalled();

    // The client leaves while the stream waits for its next event: the stream is cancelled.
    request.destroy();
    await eventually(() => expect(cancelled).toHaveBeenCalledOnce());
  });

  it('a body that fails half-way cuts the response off instead of ending it as if complete', async () => {
    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls <= 2) controller.enqueue(encoder.encode(`part ${pulls} `));
        else controller.error(new Error('the source broke'));
      },
    });
    const { origin } = await serve(toNodeListener(async () => new Response(failing)));
    // Cut off: either mid-body or before the headers left (the client then sees a hang-up).
    const outcome = await send(origin).then(
      (answer) => (answer.complete ? `complete: ${answer.body}` : 'cut off'),
      (error: Error) => `cut off: ${error.message}`,
    );
    expect(outcome).toMatch(/^cut off/);
    expect(pulls).toBe(3);
  });
});

describe('toNodeListener: keeping the connection', () => {
  it('keeps it after a body the handler read whole', async () => {
    const { origin } = await serve(
      toNodeListener(async (request) => new Response(`read ${(await request.text()).length}`)),
    );
    const answer = await send(origin, { method: 'POST', body: 'hello', headers: { 'content-length': 5 } });
    expect(answer.body).toBe('read 5');
    expect(answer.headers.connection).toBe('keep-alive');
  });

  it('closes it after a body the handler never read, still arriving', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response('not read', { status: 401 })));
    // 1 KiB of a declared megabyte: the answer comes while the rest is still owed.
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(origin).port), '127.0.0.1');
      let raw = '';
      socket.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
        if (raw.includes('\r\n\r\n')) {
          socket.destroy();
          resolve(raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase());
        }
      });
      socket.on('error', reject);
      socket.write(`POST /api HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n${'x'.repeat(1024)}`);
    });
    expect(head).toMatch(/^http\/1\.1 401 /);
    expect(head).toContain('\r\nconnection: close');
  });

  it('closes it after a GET whose body arrived with its headers (a GET body is never read)', async () => {
    const { origin } = await serve(toNodeListener(async () => new Response('got')));
    const answer = await send(origin, { method: 'GET', body: 'hello', headers: { 'content-length': 5 } });
    expect(answer.body).toBe('got');
    expect(answer.headers.connection).toBe('close');
    // Headers and body in one packet: Node has the whole message before the handler answers.
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(origin).port), '127.0.0.1');
      let raw = '';
      socket.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
        if (raw.includes('\r\n\r\ngot')) {
          socket.destroy();
          resolve(raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase());
        }
      });
      socket.on('error', reject);
      socket.write('GET /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello');
    });
    expect(head).toContain('\r\nconnection: close');
  });

  it('closes it after a GET with a body also when the whole request is in before the handler answers', async () => {
    let arrived: IncomingMessage | undefined;
    const listener = toNodeListener(async () => {
      // A handler that answers after some work of its own: by then Node has read the whole request.
      await eventually(() => expect(arrived?.complete).toBe(true));
      return new Response('got');
    });
    const { origin } = await serve((req, res) => {
      arrived = req;
      listener(req, res);
    });
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(origin).port), '127.0.0.1');
      let raw = '';
      socket.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
        if (raw.includes('\r\n\r\ngot')) {
          socket.destroy();
          resolve(raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase());
        }
      });
      socket.on('error', reject);
      socket.write('GET /api HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello');
    });
    expect(head).toContain('\r\nconnection: close');
  });
});

describe('toNodeListener: failures and clients that leave', () => {
  it('a handler that throws answers the generic 500 problem, without its words', async () => {
    const { origin } = await serve(
      toNodeListener(async () => {
        throw new Error('database password is hunter2');
      }),
    );
    const answer = await send(origin);
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 500, type: 'urn:agentry:error:internal' });
    expect(answer.body).not.toContain('hunter2');
  });

  it('as Express middleware, a handler failure goes to next and nothing else is answered', async () => {
    const failure = new Error('handler broke');
    const listener = toNodeListener(async () => {
      throw failure;
    });
    const next = vi.fn();
    const { origin } = await serve((req, res) =>
      listener(req, res, (error) => {
        next(error);
        res.statusCode = 502;
        res.end('from next');
      }),
    );
    const answer = await send(origin);
    expect(answer).toMatchObject({ status: 502, body: 'from next' });
    expect(next).toHaveBeenCalledExactlyOnceWith(failure);
  });

  it('a refused request target is answered once, and next is not called', async () => {
    const next = vi.fn();
    const handler = vi.fn(async () => new Response('never'));
    const listener = toNodeListener(handler);
    const { origin } = await serve((req, res) => listener(req, res, next));
    const answer = await send(origin, { path: '/a%zz' });
    expect(answer.status).toBe(400);
    await settle();
    expect(handler).not.toHaveBeenCalled();
    expect(next).not.toHaveBeenCalled();
  });

  it('a client that leaves before the answer aborts the request signal, and the answer body is cancelled unread', async () => {
    const cancelled = vi.fn();
    let reason: unknown;
    const listener = toNodeListener(async (request) => {
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
      reason = request.signal.reason;
      // A body that never produces: only a cancel can end it.
      return new Response(new ReadableStream({ cancel: cancelled }), { headers: { 'content-type': 'text/plain' } });
    });
    let arrived = false;
    const { origin } = await serve((req, res) => {
      arrived = true;
      listener(req, res);
    });
    const request = httpRequest(`${origin}/api`);
    request.on('error', () => undefined);
    request.end();
    await eventually(() => expect(arrived).toBe(true));
    request.destroy();
    await eventually(() => expect(cancelled).toHaveBeenCalledOnce());
    expect((reason as Error).message).toBe('The client closed the connection.');
  });

  it('a client that leaves before a bodiless answer: nothing fails and next is not called', async () => {
    const next = vi.fn();
    let answered = false;
    const listener = toNodeListener(async (request) => {
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
      answered = true;
      return new Response(null, { status: 204 });
    });
    let arrived = false;
    const { origin } = await serve((req, res) => {
      arrived = true;
      listener(req, res, next);
    });
    const request = httpRequest(`${origin}/api`);
    request.on('error', () => undefined);
    request.end();
    await eventually(() => expect(arrived).toBe(true));
    request.destroy();
    await eventually(() => expect(answered).toBe(true));
    await settle();
    expect(next).not.toHaveBeenCalled();
  });

  it('a complete answer leaves the request signal unaborted when the connection closes afterwards', async () => {
    let signal: AbortSignal | undefined;
    let closed = false;
    const listener = toNodeListener(async (request) => {
      signal = request.signal;
      return new Response('done');
    });
    const { origin } = await serve((req, res) => {
      res.on('close', () => {
        closed = true;
      });
      listener(req, res);
    });
    const answer = await send(origin, { headers: { connection: 'close' } });
    expect(answer.body).toBe('done');
    await eventually(() => expect(closed).toBe(true));
    await settle();
    expect(signal?.aborted).toBe(false);
  });
});
