import type { ExecutionMode } from '../../agent';
import type { SerializedAgentryError } from '../../errors';
import { AgentryError, deserializeError, isAgentryError } from '../../errors';
import { limitStream, readBytesWithin } from '../../internal/bounded-body';
import { toRecord } from '../../internal/headers';
import { logUnexpectedError } from '../../internal/unexpected-error';
import { createRedactor } from '../../logging/redact';
import { type Secret, toSecret } from '../../logging/secret';
import {
  EVENT_STREAM_CONTENT_TYPE,
  EXECUTION_RECORD,
  type ExecutionResult,
  errorFromFailure,
  errorFromResponse,
  executionRequestBody,
  isEventStreamContentType,
  JSON_CONTENT_TYPE,
  readExecutionEvents,
  routePath,
} from '../../protocol';
import type { TenantContext } from '../../tenant';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from '../types';
import { mapRemoteError } from './map-remote-error';
import { providerEventsOf, textOf } from './remote-events';
import { remoteHealth } from './remote-health';
import { finishOf, usageOf } from './remote-metrics';

/** Header values as `fetch` takes them; `undefined` values are left out. */
export type RemoteHeadersValue = HeadersInit | Record<string, string | undefined>;

/** Options for {@link remoteProvider}. */
export interface RemoteProviderOptions {
  /**
   * Where the remote service's Agentry wire protocol is mounted (another Agentry server's
   * `basePath`, or your own service speaking the protocol).
   * @example 'https://agents.internal.example.com/api/agentry'
   */
  baseUrl: string | URL;
  /**
   * Headers for every call, or a function of the tenant the run is for. This is how tenant
   * identity travels: send a service credential plus the tenant, signed, and have the
   * remote's `resolveTenant` verify both (see docs/server.md, "Tenancy across services").
   * Put credential values in `secrets` too so they are redacted everywhere.
   * @default {}
   * @example (tenant) => ({ authorization: `Bearer ${serviceToken}`, 'x-agentry-tenant': sign(tenant) })
   */
  headers?: RemoteHeadersValue | ((tenant: TenantContext) => RemoteHeadersValue | Promise<RemoteHeadersValue>);
  /**
   * Also send the tenant id in this header, unsigned. Only for remotes that authenticate the
   * caller some other way (mTLS, a private network plus a service token in `headers`).
   * @default undefined (not sent)
   * @example 'x-agentry-tenant'
   */
  tenantHeader?: string;
  /**
   * The mode the remote runs in. The remote provider is only called for live runs here, so
   * `live` is the natural default; `mock` makes the remote answer from its own mocks (staging,
   * contract tests) while this side still exercises the whole live path.
   * @default 'live'
   */
  remoteMode?: ExecutionMode;
  /**
   * The remote agent id for a local agent's id.
   * @default (agentId) => agentId
   * @example (agentId) => `team-a.${agentId}`
   */
  agentId?: (agentId: string) => string;
  /** Stream with SSE (`text/event-stream`) rather than waiting for the JSON record. @default true */
  stream?: boolean;
  /** A fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Credential values to redact from logs, errors and responses (service tokens, signing keys). @default [] */
  secrets?: readonly (string | Secret)[];
  /** The provider id in metrics and logs. @default 'remote' */
  id?: string;
  /**
   * Largest answer read from the remote, in bytes: the JSON record, a problem document, the
   * whole event stream, or the health report. Counted while reading, so a remote that sends
   * too much is cut off (a non-retryable `provider_error`) before it fills this server's memory.
   * @default 4_194_304 (4 MiB)
   */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * A provider that runs agents on a remote service speaking Agentry's wire protocol (an
 * Agentry server is one): the slot where the original product called its Python agents
 * service. It POSTs `{ input, mode }` to `/agents/:id/executions`, streams the remote's
 * events back as provider events, and maps the remote's problems to Agentry errors.
 * Plain `fetch`, with no retries or timeouts of its own: the executor's one policy governs
 * both, and `context.signal` aborts the HTTP request (which cancels the remote run).
 */
