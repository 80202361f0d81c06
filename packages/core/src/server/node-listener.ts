// The Node adapter (with node-request.ts, node-problem.ts and node-client-errors.ts, the only
// files of the server that refer to `node:` modules), so the handler itself stays
// fetch-runtime-only (Next.js, Hono, Workers, Deno, Bun).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isEventStreamContentType, toProblem } from '../protocol';
import { DEFAULT_ALLOWED_METHODS, sendProblem } from './node-problem';
import { declaresBody, type ServeSettings, toRequest } from './node-request';

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
  /**
   * The methods listed in `Allow` when a request's method cannot reach the handler: a fetch
   * `Request` cannot carry `TRACE`, `TRACK` or `CONNECT`, so those are answered 405 here.
   * List your own routes' methods if the handler serves others.
   * @default ['GET', 'POST', 'PUT', 'DELETE']
   */
  allowedMethods?: readonly string[];
}

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
 * - Requests that cannot become a `Request` never cause a 500: a method `Request` refuses
 *   (`TRACE`, `TRACK`, `CONNECT`) answers 405 problem+json with `Allow`; a malformed target
 *   (`//[`, `http://[bad/`, `*`, an authority, bad percent-encoding, credentials in the URL)
 *   answers 400 problem+json (`urn:agentry:error:bad_request`). For what Node's own parser
 *   refuses before any listener runs (unknown methods such as `FOO`, lowercase methods,
 *   oversized headers, broken chunked encoding), install {@link handleNodeClientErrors}.
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): NodeListener {
  const settings: ServeSettings = {
    fallbackOrigin: new URL(options.fallbackOrigin ?? 'http://localhost').origin,
    allow: (options.allowedMethods ?? DEFAULT_ALLOWED_METHODS).join(', '),
  };
  return (req, res, next) => {
    serve(handler, req, res, settings).catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      // The generic internal problem: the error's own words are not sent.
      sendProblem(res, toProblem(error));
    });
  };
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
  settings: ServeSettings,
): Promise<void> {
  const controller = new AbortController();
  const state = { abandoned: false };
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });

  const request = toRequest(req, res, settings, controller.signal, state);
  if (request === undefined) return;
  const hasBody = request.body !== null;
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
  // A body left unread (refused as too large, or sent with a GET) is not drained: close the
  // connection after the answer instead of reading the rest.
  if ((hasBody && (state.abandoned || !req.complete)) || (!hasBody && declaresBody(req))) {
    res.setHeader('connection', 'close');
  }

  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const isEventStream = isEventStreamContentType(response.headers.get('content-type'));
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
