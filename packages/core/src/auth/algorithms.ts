import type { KeyInput } from 'jose';

/** Algorithms verified with a public key (RSA, RSA-PSS, ECDSA, EdDSA). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** Algorithms verified with a shared secret (HMAC). */
export const SYMMETRIC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** A JWS algorithm the resolver can be told to accept. `none` is not one. */
export type JwtAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number] | (typeof SYMMETRIC_ALGORITHMS)[number];

/** Whether a key is a shared secret or a public key. */
export type KeyKind = 'symmetric' | 'asymmetric';

const SYMMETRIC = new Set<string>(SYMMETRIC_ALGORITHMS);
const ASYMMETRIC = new Set<string>(ASYMMETRIC_ALGORITHMS);

/** Shortest HMAC secret accepted: RFC 7518 §3.2 wants at least the hash size (32 bytes for HS256). */
export const MIN_SECRET_BYTES = 32;

// A public key pasted where a secret belongs: the bytes of a PEM block or of a JSON JWK.
const PUBLIC_KEY_TEXT = /-----BEGIN [A-Z ]*KEY-----|^\s*\{\s*"(kty|n|e|x|y|crv)"/;

function secretKind(secret: Uint8Array): KeyKind {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new TypeError(
      `jwtTenantResolver: key is a shared secret of ${secret.byteLength} bytes; HMAC needs at least ${MIN_SECRET_BYTES} random bytes.`,
    );
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(secret.subarray(0, 256));
  if (PUBLIC_KEY_TEXT.test(text)) {
    // The classic algorithm-confusion hole: a public key used as an HMAC secret lets anyone
    // who has the public key (everyone) sign tokens.
    throw new TypeError(
      'jwtTenantResolver: key is the text of a public or private key (PEM or JWK) passed as bytes, which would make it an HMAC secret anyone could sign with. Pass the public key as a CryptoKey, KeyObject or JWK object, with an RS/PS/ES/EdDSA algorithm.',
    );
  }
  return 'symmetric';
}

/** Classifies the configured `key`; throws a `TypeError` for private keys and unknown shapes. */
export function keyKindOf(key: KeyInput): KeyKind {
  if (key instanceof Uint8Array) return secretKind(key);
  if (typeof key !== 'object' || key === null) {
    throw new TypeError(
      'jwtTenantResolver: key must be a CryptoKey, a KeyObject, a JWK object or a Uint8Array secret.',
    );
  }
  const jwk = key as { kty?: unknown; d?: unknown };
  if (typeof jwk.kty === 'string') {
    if (jwk.kty === 'oct') return 'symmetric';
    if (jwk.d !== undefined) {
      throw new TypeError('jwtTenantResolver: key is a private JWK (it has "d"). Pass the public key only.');
    }
    return 'asymmetric';
  }
  const type = (key as { type?: unknown }).type;
  if (type === 'secret') return 'symmetric';
  if (type === 'public') return 'asymmetric';
  if (type === 'private') {
    throw new TypeError('jwtTenantResolver: key is a private key. Verification needs the public key only.');
  }
  throw new TypeError('jwtTenantResolver: key must be a CryptoKey, a KeyObject, a JWK object or a Uint8Array secret.');
}

/**
 * Checks the allow-list: present, not empty, known algorithms only, and one kind only. Shared
 * secrets and public keys never mix (that is how HS/RS confusion happens), and a key set from
 * a URL is public keys by definition.
 */
export function checkAlgorithms(algorithms: unknown, kind: KeyKind, source: 'jwksUrl' | 'key'): JwtAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError(
      `jwtTenantResolver: algorithms is required and has no default: list what your identity provider signs with, e.g. ['RS256'].`,
    );
  }
  for (const algorithm of algorithms) {
    if (typeof algorithm !== 'string' || (!SYMMETRIC.has(algorithm) && !ASYMMETRIC.has(algorithm))) {
      throw new TypeError(
        `jwtTenantResolver: algorithms has ${JSON.stringify(algorithm)}, which is not a supported signature algorithm (${[...ASYMMETRIC_ALGORITHMS, ...SYMMETRIC_ALGORITHMS].join(', ')}). "none" is never accepted.`,
      );
    }
  }
  const symmetric = algorithms.filter((algorithm) => SYMMETRIC.has(algorithm));
  if (symmetric.length > 0 && symmetric.length < algorithms.length) {
    throw new TypeError(
      `jwtTenantResolver: algorithms mixes shared-secret (${symmetric.join(', ')}) and public-key algorithms. Allow one kind only: mixing them is how HS/RS algorithm confusion happens.`,
    );
  }
  const listed: KeyKind = symmetric.length > 0 ? 'symmetric' : 'asymmetric';
  if (listed !== kind) {
    const what =
      source === 'jwksUrl'
        ? 'a key set from jwksUrl holds public keys'
        : `key is a ${kind === 'symmetric' ? 'shared secret' : 'public key'}`;
    throw new TypeError(
      `jwtTenantResolver: algorithms [${algorithms.join(', ')}] do not fit the key: ${what}, so use ${kind === 'symmetric' ? 'HS256, HS384 or HS512' : 'RS*, PS*, ES* or EdDSA'}.`,
    );
  }
  return [...new Set(algorithms as JwtAlgorithm[])];
}
