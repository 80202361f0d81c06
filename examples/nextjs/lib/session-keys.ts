/**
 * The signing key of the example's stand-in identity provider: an ES256 key pair made once per
 * server process (Web Crypto, no network, nothing on disk). In your app there is no such file:
 * your identity provider holds the private key and publishes the public one at its JWKS URL,
 * which `jwtTenantResolver({ jwksUrl })` fetches.
 */
export interface SessionKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

// On globalThis, not in a module variable: Next.js may evaluate this module once per route
// bundle, and the sign-in route and the Agentry route must share one key.
const KEYS = Symbol.for('agentry.example.session-keys');
type WithKeys = typeof globalThis & { [KEYS]?: Promise<SessionKeys> };

/** The process's key pair, generated on first use. */
export function sessionKeys(): Promise<SessionKeys> {
  const holder = globalThis as WithKeys;
  holder[KEYS] ??= crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  return holder[KEYS];
}
