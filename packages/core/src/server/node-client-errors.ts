// Requests Node's HTTP parser refuses never reach a listener: Node answers them itself with a
// bare `400 Bad Request` (or closes a CONNECT without a word). This makes a server answer them
// in the protocol's own form, problem+json, like every other refusal.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProblemDocument } from '../protocol';
import { DEFAULT_ALLOWED_METHODS, protocolProblem, rawProblemResponse } from './node-problem';

/** Options for {@link handleNodeClientErrors}. */
export interface NodeClientErrorOptions {
  /**
   * The methods listed in `Allow` when a method is refused (`FOO`, `get`, `TRACK`, `CONNECT`).
   * @default ['GET', 'POST']
   */
  allowedMethods?: readonly string[];
}

type ParserError = Error & { code?: string };

/** The answer for each parser error code; anything else is a 400. */
function problemFor(
  code: string | undefined,
  allow: string,
): { problem: ProblemDocument; headers: Record<string, string> } {
  switch (code) {
    case 'HPE_INVALID_METHOD':
      return {
        problem: protocolProblem(
          'method_not_allowed',
          `This method is not supported; use ${allow} (methods are upper case).`,
        ),
        headers: { allow },
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        problem: protocolProblem(
          'header_too_large',
          'The request line and headers are too large. Shorten the URL or the headers.',
        ),
        headers: {},
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        problem: protocolProblem('request_timeout', 'The request did not arrive in time. Send it again.'),
        headers: {},
      };
    case 'HPE_INVALID_URL':
      return { problem: protocolProblem('bad_request', 'The request target is not a valid URL.'), headers: {} };
    default:
      return {
        problem: protocolProblem(
          'bad_request',
          `The request is not valid HTTP/1.1 (${code ?? 'unreadable'}): check the request line, headers, Content-Length and chunked encoding.`,
        ),
        headers: {},
      };
  }
}

/**
 * Makes a `node:http` (or `node:https`) server answer the requests its parser refuses, and
 * `CONNECT` requests, with problem+json instead of Node's bare `400 Bad Request` or a silently
 * closed connection: an unknown or lowercase method answers 405 with `Allow`, oversized
 * headers 431, a request that arrives too slowly 408, anything else malformed (broken chunked
 * encoding, both `Content-Length` and `Transfer-Encoding`, invalid header characters) 400.
 * The connection is closed after the answer. Returns a function that removes the handlers.
 *
 * @example
 * const server = http.createServer(toNodeListener(handler));
 * handleNodeClientErrors(server);
 *
 * // Express: handleNodeClientErrors(app.listen(3000));
 */
export function handleNodeClientErrors(server: EventEmitter, options: NodeClientErrorOptions = {}): () => void {
  const allow = (options.allowedMethods ?? DEFAULT_ALLOWED_METHODS).join(', ');

  const onClientError = (error: ParserError, socket: Duplex) => {
    // A reset connection has no one to answer; a response already under way cannot be replaced.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const { problem, headers } = problemFor(error.code, allow);
    socket.end(rawProblemResponse(problem, headers));
  };

  const onConnect = (_request: IncomingMessage, socket: Duplex) => {
    const problem = protocolProblem(
      'method_not_allowed',
      `CONNECT is not supported: this server is not a proxy. Use ${allow}.`,
    );
    socket.end(rawProblemResponse(problem, { allow }));
  };

  server.on('clientError', onClientError);
  server.on('connect', onConnect);
  return () => {
    server.off('clientError', onClientError);
    server.off('connect', onConnect);
  };
}
