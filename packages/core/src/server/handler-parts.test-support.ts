import type { Logger } from '../logging';

/** A logger that keeps what it was given, for assertions. */
export function recordingLogger() {
  const lines: { level: string; event: string; fields?: unknown }[] = [];
  const at =
    (level: string) =>
    (event: string, fields?: unknown): void => {
      lines.push({ level, event, fields });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** A request to the handler's host; the query string must never reach a log. */
export const request = (path = '/agents') => new Request(`https://app.test${path}?token=x`);
