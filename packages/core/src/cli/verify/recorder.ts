import { PROBLEM_CONTENT_TYPE } from '../../protocol';
import type { SecretFinding, SecretScanner } from './secret-scan';

/** The phases of a verify run, each request tagged with one. */
export type Phase = 'preflight' | 'health' | 'mock' | 'live' | 'isolation' | 'errors' | 'load';

/** One request verify sent, and how it was answered. */
export interface Exchange {
  phase: Phase;
  method: string;
  /** Relative to `--url`, without the query string. */
  path: string;
  /** The HTTP status, or `undefined` when no answer came. */
  status: number | undefined;
  outcome: 'answered' | 'network-error' | 'timeout';
  /** The problem document's `code`, when the answer was one. */
  code?: string;
  /** Until the response headers arrived. */
  durationMs: number;
  /** A redirect's target (verify never follows one). */
  location?: string;
}

/** A credential or key shape found in an answer. */
export interface ResponseFinding extends SecretFinding {
  phase: Phase;
  method: string;
  path: string;
  /** `body` or the header's name. */
  where: string;
}

/** A raw answer, fully read. */
export interface ProbeResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The body parsed as JSON, or `undefined`. */
  json: unknown;
  durationMs: number;
}

export interface RecorderOptions {
  baseUrl: URL;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  scanner: SecretScanner;
}

/** Bodies longer than this are scanned up to here (a runaway stream must not exhaust memory). */
const MAX_SCANNED_BODY = 8 * 1_048_576;
/** Headers that name an auth scheme by design (`WWW-Authenticate: Bearer realm=…`) or set the caller's own session. */
const UNSCANNED_HEADERS = new Set(['set-cookie', 'www-authenticate']);

/**
 * Every request verify sends goes through here: it is timed, tagged with its phase, never
 * follows a redirect (verify talks to the given host only), and each answer's headers and
 * body are scanned for credentials, including streamed bodies, read on a copy.
 */
export function createRecorder(options: RecorderOptions) {
  const { scanner, now } = options;
  const prefix = options.baseUrl.href.replace(/\/+$/, '');
  const exchanges: Exchange[] = [];
  const findings: ResponseFinding[] = [];
  const pending = new Set<Promise<void>>();
  const scanned = { bodies: 0, bytes: 0 };
  let phase: Phase = 'preflight';

  function relative(url: string): string {
    const withoutQuery = url.split('?')[0] ?? url;
    return withoutQuery.startsWith(prefix) ? withoutQuery.slice(prefix.length) || '/' : withoutQuery;
  }

  function scanText(exchange: Exchange, where: string, text: string): void {
    for (const finding of scanner.scan(text)) {
      findings.push({ ...finding, phase: exchange.phase, method: exchange.method, path: exchange.path, where });
    }
  }

  function scanHeaders(exchange: Exchange, headers: Headers): void {
    headers.forEach((value, name) => {
      if (!UNSCANNED_HEADERS.has(name)) scanText(exchange, `header ${name}`, `${name}: ${value}`);
    });
  }

  function noteBody(exchange: Exchange, response: Response, text: string): void {
    scanned.bodies += 1;
    scanned.bytes += text.length;
    scanText(exchange, 'body', text);
    if (response.headers.get('content-type')?.startsWith(PROBLEM_CONTENT_TYPE)) {
      const code = codeOf(text);
      if (code !== undefined) exchange.code = code;
    }
  }

  async function exchange(
    url: string,
    init: RequestInit,
    tag: Phase,
  ): Promise<{ response: Response; exchange: Exchange }> {
    const method = (init.method ?? 'GET').toUpperCase();
    const record: Exchange = {
      phase: tag,
      method,
      path: relative(url),
      status: undefined,
      outcome: 'network-error',
      durationMs: 0,
    };
    exchanges.push(record);
    const started = now();
    try {
      const response = await options.fetch(url, { ...init, redirect: 'manual' });
      record.durationMs = now() - started;
      record.status = response.status;
      record.outcome = 'answered';
      const location = response.headers.get('location');
      if (location !== null) record.location = location;
      scanHeaders(record, response.headers);
      return { response, exchange: record };
    } catch (error) {
      record.durationMs = now() - started;
      if (isTimeout(error, init.signal)) record.outcome = 'timeout';
      throw error;
    }
  }

  /** A `fetch` for the typed client: answers pass through untouched; a copy of each body is scanned. */
  const recordingFetch: typeof fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const { response, exchange: record } = await exchange(url, init, phase);
    if (response.body !== null) {
      const copy = response.clone();
      const reading = readText(copy).then((text) => noteBody(record, response, text));
      pending.add(reading);
      void reading.finally(() => pending.delete(reading));
    }
    return response;
  };

  /** A raw request (a probe the typed client would never send), read to its end. Rejects on no answer. */
  async function send(
    path: string,
    init: RequestInit & { phase?: Phase; timeoutMs?: number } = {},
  ): Promise<ProbeResponse> {
    const url = path === '' ? prefix : `${prefix}/${path.replace(/^\/+/, '')}`;
    const timeout = AbortSignal.timeout(init.timeoutMs ?? options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const started = now();
    const { response, exchange: record } = await exchange(url, { ...init, signal }, init.phase ?? phase);
    const body = await readText(response);
    noteBody(record, response, body);
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, body, json, durationMs: now() - started };
  }

  return {
    fetch: recordingFetch,
    send,
    exchanges,
    findings,
    scanned,
    get phase() {
      return phase;
    },
    setPhase(next: Phase) {
      phase = next;
    },
    /** Waits for the copies of streamed bodies still being read (a cancelled stream ends its copy too). */
    async settle(): Promise<void> {
      await Promise.allSettled([...pending]);
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;

function isTimeout(error: unknown, signal: AbortSignal | null | undefined): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const reason = signal?.reason as { name?: unknown } | undefined;
  return name === 'TimeoutError' || reason?.name === 'TimeoutError';
}

/** The body as text, up to the scan limit; what arrived before an abort or a broken stream counts. */
async function readText(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.length > MAX_SCANNED_BODY) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch {
    // Aborted or broken: scan what came.
  }
  return text + decoder.decode();
}

function codeOf(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
