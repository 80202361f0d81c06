// The Node adapter: the only file of the server that imports `node:` modules, so the
// handler itself stays fetch-runtime-only (Next.js, Hono, Workers, Deno, Bun).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A node:http request listener, also usable as Express middleware (`next` is called on adapter failures). */
export type NodeListener = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Options for {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * The origin used to build `Request.url` when the `Host` header is missing or invalid.
   * @default 'http://localhost'
   */
  fallbackOrigin?: string;
}

const BODY_HIGH_WATER_MARK = 64 * 1024;

/**
 * Serves a fetch-style handler from `node:http` or Express:
 * `http.createServer(toNodeListener(handler))` or `app.use('/api/agentry', toNodeListener(handler))`.
 *
 * - The request body streams into `Request.body` with backpressure; a handler that stops
 *   reading (an oversize body) leaves the rest unread and the connection is closed after
 *   the answer instead of draining it.
 * - `Request.signal` aborts when the client disconnects before the answer is complete.
 * - The response body streams back with backpressure (`drain`); a disconnect cancels it,
 *   which cancels a streamed execution.
 * - Express's mount path is kept: the handler sees `req.originalUrl`.
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): NodeListener {
  const fallbackOrigin = options.fallbackOrigin ?? 'http://localhost';
  return (req, res, next) => {
    serve(handler, req, res, fallbackOrigin).catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Internal Server Error');
      } else {
        res.destroy();
      }
    });
  };
}

function requestUrl(req: IncomingMessage, fallbackOrigin: string): string {
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const host = req.headers.host;
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  if (host !== undefined && /^[A-Za-z0-9.[\]:-]+$/.test(host)) {
    try {
      return new URL(path, `${protocol}://${host}`).href;
    } catch {
      // fall through to the fallback origin
    }
  }
  return new URL(path, fallbackOrigin).href;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.startsWith(':')) continue;
    try {
      headers.append(name, raw[index + 1]!);
    } catch {
      // A header value fetch refuses (invalid characters) is dropped rather than failing the request.
    }
  }
  return headers;
}

/** The IncomingMessage as a web stream, pausing the socket whenever the reader falls behind. */
function requestBody(req: IncomingMessage, state: { abandoned: boolean }): ReadableStream<Uint8Array> {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => {
    cleanup();
    controller.close();
  };
  const onError = (error: Error) => {
    cleanup();
    controller.error(error);
  };
  const cleanup = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('error', onError);
      },
      pull() {
        req.resume();
      },
      cancel() {
        // Stop reading; the rest of the body is never pulled off the socket.
        state.abandoned = true;
        cleanup();
        req.pause();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: BODY_HIGH_WATER_MARK }),
  );
}

function waitForDrainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function serve(
  handler: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  fallbackOrigin: string,
): Promise<void> {
  const controller = new AbortController();
  const state = { abandoned: false };
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });

  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers: requestHeaders(req),
    signal: controller.signal,
  };
  if (hasBody) {
    init.body = requestBody(req, state);
    init.duplex = 'half';
  }
  const request = new Request(requestUrl(req, fallbackOrigin), init);
  const response = await handler(request);

  if (res.destroyed) {
    await response.body?.cancel().catch(() => undefined);
    return;
  }
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  // A body left unread (refused as too large) is not drained: close the connection after the answer.
  if (hasBody && (state.abandoned || !req.complete)) res.setHeader('connection', 'close');

  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const isEventStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  if (isEventStream) {
    // Event streams must reach the client now, not with the first event.
    res.flushHeaders();
  } else if (!response.headers.has('content-length')) {
    // A body that arrives in one chunk (every JSON answer) goes out with a Content-Length
    // in one write instead of chunked encoding: fewer syscalls on the hot path.
    const first = await reader.read();
    if (first.done) {
      reader.releaseLock();
      res.end();
      return;
    }
    const second = await reader.read();
    if (second.done) {
      reader.releaseLock();
      res.setHeader('content-length', first.value.byteLength);
      res.end(first.value);
      return;
    }
    res.write(first.value);
    if (!res.write(second.value)) await waitForDrainOrClose(res);
  }
  const onClose = () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel().catch(() => undefined);
        return;
      }
      if (!res.write(value)) await waitForDrainOrClose(res);
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : undefined);
  } finally {
    res.off('close', onClose);
    reader.releaseLock();
  }
}
