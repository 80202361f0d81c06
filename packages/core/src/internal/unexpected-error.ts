import type { Logger, Redactor } from '../logging';

interface ErrorLike {
  name?: unknown;
  message: string;
  cause?: unknown;
}

// Redacted copies of errors (`redactor.redactValue`) are plain `{ name, message, cause }` objects.
function isErrorLike(value: unknown): value is ErrorLike {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string')
  );
}

/** `TypeError`, `Error`, `string`…: how an error is named in a message that must not quote it. */
export function errorKind(error: unknown): string {
  if (isErrorLike(error)) return typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
  return error === null ? 'null' : typeof error;
}

/** The message of a thrown value and of its causes, joined with ` ← ` (at most four deep). */
export function errorChainMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    if (!isErrorLike(current)) {
      parts.push(String(current));
      break;
    }
    // Wrappers often repeat their cause's message; say it once.
    if (current.message !== '' && !parts.at(-1)?.endsWith(`: ${current.message}`)) {
      parts.push(`${errorKind(current)}: ${current.message}`);
    }
    current = current.cause;
  }
  return parts.join(' ← ');
}

/**
 * Logs a foreign error (one Agentry did not phrase) on the server, redacted. Errors that reach a
 * response say only that something unexpected happened; its words, which can name internal
 * hosts, paths or credentials, go here instead.
 */
export function logUnexpectedError(
  logger: Logger | undefined,
  redactor: Redactor,
  event: string,
  error: unknown,
  fields: Record<string, unknown> = {},
): void {
  logger?.error(event, {
    ...fields,
    error_kind: errorKind(error),
    error_message: redactor.redactString(errorChainMessage(error)),
  });
}
