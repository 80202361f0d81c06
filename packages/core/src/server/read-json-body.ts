import { AgentryError } from '../errors';
import { readBytesWithin } from '../internal/bounded-body';
import { parseJsonInput } from '../validation';

/** Thrown for a request whose content type is not JSON; the handler answers 415. */
export class UnsupportedMediaTypeError extends AgentryError {
  constructor(contentType: string | null) {
    super(
      'invalid_json',
      `The request body must be JSON: send "Content-Type: application/json" (got ${contentType === null ? 'no content type' : `"${contentType}"`}).`,
      { userMessage: 'The request was sent in a format the server does not accept.' },
    );
  }
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** True for `application/json` and `application/*+json`, with any parameters. */
export function isJsonContentType(value: string | null): boolean {
  return value !== null && JSON_TYPE.test(value.trim());
}

// Decoding without `stream: true` keeps no state between calls, so one instance serves every request.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(maxBytes: number): AgentryError {
  return new AgentryError(
    'input_too_large',
    `The request body is larger than ${maxBytes} bytes. Send a smaller input, or raise the handler's maxBodyBytes.`,
  );
}

/**
 * Reads a JSON request body without ever holding more than `maxBytes` of it: a declared
 * `Content-Length` over the limit is refused before reading, and a streamed body is
 * counted chunk by chunk and abandoned (its stream cancelled) the moment it goes over.
 * Throws `input_too_large`, `invalid_json` (with line and column) or
 * {@link UnsupportedMediaTypeError}.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    await request.body?.cancel().catch(() => undefined);
    throw new UnsupportedMediaTypeError(contentType);
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  const text = await readLimited(request.body, maxBytes);
  const parsed = parseJsonInput(text);
  if (!parsed.ok) {
    const { issue } = parsed;
    throw new AgentryError('invalid_json', `${issue.message} (line ${issue.line}, column ${issue.column})`, {
      issues: [issue],
    });
  }
  return parsed.value;
}

async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const bytes = await readBytesWithin(body, maxBytes, () => tooLarge(maxBytes));
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AgentryError('invalid_json', 'The request body is not valid UTF-8 text. Send JSON encoded as UTF-8.', {
      issues: [{ path: [], code: 'json_syntax', message: 'The body is not valid UTF-8.', line: 1, column: 1 }],
    });
  }
}
