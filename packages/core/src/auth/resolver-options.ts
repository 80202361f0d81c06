import type { KeyInput } from 'jose';
import { type Logger, silentLogger } from '../logging';
import { checkAlgorithms, type JwtAlgorithm, keyKindOf } from './algorithms';
import { type ClaimPath, parseClaimPath } from './claim-path';
import type { ClaimMapping, MapClaims } from './claims-to-tenant';
import { checkJwksUrl, createJwksKeySource, type JwksFetchOptions, resolveJwksFetchOptions } from './jwks-key-source';
import { checkCookieName, type TokenLocation } from './read-token';
import type { VerifyConfig } from './verify-token';

/** Options for {@link jwtTenantResolver}. Give exactly one of `jwksUrl` and `key`, and one of `tenantClaim` and `mapClaims`. */
export interface JwtTenantResolverOptions {
  /**
   * Your identity provider's JSON Web Key Set: fetched, cached and refetched on key rotation
   * (see `jwksFetch`). https only (http for loopback hosts).
   * @example 'https://clerk.example.com/.well-known/jwks.json'
   */
  jwksUrl?: string | URL;
  /**
   * One verification key instead of a key set: a public key (CryptoKey, KeyObject or JWK) for
   * RS/PS/ES/EdDSA, or a `Uint8Array` secret of at least 32 bytes for HS256/384/512.
   */
  key?: KeyInput;
  /**
   * The issuer (`iss`) your tokens must carry, exactly. Several for a migration.
   * @example 'https://your-tenant.us.auth0.com/'
   */
  issuer: string | readonly string[];
  /**
   * The audience (`aud`) your tokens must be for (one of them must match). Required: pass
   * `false` only for providers whose tokens carry none (Clerk session tokens, where
   * `authorizedParties` checks `azp` instead).
   * @example 'https://api.example.com'
   */
  audience: string | readonly string[] | false;
  /**
   * The algorithms accepted, and no default: a shared-secret kind (HS*) or a public-key kind
   * (RS*, PS*, ES*, EdDSA), never both. `none` is never accepted.
   * @example ['RS256']
   */
  algorithms: readonly JwtAlgorithm[];
  /**
   * Where the tenant id is in the payload (see {@link ClaimPath} for the syntax). A valid token
   * without it resolves to no tenant (401); so does one whose value is not a non-empty string.
   * @example 'o.id'
   * @example 'https://example.com/org_id'
   */
  tenantClaim?: ClaimPath;
  /** Where the user id is. Required in every token. @default 'sub' */
  userClaim?: ClaimPath;
  /**
   * Where the user's roles are: a string (one role) or an array of strings. Absent → no roles.
   * @default undefined (roles are not read)
   */
  rolesClaim?: ClaimPath;
  /** Maps verified claims to a tenant yourself, instead of `tenantClaim`/`userClaim`/`rolesClaim`. */
  mapClaims?: MapClaims;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds (0–300). @default 5 */
  clockToleranceSec?: number;
  /** Refuse tokens issued (`iat`) longer ago than this, in seconds, whatever their `exp`. @default undefined */
  maxTokenAgeSec?: number;
  /**
   * Origins allowed in the `azp` claim (Clerk sets it to the page's origin). A token with another
   * `azp` is refused; a token without one passes, as in Clerk's own SDK.
   * @default undefined (azp not checked)
   * @example ['https://app.example.com']
   */
  authorizedParties?: readonly string[];
  /** Where the token is read. @default { authorization: true } */
  from?: TokenLocation;
  /** Longest token accepted, in characters, checked before any parsing. @default 8_192 */
  maxTokenBytes?: number;
  /** Fetching and caching of `jwksUrl`. */
  jwksFetch?: JwksFetchOptions;
  /**
   * Where rejections (`agentry.auth.token_rejected`, with a `reason`, never the token) and key
   * set failures (`agentry.auth.jwks_unavailable`) are logged.
   * @default silentLogger
   */
  logger?: Logger;
}

/** Everything the resolver needs, checked once. */
export interface ResolverConfig {
  verify: VerifyConfig;
  mapping: ClaimMapping;
  from: { authorization: boolean; cookie: string | undefined };
  maxTokenBytes: number;
  logger: Logger;
}

const MAX_CLOCK_TOLERANCE_SEC = 300;

function nonEmptyStrings(value: unknown, option: string, example: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw new TypeError(`jwtTenantResolver: ${option} must be a non-empty string or list of them, e.g. ${example}.`);
  }
  return [...list];
}

