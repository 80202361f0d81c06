// Sentry for the server side of this app (route handlers run on Node): `@sentry/node`.
// `@agentry/core/sentry` works with any Sentry SDK namespace, `@sentry/nextjs` included.
import { redactSentryEvents } from '@agentry/core/sentry';
import * as Sentry from '@sentry/node';

const dsn = process.env.SENTRY_DSN;

Sentry.init({
  dsn,
  enabled: dsn !== undefined && dsn !== '',
  environment: process.env.SENTRY_ENVIRONMENT ?? process.env.NODE_ENV,
  // Sentry 11 collects cookies, headers and bodies by default: a session cookie is a
  // credential and a run's input may hold customer data, so none of it is sent.
  dataCollection: {
    userInfo: false,
    cookies: false,
    httpHeaders: false,
    httpBodies: [],
    urlQueryParams: false,
    genAI: { inputs: false, outputs: false },
  },
  // Keys never leave the process, whatever Sentry captures on its own.
  beforeSend: redactSentryEvents(),
  tracesSampleRate: 0,
});
