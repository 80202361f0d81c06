import { AgentryError, isAgentryError } from '../errors';
import { readBytesWithin } from '../internal/bounded-body';
import { isJsonContentType, JSON_CONTENT_TYPE } from '../protocol';
import { MAX_DEPTH_CEILING } from '../validation/json-depth';
import { parseJsonInput } from '../validation/json-input';

/** Thrown for a request whose content type is not JSON; the handler answers 415. */
export class UnsupportedMediaTypeError extends AgentryError {
  constructor(contentType: string | null) {
    super(
      'invalid_json',
      `The request body must be JSON: send "Content-Type: ${JSON_CONTENT_TYPE}" (got ${contentType === null ? 'no content type' : `"${contentType}"`}).`,
      { userMessage: 'The request was sent in a format the server does not accept.' },
    );
  }
}

// Decoding without `stream: true` keeps no state between calls, so one instance serves every request.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(maxBytes: number): AgentryError {
  return new AgentryError(
    'input_too_large',
    `The request body is larger than ${maxBytes} bytes. Send a smaller input, or raise the handler's maxBodyBytes.`,
    { limit: { kind: 'input_size', value: maxBytes, unit: 'bytes' } },
  );
}

/**
 * Reads a JSON request body without ever holding more than `maxBytes` of it: a declared
 * `Content-Length` over the limit is refused before reading, and a streamed body is
 * counted chunk by chunk and abandoned (its stream cancelled) the moment it goes over.
 * Throws `input_too_large`, `invalid_json` (with line and column; also for a body nested
 * deeper than 513 levels or one that stopped arriving), `cancelled` (the client went away) or
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
  const text = await readLimited(request, maxBytes);
  // The body is `{ input, … }`: one level for itself, then as deep as any executor may allow.
  // The executor's own `limits.maxDepth` (256 by default) then judges the input.
  const parsed = parseJsonInput(text, { maxDepth: BODY_MAX_DEPTH });
  if (!parsed.ok) {
    const { issue } = parsed;
    if (issue.code === 'json_too_deep') {
      throw new AgentryError(
        'invalid_json',
        `The request body nests arrays and objects more than ${BODY_MAX_DEPTH} levels deep (line ${issue.line}, column ${issue.column}). An input may nest at most limits.maxDepth levels (256 by default): flatten it.`,
        { issues: [issue], userMessage: 'The input is nested too deeply. Flatten it and try again.' },
      );
    }
    throw new AgentryError('invalid_json', `${issue.message} (line ${issue.line}, column ${issue.column})`, {
      issues: [issue],
    });
  }
  return parsed.value;
}

const BODY_MAX_DEPTH = MAX_DEPTH_CEILING + 1;

/**
 * A body that stops arriving (the client went away, or sent broken chunked encoding) is the
 * client's problem, not the server's: it answers a 4xx and is not logged as an internal error.
 */
function unreadableBody(request: Request, cause: unknown): AgentryError {
  if (request.signal.aborted) {
    return new AgentryError('cancelled', 'The client closed the connection before the request body arrived.', {
      cause,
    });
  }
  return new AgentryError(
    'invalid_json',
    'The request body could not be read to its end (a broken upload or malformed chunked encoding). Send it again.',
    {
      cause,
      userMessage: 'The request did not arrive whole. Try again.',
      issues: [{ path: [], code: 'body_unreadable', message: 'The body ended early or was malformed.' }],
    },
  );
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readBytesWithin(request.body, maxBytes, () => tooLarge(maxBytes));
  } catch (error) {
    if (isAgentryError(error)) throw error;
    throw unreadableBody(request, error);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AgentryError('invalid_json', 'The request body is not valid UTF-8 text. Send JSON encoded as UTF-8.', {
      issues: [{ path: [], code: 'json_syntax', message: 'The body is not valid UTF-8.', line: 1, column: 1 }],
    });
  }
}
