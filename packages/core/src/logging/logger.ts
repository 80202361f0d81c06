import { createRedactor, type Redactor } from './redact';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields of one log event (snake_case keys, as log pipelines expect). */
export type LogFields = Record<string, unknown>;

/** Where Agentry writes its structured events. Adapt pino, winston or console with four methods. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options for {@link jsonLogger}. */
export interface JsonLoggerOptions {
  /** The lowest level written. @default 'info' */
  level?: LogLevel;
  /**
   * Where each JSON line goes. The default writes to **stdout** (`console.log`), every level
   * included, so a process that prints its own output to stdout gets the lines mixed in.
   * @default console.log
   * @example (line) => process.stderr.write(`${line}\n`)
   */
  write?: (line: string) => void;
  /** Secret values to scrub on top of the built-in API-key shapes. @default [] */
  redactor?: Redactor;
  /** Fields added to every line, e.g. `{ service: 'api' }`. @default {} */
  base?: LogFields;
  /** Clock for the `time` field. @default () => new Date() */
  now?: () => Date;
}

/**
 * A logger that writes one redacted JSON object per line, `{ time, level, event, …fields }`, to
 * stdout (`console.log`) unless `write` says otherwise: one line per finished run at `info`.
 */
export function jsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => console.log(line));
  const redactor = options.redactor ?? createRedactor();
  const now = options.now ?? (() => new Date());
  const base = options.base ?? {};
  const emit =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      if (LEVELS[level] < min) return;
      const entry = redactor.redactValue({ time: now().toISOString(), level, event, ...base, ...fields });
      let line: string;
      try {
        line = JSON.stringify(entry);
      } catch {
        line = JSON.stringify({ time: entry.time, level, event, note: 'fields could not be serialized' });
      }
      write(line);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that drops everything. The executor's default: hosts opt in to logs. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * Wraps a logger so every field is redacted before it reaches it, and so a logger that
 * throws (a closed pipe, a full disk) can never turn a finished run into a failure.
 */
export function redactingLogger(logger: Logger, redactor: Redactor): Logger {
  const wrap = (method: keyof Logger) => (event: string, fields?: LogFields) => {
    try {
      logger[method](redactor.redactString(event), fields === undefined ? undefined : redactor.redactValue(fields));
    } catch {
      // Logging is best effort.
    }
  };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
