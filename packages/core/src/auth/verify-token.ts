import { errors, type JWTVerifyGetKey, jwtVerify, type KeyInput } from 'jose';
import { AgentryError } from '../errors';
import type { JwtAlgorithm } from './algorithms';
import type { VerifiedClaims } from './claims-to-tenant';
import { JwksUnavailableError } from './jwks-key-source';
import type { TokenRejection } from './rejection';

/** What a token is checked against, resolved from the options once. */
export interface VerifyConfig {
  key: KeyInput | JWTVerifyGetKey;
  algorithms: readonly JwtAlgorithm[];
  issuer: readonly string[];
  /** `undefined` when the host opted out with `audience: false`. */
  audience: readonly string[] | undefined;
  clockToleranceSec: number;
  maxTokenAgeSec: number | undefined;
  /** `undefined` when `azp` is not checked. */
  authorizedParties: readonly string[] | undefined;
}

/** A verified token's claims, or why it was refused. Backend failures throw instead. */
export type VerifyOutcome = { status: 'valid'; claims: VerifiedClaims } | { status: 'invalid'; reason: TokenRejection };

const CLAIM_REASONS: Record<string, TokenRejection> = {
  iss: 'wrong_issuer',
  aud: 'wrong_audience',
  nbf: 'not_yet_valid',
  iat: 'issued_in_future',
};

/** The 503 for a key set that could not be fetched or used. Its words name no URL and no token. */
function authUnavailable(detail: string, retryAfterMs: number | undefined, cause: unknown): AgentryError {
  return new AgentryError(
    'auth_unavailable',
    `Sign-in could not be checked: the identity provider's signing keys (JWKS) are unavailable (${detail}). Retry shortly; if it persists, check that the server can reach the JWKS URL (the server log has agentry.auth.jwks_unavailable).`,
    { cause, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  );
}

/** Maps what jose throws to a rejection; throws `auth_unavailable` for a key set that is down or broken. */
function classify(error: unknown): TokenRejection {
  if (error instanceof JwksUnavailableError) throw authUnavailable(error.message, error.retryAfterMs, error);
  if (error instanceof errors.JWKSTimeout) throw authUnavailable('timed out', undefined, error);
  // A set that is not JSON Web Keys, or that holds private keys: the provider's fault, not the caller's.
  if (error instanceof errors.JWKSInvalid) throw authUnavailable('the key set is invalid', undefined, error);
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? 'too_old' : 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'check_failed') return CLAIM_REASONS[error.claim] ?? 'invalid_claims';
    return 'invalid_claims';
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'alg_not_allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous_key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  // jose throws TypeError when the configured key cannot do the token's algorithm (an EC key for RS256).
  if (error instanceof TypeError || error instanceof errors.JWKInvalid) return 'key_mismatch';
  if (error instanceof errors.JOSEError) return 'malformed';
  throw error;
}

/**
 * Verifies a compact JWS: signature with an allowed algorithm, `exp` (required), `nbf`, `iat`
 * (not in the future; not older than `maxTokenAgeSec` when set), issuer, audience and `azp`.
 */
export async function verifyToken(token: string, config: VerifyConfig): Promise<VerifyOutcome> {
  let claims: VerifiedClaims;
  try {
    const result = await jwtVerify(token, config.key, {
      algorithms: [...config.algorithms],
      issuer: [...config.issuer],
      ...(config.audience === undefined ? {} : { audience: [...config.audience] }),
      clockTolerance: config.clockToleranceSec,
      ...(config.maxTokenAgeSec === undefined ? {} : { maxTokenAge: config.maxTokenAgeSec }),
      // A token that never expires is a credential that cannot be taken back.
      requiredClaims: ['exp'],
    });
    claims = result.payload as VerifiedClaims;
  } catch (error) {
    return { status: 'invalid', reason: classify(error) };
  }
  // jose checks a future `iat` only with maxTokenAge; a token "issued" later than now is forged or from a broken clock.
  const iat = claims.iat;
  if (typeof iat === 'number' && iat > Date.now() / 1000 + config.clockToleranceSec) {
    return { status: 'invalid', reason: 'issued_in_future' };
  }
  if (config.authorizedParties !== undefined) {
    // Clerk's rule (and its SDK's): `azp` may be absent, but when present it must be one of ours.
    const azp = claims.azp;
    if (azp !== undefined && (typeof azp !== 'string' || !config.authorizedParties.includes(azp))) {
      return { status: 'invalid', reason: 'wrong_authorized_party' };
    }
  }
  return { status: 'valid', claims };
}
