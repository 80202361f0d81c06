// Problem documents the Node adapter answers itself, for requests that cannot become a fetch
// `Request` (a method `Request` refuses, a malformed target) or that Node's HTTP parser refuses
// before any listener runs. Their texts are fixed: nothing from the request is echoed back.
import type { ServerResponse } from 'node:http';
import { AgentryError } from '../errors';
import {
  PROBLEM_CONTENT_TYPE,
  PROTOCOL_METHODS,
  PROTOCOL_PROBLEMS,
  type ProblemDocument,
  type ProtocolProblem,
  toProblem,
  withUtf8,
} from '../protocol';

const encoder = new TextEncoder();

/** Methods the Agentry handler serves, listed in `Allow` when a method cannot reach it. */
export const DEFAULT_ALLOWED_METHODS: readonly string[] = PROTOCOL_METHODS;

const USER_MESSAGES: Partial<Record<ProtocolProblem, string>> = {
  method_not_allowed: 'The server does not accept this kind of request.',
  bad_request: 'The request was malformed and could not be read.',
  header_too_large: 'The request headers or address are too long.',
};

/** The problem document for a protocol-level refusal. */
export function protocolProblem(kind: ProtocolProblem, detail: string): ProblemDocument {
  const userMessage = USER_MESSAGES[kind];
  return toProblem(
    new AgentryError(PROTOCOL_PROBLEMS[kind].code, detail, userMessage === undefined ? {} : { userMessage }),
    kind,
  );
}

/** The headers every adapter-level problem answer carries; the connection is always closed. */
export function problemHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': withUtf8(PROBLEM_CONTENT_TYPE),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'close',
    ...extra,
  };
}

/**
 * Answers `problem` on a response that has not started; a response already under way is cut
 * off instead (its status line is gone, so a second answer would corrupt the stream).
 */
export function sendProblem(res: ServerResponse, problem: ProblemDocument, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(problem);
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.statusCode = problem.status;
  res.statusMessage = problem.title;
  for (const [name, value] of Object.entries(problemHeaders(extra))) res.setHeader(name, value);
  res.setHeader('content-length', encoder.encode(body).byteLength);
  res.end(body);
}

/** The same answer as raw HTTP/1.1 bytes, for a socket Node's parser gave up on. */
export function rawProblemResponse(problem: ProblemDocument, extra: Record<string, string> = {}): string {
  const body = JSON.stringify(problem);
  const headers = { ...problemHeaders(extra), 'content-length': String(encoder.encode(body).byteLength) };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${problem.status} ${problem.title}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
