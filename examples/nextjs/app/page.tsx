import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SAMPLE_SESSIONS, SESSION_COOKIE, sessionFor } from '../lib/session';
import { AgentPlayground } from './agent-playground';

// The page reads the session cookie, so it renders per request.
export const dynamic = 'force-dynamic';

/** A server action standing in for your sign-in flow: it sets the sample session cookie. */
async function signIn(formData: FormData) {
  'use server';
  const sessionId = String(formData.get('session'));
  if (!(sessionId in SAMPLE_SESSIONS)) throw new Error(`Unknown sample session "${sessionId}".`);
  (await cookies()).set(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', path: '/' });
  redirect('/');
}

export default async function Page() {
  const current = (await cookies()).get(SESSION_COOKIE)?.value;
  const session = sessionFor(current);
  return (
    <main>
      <h1>Agentry in Next.js</h1>
      <form action={signIn} className="session">
        <span>{session ? `Signed in to ${session.workspace}.` : 'Sign in to a sample workspace:'}</span>
        {Object.entries(SAMPLE_SESSIONS).map(([id, sample]) => (
          <button key={id} type="submit" name="session" value={id} aria-pressed={id === current}>
            {sample.workspace}
          </button>
        ))}
      </form>
      {session ? <AgentPlayground workspace={session.tenantId} /> : null}
    </main>
  );
}
