// Shared by the auth tests: locally generated keys, tokens signed like an identity provider's,
// a JWKS served from a loopback server that a test can rotate or break, and a logger that keeps
// what it was given. Node-only (tests run in Node); never imported by published code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { LogFields, Logger, LogLevel } from '../logging';
import { type Loopback, listen } from '../server/loopback.test-support';

export const ISSUER = 'https://id.example.test/';
export const AUDIENCE = 'https://api.example.test';

/** A locally generated signing key: the private half signs, the public half goes in the JWKS. */
export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK with `kid`, `alg` and `use: "sig"`, as a JWKS lists it. */
  jwk: JWK;
  /** The public key as SPKI PEM text (what an attacker would use as an HMAC secret). */
  pem: string;
}

/** Generates a key pair for `alg` (RS256, ES256, EdDSA, …). */
export async function testKey(alg = 'RS256', kid = `${alg.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, jwk, pem: await exportSPKI(publicKey) } satisfies TestKey;
}

/** What {@link signToken} signs. Claims default to a valid token for tenant `acme`, user `user_1`. */
export interface SignOptions {
  claims?: Record<string, unknown>;
  /** Default claims to leave out (`exp`, `iss`, …); `claims` may still set them. */
  omit?: readonly string[];
  /** Header fields to set or override (`alg`, `kid`, `typ`). */
  header?: Record<string, unknown>;
  /** Seconds since the epoch used for `iat`/`nbf`/`exp` defaults. @default now */
  now?: number;
}

/** A compact JWS signed with `key`, shaped like an identity provider's access token. */
export async function signToken(key: Pick<TestKey, 'alg' | 'kid' | 'privateKey'>, options: SignOptions = {}) {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const defaults: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user_1',
    org_id: 'acme',
    iat: now,
    nbf: now,
    exp: now + 600,
  };
  for (const claim of options.omit ?? []) delete defaults[claim];
  const payload = { ...defaults, ...options.claims };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header } as { alg: string })
    .sign(key.privateKey);
}

/** An HS256 token signed with `secret` (any bytes: a real secret, or a public key's PEM text). */
export async function signHmac(secret: Uint8Array, options: SignOptions = {}) {
  return signToken(
    {
      alg: options.header?.alg === undefined ? 'HS256' : String(options.header.alg),
      kid: 'hmac',
      privateKey: secret as unknown as CryptoKey,
    },
    options,
  );
}

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** An unsigned `alg: none` token (`header.payload.`), or with `signature` appended. */
export function unsignedToken(claims: Record<string, unknown>, signature = ''): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.${signature}`;
}

/** The token with its payload replaced (signature kept): what a tampering client sends. */
export function tamperPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
}

/** A request to the resolver with a bearer token and/or cookies. */
export function requestWith(options: { bearer?: string; cookie?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return new Request('https://app.example.test/api/agentry/agents', { headers });
}

/** A JWKS endpoint on 127.0.0.1 whose keys, status, body and headers a test changes at will. */
export interface JwksServer extends Loopback {
  url: string;
  /** The JWKs served under `{ keys }`. */
  keys: JWK[];
  /** Answer this status instead (with an empty body). */
  status: number | undefined;
  /** Answer this raw body instead of the key set. */
  body: string | undefined;
  /** Extra response headers (`cache-control`). */
  headers: Record<string, string>;
  /** Requests received. */
  hits: number;
}

/** Starts a {@link JwksServer}; close it in `afterEach`. */
export async function serveJwks(keys: JWK[] = []): Promise<JwksServer> {
  const state = { keys, status: undefined, body: undefined, headers: {}, hits: 0 } as Pick<
    JwksServer,
    'keys' | 'status' | 'body' | 'headers' | 'hits'
  >;
  const loopback = await listen((_request: IncomingMessage, response: ServerResponse) => {
    state.hits += 1;
    if (state.status !== undefined) {
      response.writeHead(state.status).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', ...state.headers });
    response.end(state.body ?? JSON.stringify({ keys: state.keys }));
  });
  return Object.assign(state, loopback, { url: `${loopback.origin}/.well-known/jwks.json` }) as JwksServer;
}

/** One log call. */
export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every call, and the calls as one JSON string to search. */
export function capturingLogger(): Logger & { entries: LogEntry[]; text(): string } {
  const entries: LogEntry[] = [];
  const at = (level: LogLevel) => (event: string, fields?: LogFields) => entries.push({ level, event, fields });
  return {
    entries,
    text: () => JSON.stringify(entries),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