export function remoteProvider(options: RemoteProviderOptions): ProviderAdapter {
  const id = options.id ?? 'remote';
  const prefix = String(options.baseUrl).replace(/\/+$/, '');
  const remoteMode = options.remoteMode ?? 'live';
  const useStream = options.stream ?? true;
  const agentIdFor = options.agentId ?? ((agentId: string) => agentId);
  const secrets = (options.secrets ?? []).map((value) => toSecret(value)).filter((value) => value !== undefined);
  const redactor = createRedactor(secrets);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const tooLarge = () =>
    new AgentryError(
      'provider_error',
      `The remote answered more than ${maxResponseBytes} bytes, so the answer was cut off. If such answers are expected, raise remoteProvider({ maxResponseBytes }).`,
      { provider: id, retryable: false },
    );

  const fetchImplementation =
    options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function headersFor(tenant: TenantContext): Promise<Record<string, string>> {
    const configured = options.headers;
    const resolved =
      configured === undefined ? {} : typeof configured === 'function' ? await configured(tenant) : configured;
    const out = toRecord(resolved);
    if (options.tenantHeader !== undefined) out[options.tenantHeader] = tenant.tenantId;
    return out;
  }

  function failure(error: unknown, url: string, context: ProviderContext): AgentryError {
    if (context.signal.aborted) {
      const reason: unknown = context.signal.reason;
      return isAgentryError(reason)
        ? reason
        : new AgentryError('cancelled', 'The remote call was cancelled.', { provider: id });
    }
    if (!isAgentryError(error)) {
      logUnexpectedError(context.logger, redactor, 'agentry.provider.network_error', error, { provider: id });
    }
    // Problems the remote answered were re-coded for this side where they were read (`post`);
    // network failures and our own stream errors are phrased for it here.
    return errorFromFailure(error, { url, provider: id, networkCode: 'provider_error', timeoutMs: false });
  }

  /** The body, read up to `maxResponseBytes` (a larger declared `Content-Length` is refused unread). */
  async function readBody(response: Response): Promise<Uint8Array> {
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    return readBytesWithin(response.body, maxResponseBytes, tooLarge);
  }

  /** The body as JSON, or `undefined` when it is not JSON. Read errors (too large, a cut connection) throw. */
  async function readJson(response: Response): Promise<unknown> {
    const text = new TextDecoder().decode(await readBody(response));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  /** POSTs the run. A non-2xx answer becomes the remote's error, re-coded for this side. */
  async function post(path: string, request: ProviderRequest, context: ProviderContext, accept?: string) {
    const url = `${prefix}/${path}`;
    try {
      const headers = new Headers(await headersFor(context.tenant));
      headers.set('content-type', JSON_CONTENT_TYPE);
      headers.set('accept', accept ?? JSON_CONTENT_TYPE);
      const response = await fetchImplementation(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(executionRequestBody({ input: request.input, mode: remoteMode, seed: request.seed })),
        signal: context.signal,
      });
      if (response.ok) return response;
      // An error body is read up to maxResponseBytes, like every other answer.
      const data = await readJson(response).catch((error: unknown) => {
        if (context.signal.aborted) throw error;
        return undefined;
      });
      throw mapRemoteError(errorFromResponse(response, data, id, url), id);
    } catch (error) {
      throw failure(error, url, context);
    }
  }

  function pathFor(request: ProviderRequest): string {
    return routePath({ name: 'execute', agentId: agentIdFor(request.agentId) });
  }

  async function execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse> {
    const path = pathFor(request);
    const url = `${prefix}/${path}`;
    const answer = await post(path, request, context);
    let data: unknown;
    try {
      data = await readJson(answer);
    } catch (error) {
      throw failure(error, url, context);
    }
    if (!EXECUTION_RECORD.is(data)) {
      throw new AgentryError(
        'provider_error',
        `The remote at ${url} answered ${answer.status} without an execution record. Check baseUrl.`,
        { provider: id, retryable: false },
      );
    }
    const record: ExecutionResult = data;
    if (record.status !== 'succeeded') {
      const error = mapRemoteError(
        deserializeError({ ...record.error, executionId: record.id } as SerializedAgentryError),
        id,
      );
      // The remote's model may have answered (and billed) before the run failed: keep its usage.
      const billed = usageOf(record.metrics);
      if (billed === undefined) throw error;
      return { text: '', usage: billed, ...finishOf(record.metrics), requestId: record.id, error };
    }
    const response: ProviderResponse = {
      text: textOf(record.output),
      usage: usageOf(record.metrics) ?? null,
      ...finishOf(record.metrics),
      model: record.metrics.model,
      requestId: record.id,
    };
    if (typeof record.output !== 'string') response.object = record.output;
    if (Array.isArray(record.steps)) response.steps = record.steps;
    return response;
  }

  async function* stream(request: ProviderRequest, context: ProviderContext): AsyncGenerator<ProviderEvent> {
    const path = pathFor(request);
    const url = `${prefix}/${path}`;
    const response = await post(path, request, context, EVENT_STREAM_CONTENT_TYPE);
    const type = response.headers.get('content-type') ?? '';
    if (!isEventStreamContentType(type) || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw new AgentryError(
        'provider_error',
        `The remote at ${url} answered "${type || 'no content type'}" instead of an event stream. Check baseUrl.`,
        { provider: id, retryable: false },
      );
    }
    try {
      const events = readExecutionEvents(limitStream(response.body, maxResponseBytes, tooLarge), {
        failureCode: 'provider_error',
        provider: id,
      });
      yield* providerEventsOf(events, id);
    } catch (error) {
      throw failure(error, url, context);
    }
  }

  const healthOptions = {
    url: `${prefix}/${routePath({ name: 'health' })}`,
    provider: id,
    remoteMode,
    fetch: fetchImplementation,
    readJson,
  };

  const adapter: ProviderAdapter = {
    specificationVersion: 'v1',
    id,
    secrets,
    execute,
    health: (context: { signal: AbortSignal }) => remoteHealth(healthOptions, context.signal),
    ...(useStream ? { stream } : {}),
  };
  return adapter;
}
