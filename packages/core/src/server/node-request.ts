// IncomingMessage → fetch `Request`: the target, the headers and the streamed body, or a
// problem answered on the spot when the request cannot become a `Request` at all.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { protocolProblem, sendProblem } from './node-problem';

const BODY_HIGH_WATER_MARK = 64 * 1024;

/** What the adapter was configured with. */
export interface ServeSettings {
  fallbackOrigin: string;
  allow: string;
}

// Methods the fetch standard forbids in a `Request` (compared without regard to case).
const FORBIDDEN_METHOD = /^(?:CONNECT|TRACE|TRACK)$/i;
const HOST = /^[A-Za-z0-9.[\]:-]+$/;
// The scheme and authority of an absolute-form target; the rest is its path and query.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;
// RFC 3986 path characters, plus raw non-ASCII (sent unencoded by some clients, encoded by URL).
const PATH = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/\u0080-\uffff]*$/;

/**
 * The URL of the request, or why its target is malformed. The target is read as RFC 9112 says:
 * origin-form (`/path?query`) is a path on this host, even when it starts with `//`;
 * absolute-form (`http://host/path`) names its own host; anything else (`*`, an authority,
 * another scheme) is not a resource this server has.
 */
function requestUrl(req: IncomingMessage, fallbackOrigin: string): { url: URL } | { problem: string } {
  const target = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  let url: URL | undefined;
  const absolute = ABSOLUTE_FORM.exec(target);
  const path = (absolute ? target.slice(absolute[0].length) : target).split('?', 1)[0] as string;
  if (!PATH.test(path)) {
    return {
      problem:
        'The request path holds characters a URL path cannot ([, ], \\, {, |, quotes, spaces…): percent-encode them.',
    };
  }
  if (target.startsWith('/')) {
    const host = req.headers.host;
    const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    // Concatenated, not resolved: resolving `//[` against a base would read it as a host.
    if (host !== undefined && HOST.test(host)) url = parseUrl(`${protocol}://${host}${target}`);
    url ??= parseUrl(`${fallbackOrigin}${target}`);
  } else if (absolute) {
    url = parseUrl(target);
    if (url !== undefined && (url.username !== '' || url.password !== '')) {
      return { problem: 'The request target carries credentials (user:password@): send them in a header instead.' };
    }
  } else {
    return {
      problem:
        target === '*'
          ? 'The request target "*" names the whole server; this server only answers requests for paths.'
          : 'The request target must be a path such as /agents (or an absolute http(s) URL).',
    };
  }
  if (url === undefined) return { problem: 'The request target is not a valid URL.' };
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return { problem: 'The request path has invalid percent-encoding: every % must start a UTF-8 byte such as %20.' };
  }
  return { url };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Whether the request declares a body (it may even on GET: it is then never read). */
export function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
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

/** Builds the `Request`, or answers the request here when it cannot become one. */
export function toRequest(
  req: IncomingMessage,
  res: ServerResponse,
  settings: ServeSettings,
  signal: AbortSignal,
  state: { abandoned: boolean },
): Request | undefined {
  const method = req.method ?? 'GET';
  if (FORBIDDEN_METHOD.test(method)) {
    sendProblem(
      res,
      protocolProblem('method_not_allowed', `${method.toUpperCase()} is not allowed; use ${settings.allow}.`),
      { allow: settings.allow },
    );
    return undefined;
  }
  const target = requestUrl(req, settings.fallbackOrigin);
  if ('problem' in target) {
    sendProblem(res, protocolProblem('bad_request', target.problem));
    return undefined;
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers: requestHeaders(req), signal };
  if (hasBody) {
    init.body = requestBody(req, state);
    init.duplex = 'half';
  }
  try {
    return new Request(target.url, init);
  } catch {
    sendProblem(res, protocolProblem('bad_request', 'The request could not be read as an HTTP request.'));
    return undefined;
  }
}
