import { SAMPLE_SESSIONS, SESSION_COOKIE } from '../../../lib/session';
import { SESSION_LIFETIME_SEC, signSessionToken } from '../../../lib/session-token';

/**
 * A tiny local sign-in route standing in for your identity provider: it signs a session token for
 * one of the sample accounts and sets it as an HttpOnly cookie. No network, no password: a real
 * sign-in checks credentials (and CSRF) before it issues anything.
 */
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData();
  const sample = SAMPLE_SESSIONS[String(form.get('session'))];
  if (sample === undefined) return new Response('Unknown sample session.', { status: 400 });
  const token = await signSessionToken({ sub: sample.userId, org_id: sample.tenantId });
  return new Response(null, {
    status: 303,
    headers: {
      location: '/',
      'set-cookie': `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_LIFETIME_SEC}`,
      'cache-control': 'no-store',
    },
  });
}

export const dynamic = 'force-dynamic';
