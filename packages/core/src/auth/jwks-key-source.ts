import { createRemoteJWKSet, customFetch, type FetchImplementation, type JWTVerifyGetKey } from 'jose';
import { readBytesWithin } from '../internal/bounded-body';
import type { Logger } from '../logging';

/** How the key set at `jwksUrl` is fetched and cached. Every field has a safe default. */
export interface JwksFetchOptions {
  /**
   * Longest wait for the key set, in milliseconds (connect, headers and body). Past it, the
   * request answers 503 `auth_unavailable`.
   * @default 5_000
   */
  timeoutMs?: number;
  /**
   * Least time between two fetches, in milliseconds: a token with an unknown `kid` (a rotation)
   * triggers one refetch, then no other for this long, so a flood of made-up `kid`s cannot
   * hammer your identity provider. Also the floor for a `Cache-Control: max-age` it sends.
   * @default 30_000
   */
  cooldownMs?: number;
  /**
   * Longest time keys are kept, in milliseconds. The provider's `Cache-Control: max-age` may
   * shorten it (never below `cooldownMs`). When a refresh fails, the cached keys keep working
   * until this age; after it, requests answer 503.
   * @default 600_000
   */
  maxAgeMs?: number;
  /** Largest key set read, in bytes, counted while reading. @default 65_536 */
  maxBytes?: number;
  /** The `fetch` used (a proxy-aware one, or a test double). @default globalThis.fetch */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Why the key set could not be used. */
export type JwksFailure = 'timeout' | 'unreachable' | 'status' | 'too_large' | 'invalid';

/** Thrown from inside the fetch so the verifier can tell "provider down" from "bad token". */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
  constructor(
    readonly failure: JwksFailure,
    detail: string,
    readonly retryAfterMs: number,
  ) {
    super(detail);
  }
}

/** After a failed fetch, requests without usable keys answer 503 at once for this long. */
export const JWKS_RETRY_AFTER_MS = 5_000;

const DEFAULTS = { timeoutMs: 5_000, cooldownMs: 30_000, maxAgeMs: 600_000, maxBytes: 65_536 };

function checkDuration(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(
      `jwtTenantResolver: jwksFetch.${option} must be a positive integer (milliseconds), got ${String(value)}.`,
    );
  }
  return value;
}

/** Resolved {@link JwksFetchOptions}, checked. */
export function resolveJwksFetchOptions(options: JwksFetchOptions = {}): Required<JwksFetchOptions> {
  const resolved = {
    timeoutMs: checkDuration(options.timeoutMs, 'timeoutMs', DEFAULTS.timeoutMs),
    cooldownMs: checkDuration(options.cooldownMs, 'cooldownMs', DEFAULTS.cooldownMs),
    maxAgeMs: checkDuration(options.maxAgeMs, 'maxAgeMs', DEFAULTS.maxAgeMs),
    maxBytes: checkDuration(options.maxBytes, 'maxBytes', DEFAULTS.maxBytes),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  if (resolved.maxAgeMs < resolved.cooldownMs) {
    throw new TypeError('jwtTenantResolver: jwksFetch.maxAgeMs must be at least jwksFetch.cooldownMs.');
  }
  return resolved;
}

/** Throws unless `url` is https (or http on a loopback host, for local development and tests). */
export function checkJwksUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`jwtTenantResolver: jwksUrl is not a URL (${JSON.stringify(String(url))}).`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new TypeError(
      `jwtTenantResolver: jwksUrl must use https (got ${parsed.protocol}//${parsed.host}): whoever can change the key set in transit can sign tokens. Plain http is accepted for loopback hosts only.`,
    );
  }
  return parsed;
}

/** The key lifetime a response's `Cache-Control` asks for, kept within [cooldownMs, maxAgeMs]. */
export function cacheLifetimeMs(cacheControl: string | null, options: Required<JwksFetchOptions>): number {
  if (cacheControl === null) return options.maxAgeMs;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) return options.cooldownMs;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  if (!match) return options.maxAgeMs;
  const ms = Number(match[1]) * 1000;
  return Math.min(options.maxAgeMs, Math.max(options.cooldownMs, ms));
}

