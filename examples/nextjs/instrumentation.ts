// Next.js runs `register()` once per server process, before any request: Sentry starts here.
// Without SENTRY_DSN nothing is sent (the SDK stays disabled); the app works the same.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./sentry.server.config');
}
