// How the handler answers: JSON bodies and problem documents, both redacted, and the one place
// where an unexpected error's own words are logged (never answered).
import { isAgentryError } from '../errors';
import { logUnexpectedError } from '../internal/unexpected-error';
import { composeRedactors, createRedactor, type Logger, type Redactor, type Secret } from '../logging';
import { JSON_CONTENT_TYPE, type ProtocolProblem, toProblem, withUtf8 } from '../protocol';
import { problemResponse, redactHeaders } from './problem-response';

/** The handler's answers, redacted with its one redactor. */
export interface Responder {
  /** A JSON answer, its body and extra headers redacted. */
  json(value: unknown, status: number, extra: Record<string, string>): Response;
  /** A `204 No Content` answer with the extra headers. */
  noContent(extra: Record<string, string>): Response;
  /** The problem document for `error` (a `protocol` problem when given); internal errors are logged first. */
  problem(error: unknown, extra: Record<string, string>, request: Request, protocol?: ProtocolProblem): Response;
  /** Internal errors answer a generic problem; their own words are logged here, redacted, and nowhere else. */
  logIfInternal(error: unknown, request: Request): void;
}

/** The handler's redactor: the executor's (which knows its providers' keys), plus the handler's own secrets. */
export function handlerRedactor(
  secrets: readonly (string | Secret)[],
  executorRedactor: Redactor | undefined,
): Redactor {
  // One pass when there is nothing to add: every response is redacted, so this is on the hot path.
  if (executorRedactor !== undefined && secrets.length === 0) return executorRedactor;
  const first = createRedactor(secrets);
  const second = executorRedactor;
  if (second === undefined) return first;
  // Composed (not two calls in a row) so that event streams stay streaming: see createStreamRedactor.
  return composeRedactors(first, second);
}

function isEmpty(record: Record<string, string>): boolean {
  for (const _ in record) return false;
  return true;
}

/** The answers of one handler; `logger` is already redacting. */
export function createResponder(redactor: Redactor, logger: Logger): Responder {
  const jsonHeaders: Record<string, string> = redactHeaders(
    {
      'content-type': withUtf8(JSON_CONTENT_TYPE),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    redactor,
  );

  function logIfInternal(error: unknown, request: Request): void {
    if (isAgentryError(error) && error.code !== 'internal') return;
    logUnexpectedError(logger, redactor, 'agentry.http.internal_error', error, {
      method: request.method,
      path: new URL(request.url).pathname,
    });
  }

  return {
    json(value, status, extra) {
      const headers = isEmpty(extra) ? jsonHeaders : { ...jsonHeaders, ...redactHeaders(extra, redactor) };
      return new Response(JSON.stringify(redactor.redactValue(value)), { status, headers });
    },
    noContent(extra) {
      return new Response(null, {
        status: 204,
        headers: { 'cache-control': 'no-store', ...redactHeaders(extra, redactor) },
      });
    },
    problem(error, extra, request, protocol) {
      logIfInternal(error, request);
      return problemResponse(toProblem(error, protocol), redactor, extra);
    },
    logIfInternal,
  };
}
