import type { Redactor } from '../logging';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument, withUtf8 } from '../protocol';

/** A redacted `application/problem+json` response; `Retry-After` is set when the error carries a wait. */
export function problemResponse(
  problem: ProblemDocument,
  redactor: Redactor,
  headers: Record<string, string> = {},
): Response {
  const out: Record<string, string> = {
    'content-type': withUtf8(PROBLEM_CONTENT_TYPE),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  };
  if (problem.retryAfterMs !== undefined)
    out['retry-after'] = String(Math.max(0, Math.ceil(problem.retryAfterMs / 1000)));
  return new Response(JSON.stringify(redactor.redactValue(problem)), {
    status: problem.status,
    headers: redactHeaders(out, redactor),
  });
}

/** Header values through the redactor: nothing configured as a secret leaves in a header either. */
export function redactHeaders(headers: Record<string, string>, redactor: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redactor.redactString(value);
  return out;
}
