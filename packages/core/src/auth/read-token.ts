import type { TokenRejection, TokenSource } from './rejection';

/**
 * Where the resolver looks for the token. Only what is named is read; without `from` at all,
 * the resolver reads `{ authorization: true }`.
 * @example { authorization: true }                       // `Authorization: Bearer <token>` only
 * @example { cookie: '__session' }                        // a named cookie only
 * @example { authorization: true, cookie: '__session' }  // either; both must then carry the same token
 */
export interface TokenLocation {
  /** Read `Authorization: Bearer <token>`. @default false (when `from` is given) */
  authorization?: boolean;
  /** Read the cookie of this name. @default undefined (no cookie) */
  cookie?: string;
}

/** What the request carried. */
export type TokenRead =
  | { status: 'none' }
  | { status: 'found'; token: string; source: TokenSource }
  | { status: 'rejected'; reason: TokenRejection; source: TokenSource };

// A JWS in compact form: three base64url segments, the signature not empty.
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// A JWE in compact form has five segments (the second, the encrypted key, is empty with "dir").
const JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer(?: +(\S*))?$/i;
// RFC 6265 cookie-name characters (a token); checked when the resolver is created.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Throws a `TypeError` unless `name` can be a cookie name. */
export function checkCookieName(name: string, option: string): void {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new TypeError(`${option} must be a cookie name such as '__session' (got ${JSON.stringify(name)}).`);
  }
}

function shapeOf(token: string, maxBytes: number): TokenRejection | undefined {
  // Length before any parsing: an oversized token costs one comparison.
  if (token.length > maxBytes) return 'too_large';
  if (JWS.test(token)) return undefined;
  return JWE.test(token) ? 'encrypted' : 'malformed';
}

/** Every value of the cookie `name` in a `Cookie` header (browsers send duplicates from sibling domains). */
function cookieValues(header: string, name: string): string[] {
  const values: string[] = [];
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    let value = part.slice(separator + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

/**
 * Reads the token from the configured places, bounded and without parsing it. Two different
 * tokens (header and cookie, or two cookies of one name — a cookie planted by a sibling
 * subdomain) are a `conflict`: the request is refused rather than guessing which one speaks.
 */
export function readToken(
  request: Request,
  location: { authorization: boolean; cookie: string | undefined },
  maxBytes: number,
): TokenRead {
  const found: { token: string; source: TokenSource }[] = [];
  if (location.authorization) {
    const header = request.headers.get('authorization');
    if (header !== null) {
      // Only the Bearer scheme is ours; another scheme (Basic, a service's own) is not a token here.
      const match = BEARER.exec(header.trim());
      if (match) found.push({ token: match[1] ?? '', source: 'authorization' });
    }
  }
  if (location.cookie !== undefined) {
    const header = request.headers.get('cookie');
    if (header !== null) {
      for (const value of cookieValues(header, location.cookie)) found.push({ token: value, source: 'cookie' });
    }
  }
  if (found.length === 0) return { status: 'none' };
  const [first] = found as [{ token: string; source: TokenSource }];
  for (const other of found) {
    if (other.token !== first.token) return { status: 'rejected', reason: 'conflict', source: other.source };
  }
  const reason = shapeOf(first.token, maxBytes);
  return reason === undefined ? { status: 'found', ...first } : { status: 'rejected', reason, source: first.source };
}
