// `@agentry/core/sentry`: failed executions as Sentry events. No dependency: pass your Sentry
// SDK's namespace (`@sentry/node`, `@sentry/nextjs`, …).

export type { ReportExecutionErrorsOptions, SentryLike } from './report-execution-errors';
export { redactSentryEvents, reportExecutionErrors } from './report-execution-errors';
