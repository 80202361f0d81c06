import { sessionKeys } from './session-keys';

/** Who the example's sign-in route says signed the token, and for whom: checked by the resolver. */
export const SESSION_ISSUER = 'https://sign-in.agentry-example.local';
export const SESSION_AUDIENCE = 'agentry-example';
/** How long a session token lives, in seconds. */
export const SESSION_LIFETIME_SEC = 15 * 60;

// btoa rather than Buffer: this runs on the Node.js and the Edge runtime alike.
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const encodeJson = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/**
 * Signs a session token (a compact JWS, ES256) the way an identity provider would. Web Crypto
 * only: ECDSA signatures come out in the JWS (r‖s) form already. In your app your identity
 * provider issues this token; you never sign one yourself.
 */
export async function signSessionToken(claims: { sub: string; org_id: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = encodeJson({ alg: 'ES256', typ: 'JWT' });
  const payload = encodeJson({
    iss: SESSION_ISSUER,
    aud: SESSION_AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + SESSION_LIFETIME_SEC,
    ...claims,
  });
  const { privateKey } = await sessionKeys();
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}
