import { logUnexpectedError } from '../internal/unexpected-error';
import type { Logger, Redactor } from '../logging';

/** Cross-origin access for browsers on other origins. Off unless configured; no wildcard. */
export interface CorsOptions {
  /**
   * The origins allowed to call the handler, exactly as browsers send them
   * (`https://app.example.com`, no trailing slash), or a predicate. A predicate must return
   * `true` to allow (a promise or any other value denies); one that throws denies and is logged.
   * @example ['https://app.example.com', 'http://localhost:3000']
   */
  origins: readonly string[] | ((origin: string) => boolean);
  /** Allow cookies and `Authorization` from those origins (`Access-Control-Allow-Credentials`). @default false */
  credentials?: boolean;
  /** Request headers a browser may send. @default ['content-type', 'authorization', 'accept'] */
  allowHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer, in seconds. @default 600 */
  maxAgeSeconds?: number;
}

/** Whether `origin` may call, under `cors`. */
export function isAllowedOrigin(cors: CorsOptions, origin: string): boolean {
  return typeof cors.origins === 'function' ? cors.origins(origin) : cors.origins.includes(origin);
}

/** The CORS headers for an actual (non-preflight) response; empty when the origin is not allowed. */
export function corsHeaders(cors: CorsOptions | undefined, origin: string | null): Record<string, string> {
  if (cors === undefined || origin === null || !isAllowedOrigin(cors, origin))
    return cors === undefined ? {} : { vary: 'Origin' };
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'retry-after',
    vary: 'Origin',
  };
  if (cors.credentials === true) headers['access-control-allow-credentials'] = 'true';
  return headers;
}

/** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) for a route allowing `methods`. */
export function preflightResponse(cors: CorsOptions, origin: string | null, methods: readonly string[]): Response {
  const headers = corsHeaders(cors, origin);
  if (headers['access-control-allow-origin'] !== undefined) {
    headers['access-control-allow-methods'] = methods.join(', ');
    headers['access-control-allow-headers'] = (cors.allowHeaders ?? ['content-type', 'authorization', 'accept']).join(
      ', ',
    );
    headers['access-control-max-age'] = String(cors.maxAgeSeconds ?? 600);
  }
  return new Response(null, { status: 204, headers });
}

/**
 * CORS options whose `origins` predicate (your code) cannot break a request: one that throws
 * denies the origin (fail closed), and what it threw is logged, redacted, never answered.
 */
export function guardedCors(
  cors: CorsOptions | undefined,
  logger: Logger,
  redactor: Redactor,
): CorsOptions | undefined {
  const origins = cors?.origins;
  if (cors === undefined || typeof origins !== 'function') return cors;
  return {
    ...cors,
    origins: (origin) => {
      try {
        return origins(origin) === true;
      } catch (error) {
        logUnexpectedError(logger, redactor, 'agentry.user_code.failed', error, { site: 'cors.origins' });
        return false;
      }
    },
  };
}