function integerWithin(value: unknown, option: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`jwtTenantResolver: ${option} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

function mappingOf(options: JwtTenantResolverOptions): ClaimMapping {
  if (options.mapClaims !== undefined) {
    if (options.tenantClaim !== undefined || options.userClaim !== undefined || options.rolesClaim !== undefined) {
      throw new TypeError('jwtTenantResolver: give either mapClaims or tenantClaim/userClaim/rolesClaim, not both.');
    }
    if (typeof options.mapClaims !== 'function')
      throw new TypeError('jwtTenantResolver: mapClaims must be a function.');
    return { type: 'function', map: options.mapClaims };
  }
  if (options.tenantClaim === undefined) {
    throw new TypeError(
      "jwtTenantResolver: tenantClaim is required (there is no default tenant): name the claim that holds the tenant id, e.g. 'org_id' or 'o.id'.",
    );
  }
  return {
    type: 'paths',
    tenant: parseClaimPath(options.tenantClaim, 'jwtTenantResolver: tenantClaim'),
    user: parseClaimPath(options.userClaim ?? 'sub', 'jwtTenantResolver: userClaim'),
    roles:
      options.rolesClaim === undefined
        ? undefined
        : parseClaimPath(options.rolesClaim, 'jwtTenantResolver: rolesClaim'),
  };
}

function locationOf(from: TokenLocation | undefined): ResolverConfig['from'] {
  // Without `from`, the bearer header; with it, exactly what it names.
  const authorization = from === undefined ? true : from.authorization === true;
  const cookie = from?.cookie;
  if (cookie !== undefined) checkCookieName(cookie, 'jwtTenantResolver: from.cookie');
  if (!authorization && cookie === undefined) {
    throw new TypeError('jwtTenantResolver: from reads nothing: set authorization: true or a cookie name.');
  }
  return { authorization, cookie };
}

/** Checks every option and resolves defaults. Throws a `TypeError` that says what to change. */
export function resolveOptions(options: JwtTenantResolverOptions): ResolverConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('jwtTenantResolver: options are required.');
  const logger = options.logger ?? silentLogger;
  const hasUrl = options.jwksUrl !== undefined;
  const hasKey = options.key !== undefined;
  if (hasUrl === hasKey) {
    throw new TypeError(
      "jwtTenantResolver: give exactly one of jwksUrl (your provider's key set) and key (one public key or shared secret).",
    );
  }
  let key: VerifyConfig['key'];
  let algorithms: JwtAlgorithm[];
  if (hasUrl) {
    algorithms = checkAlgorithms(options.algorithms, 'asymmetric', 'jwksUrl');
    key = createJwksKeySource(checkJwksUrl(options.jwksUrl!), resolveJwksFetchOptions(options.jwksFetch), logger);
  } else {
    algorithms = checkAlgorithms(options.algorithms, keyKindOf(options.key!), 'key');
    key = options.key!;
  }
  if (options.audience === undefined || options.audience === null || (options.audience as unknown) === true) {
    throw new TypeError(
      "jwtTenantResolver: audience is required: the aud your tokens are issued for (e.g. 'https://api.example.com'), or false for providers whose tokens carry none.",
    );
  }
  const maxTokenAgeSec =
    options.maxTokenAgeSec === undefined
      ? undefined
      : integerWithin(options.maxTokenAgeSec, 'maxTokenAgeSec', 1, 31_536_000);
  return {
    verify: {
      key,
      algorithms,
      issuer: nonEmptyStrings(options.issuer, 'issuer', "'https://your-tenant.us.auth0.com/'"),
      audience:
        options.audience === false
          ? undefined
          : nonEmptyStrings(options.audience, 'audience', "'https://api.example.com'"),
      clockToleranceSec: integerWithin(options.clockToleranceSec ?? 5, 'clockToleranceSec', 0, MAX_CLOCK_TOLERANCE_SEC),
      maxTokenAgeSec,
      authorizedParties:
        options.authorizedParties === undefined
          ? undefined
          : nonEmptyStrings(options.authorizedParties, 'authorizedParties', "['https://app.example.com']"),
    },
    mapping: mappingOf(options),
    from: locationOf(options.from),
    maxTokenBytes: integerWithin(options.maxTokenBytes ?? 8_192, 'maxTokenBytes', 512, 65_536),
    logger,
  };
}
