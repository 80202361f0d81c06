import { cookies } from 'next/headers';
import { SAMPLE_SESSIONS, SESSION_COOKIE, tenantFromCookie, workspaceOf } from '../lib/session';
import { AgentPlayground } from './agent-playground';

// The page reads the session cookie, so it renders per request.
export const dynamic = 'force-dynamic';

export default async function Page() {
  // The same verification the Agentry route does: a forged or expired cookie is no session.
  const tenant = await tenantFromCookie((await cookies()).get(SESSION_COOKIE)?.value);
  const workspace = tenant === undefined ? undefined : workspaceOf(tenant.tenantId);
  return (
    <main>
      <h1>Agentry in Next.js</h1>
      {/* A plain form post to the sign-in route, which sets the signed session cookie. */}
      <form action="/api/sign-in" method="post" className="session">
        <span>{workspace ? `Signed in to ${workspace}.` : 'Sign in to a sample workspace:'}</span>
        {Object.entries(SAMPLE_SESSIONS).map(([id, sample]) => (
          <button key={id} type="submit" name="session" value={id} aria-pressed={sample.tenantId === tenant?.tenantId}>
            {sample.workspace}
          </button>
        ))}
      </form>
      {tenant ? <AgentPlayground workspace={tenant.tenantId} /> : null}
    </main>
  );
}
