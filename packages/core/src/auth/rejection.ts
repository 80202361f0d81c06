/**
 * Why a request's token gave no tenant. Logged as `reason` on `agentry.auth.token_rejected`
 * (never the token); the response is the same 401 `tenant_required` whatever the reason, so a
 * caller learns nothing about which check failed.
 */
export type TokenRejection =
  /** Longer than `maxTokenBytes`: refused before any parsing. */
  | 'too_large'
  /** Not three base64url segments (this includes `alg: none` tokens, whose signature is empty). */
  | 'malformed'
  /** Five segments: an encrypted token (JWE), such as Auth.js's default session cookie. */
  | 'encrypted'
  /** The request carried two different tokens (header and cookie, or two cookies of one name). */
  | 'conflict'
  /** The header's `alg` is not in `algorithms` (or not supported). */
  | 'alg_not_allowed'
  /** The signature does not verify: a tampered token, or one signed by someone else. */
  | 'bad_signature'
  /** No key in the key set has the token's `kid` (after one refetch, cooldown permitting). */
  | 'unknown_key'
  /** Several keys in the key set fit a token that names none (`kid`). */
  | 'ambiguous_key'
  /** The configured key cannot verify this algorithm (a key of another type). */
  | 'key_mismatch'
  | 'expired'
  | 'not_yet_valid'
  /** `iat` lies in the future (beyond the clock tolerance). */
  | 'issued_in_future'
  /** Older than `maxTokenAgeSec`. */
  | 'too_old'
  | 'wrong_issuer'
  | 'wrong_audience'
  /** `azp` is not one of `authorizedParties`. */
  | 'wrong_authorized_party'
  /** A required claim (`exp`, `iss`, `aud`, …) is missing or not of its type. */
  | 'invalid_claims'
  /** A valid token without the tenant claim: signed in, but not to a tenant. */
  | 'no_tenant'
  /** The tenant claim is not a usable id (a number, an object, empty, too long, control characters). */
  | 'invalid_tenant_claim'
  | 'invalid_user_claim'
  | 'invalid_roles_claim';

/** Where a token was read from. */
export type TokenSource = 'authorization' | 'cookie';
