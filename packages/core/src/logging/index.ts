export type { JsonLoggerOptions, LogFields, Logger, LogLevel } from './logger';
export { jsonLogger, redactingLogger, silentLogger } from './logger';
export type { Redactor } from './redact';
export { composeRedactors, createRedactor, REDACTED } from './redact';
export { isSecret, Secret, toSecret } from './secret';
export type { StreamRedactor } from './stream-redactor';
export { createStreamRedactor } from './stream-redactor';