function isKeySetShape(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { keys?: unknown }).keys) &&
    (value as { keys: unknown[] }).keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  );
}

/**
 * A key resolver for the key set at `url`, on jose's `createRemoteJWKSet` (which selects the key
 * by `kid`/`alg`, refetches once on an unknown `kid` after the cooldown, and shares one fetch
 * between concurrent requests). Added here: the fetch is bounded in time and size and its
 * failures are typed ({@link JwksUnavailableError}); the provider's `Cache-Control: max-age`
 * decides when keys are refreshed; a failed refresh keeps the cached keys until `maxAgeMs`; and
 * after a failure without usable keys, requests fail at once for a few seconds instead of each
 * waiting for a timeout.
 */
export function createJwksKeySource(url: URL, options: Required<JwksFetchOptions>, logger: Logger): JWTVerifyGetKey {
  const where = `${url.origin}${url.pathname}`;
  let loaded = false;
  let refreshAt = 0;
  let downUntil = 0;
  let lastFailure: JwksUnavailableError | undefined;

  const unavailable = (failure: JwksFailure, detail: string) =>
    new JwksUnavailableError(failure, detail, JWKS_RETRY_AFTER_MS);

  const fetchKeySet: FetchImplementation = async (href, init) => {
    // `init.signal` is jose's timeout (timeoutDuration): it bounds the connection and the body alike.
    const timedOut = () => init.signal.aborted;
    let response: Response;
    try {
      response = await options.fetch(href, init);
    } catch (error) {
      if (timedOut()) throw unavailable('timeout', `no answer within ${options.timeoutMs} ms`);
      throw unavailable('unreachable', `could not be reached (${error instanceof Error ? error.name : 'error'})`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw unavailable('status', `answered HTTP ${response.status}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBytesWithin(response.body, options.maxBytes, () =>
        unavailable('too_large', `sent more than ${options.maxBytes} bytes`),
      );
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw error;
      if (timedOut()) throw unavailable('timeout', `no complete answer within ${options.timeoutMs} ms`);
      throw unavailable('unreachable', 'closed the connection while answering');
    }
    let keySet: unknown;
    try {
      keySet = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw unavailable('invalid', 'answered something that is not JSON');
    }
    if (!isKeySetShape(keySet)) throw unavailable('invalid', 'answered JSON that is not a key set ({ "keys": [...] })');
    loaded = true;
    downUntil = 0;
    lastFailure = undefined;
    refreshAt = Date.now() + cacheLifetimeMs(response.headers.get('cache-control'), options);
    return new Response(JSON.stringify(keySet), { status: 200, headers: { 'content-type': 'application/json' } });
  };

  const remote = createRemoteJWKSet(url, {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.maxAgeMs,
    [customFetch]: fetchKeySet,
  });

  function noteFailure(error: JwksUnavailableError): void {
    lastFailure = error;
    downUntil = Date.now() + JWKS_RETRY_AFTER_MS;
    logger.error('agentry.auth.jwks_unavailable', {
      jwks_url: where,
      failure: error.failure,
      detail: error.message,
      cached_keys: loaded && remote.fresh,
    });
  }

  return async (header, token) => {
    const usable = loaded && remote.fresh;
    if (!usable && lastFailure !== undefined && Date.now() < downUntil) {
      throw new JwksUnavailableError(lastFailure.failure, lastFailure.message, Math.max(1, downUntil - Date.now()));
    }
    if (usable && Date.now() >= refreshAt && Date.now() >= downUntil && !remote.reloading) {
      // The provider's cache lifetime is over: refresh, but a provider that is down does not
      // lock everyone out while the keys we hold are within maxAgeMs.
      try {
        await remote.reload();
      } catch (error) {
        if (!(error instanceof JwksUnavailableError)) throw error;
        noteFailure(error);
      }
    }
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof JwksUnavailableError) noteFailure(error);
      throw error;
    }
  };
}
