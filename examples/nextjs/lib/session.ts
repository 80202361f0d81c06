import type { TenantContext } from '@agentry/core';

/**
 * A sample session: a cookie naming one of two fixed sessions. In your app, read your auth
 * provider's session here instead (Auth.js `auth()`, Clerk `auth()`, a verified JWT). The
 * tenant always comes from the server-side session, never from the request body.
 */
export const SESSION_COOKIE = 'sample_session';

export const SAMPLE_SESSIONS: Record<string, TenantContext & { workspace: string }> = {
  sess_acme: { tenantId: 'acme', userId: 'user_ada', workspace: 'Acme Corp' },
  sess_globex: { tenantId: 'globex', userId: 'user_hank', workspace: 'Globex' },
};

/** The session a cookie value names, or `undefined`. */
export function sessionFor(cookieValue: string | undefined) {
  return cookieValue === undefined ? undefined : SAMPLE_SESSIONS[cookieValue];
}

/** Resolves the Agentry tenant from a request's `Cookie` header; `undefined` answers 401. */
export function resolveTenant(request: Request): TenantContext | undefined {
  const cookie = request.headers
    .get('cookie')
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === SESSION_COOKIE)?.[1];
  const session = sessionFor(cookie);
  return session ? { tenantId: session.tenantId, userId: session.userId } : undefined;
}
