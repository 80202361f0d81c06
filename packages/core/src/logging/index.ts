export type { JsonLoggerOptions, LogFields, Logger, LogLevel } from './logger';
export { jsonLogger, redactingLogger, silentLogger } from './logger';
export { composeRedactors, createRedactor, REDACTED } from './redact';
export type { Redactor, StreamRedactor } from './redactor';
export { isSecret, Secret, toSecret } from './secret';
export { createStreamRedactor } from './stream-redactor';
