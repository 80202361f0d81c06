import { randomBytes } from 'node:crypto';
import type { TenantContext } from '@agentry/core';

/** A sample workspace of the fake host app, with the user signed in to it. */
export interface DemoTenant {
  id: string;
  name: string;
  plan: string;
  user: { id: string; name: string; email: string };
}

/** The demo's two workspaces. Acme also owns a private agent (`acme-release-notes`). */
export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    id: 'acme',
    name: 'Acme Corp',
    plan: 'Enterprise',
    user: { id: 'user_ada', name: 'Ada Park', email: 'ada@acme.test' },
  },
  {
    id: 'globex',
    name: 'Globex',
    plan: 'Team',
    user: { id: 'user_hank', name: 'Hank Scorpio', email: 'hank@globex.test' },
  },
];

export const SESSION_COOKIE = 'agentry_demo_session';

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Demo sessions: an opaque random id in an HttpOnly cookie, mapped on the server to the
 * workspace the visitor switched to. A real app would use its auth provider's session; the
 * point is the same: the tenant comes from the server's session, never from the request body
 * of an Agentry call.
 */
export function createSessionStore() {
  const sessions = new Map<string, string>();
  return {
    /** Starts a session in the first workspace. */
    create(): { id: string; tenant: DemoTenant } {
      const id = randomBytes(18).toString('base64url');
      const tenant = DEMO_TENANTS[0]!;
      sessions.set(id, tenant.id);
      return { id, tenant };
    },
    /** The session's workspace, or `undefined` for an unknown or missing session. */
    tenantOf(sessionId: string | undefined): DemoTenant | undefined {
      const tenantId = sessionId === undefined ? undefined : sessions.get(sessionId);
      return DEMO_TENANTS.find((tenant) => tenant.id === tenantId);
    },
    /** Moves an existing session to another workspace. */
    switchTo(sessionId: string, tenantId: string): DemoTenant | undefined {
      const tenant = DEMO_TENANTS.find((candidate) => candidate.id === tenantId);
      if (!tenant || !sessions.has(sessionId)) return undefined;
      sessions.set(sessionId, tenant.id);
      return tenant;
    },
    /** The Agentry tenant of a request: from the session cookie only. */
    resolveTenant(request: Request): TenantContext | undefined {
      const tenant = this.tenantOf(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
      return tenant ? { tenantId: tenant.id, userId: tenant.user.id, roles: ['member'] } : undefined;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/** The `Set-Cookie` value for a session: HttpOnly, same-site, whole site. */
export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(sessionId)}; Path=/; HttpOnly; SameSite=Lax`;
}
