import { AgentryError } from '../../errors';
import { boundedSignal } from '../../internal/bounded-signal';
import { readEnvironment } from '../../internal/read-environment';
import { createRedactor, type Redactor, type Secret, toSecret } from '../../logging';
import type { ProviderHealth } from '../types';
import { type ServerLabel, serverLabel } from './server-label';

/** The parts of an official SDK client the shared setup reads. */
interface SdkClient {
  apiKey?: unknown;
  baseURL?: string;
}

/** What {@link sdkProviderSetup} needs: the user's options and the vendor's facts. */
export interface SdkProviderSetupOptions<TClient extends SdkClient> {
  /** The provider id (`openai`, or the user's `id`). */
  id: string;
  apiKey?: string | Secret | undefined;
  client?: TClient | undefined;
  baseURL?: string | undefined;
  name?: string | undefined;
  /** Bound on `health()`'s check. */
  healthTimeoutMs?: number | undefined;
  vendor: {
    /** `OpenAI`, `Anthropic`. */
    label: string;
    /** The environment variable holding the key (`OPENAI_API_KEY`). */
    environmentKey: string;
    /** The factory's name, for messages (`openaiProvider`). */
    factory: string;
    defaultBaseURL: string;
    /** How errors name the vendor's own API. */
    server: ServerLabel;
  };
  /**
   * Builds the client with the revealed key and the explicit base URL. The SDK's own retries
   * must be off (`maxRetries: 0`): the executor's one retry policy governs.
   */
  createClient(apiKey: string, baseURL: string): TClient;
}

/** What the two SDK providers share: their secrets, their server's name, the lazily built client, `health()`. */
export interface SdkProviderSetup<TClient> {
  id: string;
  secrets: Secret[];
  redactor: Redactor;
  /** Whether a key or a client was given. */
  configured: boolean;
  server: ServerLabel;
  /** The client, built on first use (so a fetch interceptor installed later still applies). */
  getClient(): TClient;
  /**
   * A `health()` that runs `check` (a cheap authenticated call such as listing models) within
   * the health timeout; `degraded`, with its message, when `degraded` gives one for the error
   * (the server answers but lacks the route).
   */
  health(
    check: (client: TClient, signal: AbortSignal) => Promise<unknown>,
    toError: (error: unknown, signal: AbortSignal) => AgentryError,
    degraded?: (error: AgentryError) => string | undefined,
  ): (context: { signal: AbortSignal }) => Promise<ProviderHealth>;
}

/** The setup the OpenAI and Anthropic providers share: key as a {@link Secret}, client, server name, health. */
export function sdkProviderSetup<TClient extends SdkClient>(
  options: SdkProviderSetupOptions<TClient>,
): SdkProviderSetup<TClient> {
  const { id, vendor } = options;
  const apiKey = toSecret(options.apiKey ?? (options.client ? undefined : readEnvironment(vendor.environmentKey)));
  // A passed client's key is redacted too, though Agentry never sends it anywhere itself.
  const clientKey =
    options.client && typeof options.client.apiKey === 'string' ? toSecret(options.client.apiKey) : undefined;
  const secrets = [apiKey, clientKey].filter((secret): secret is Secret => secret !== undefined);
  const redactor = createRedactor(secrets);
  const configured = options.client !== undefined || apiKey !== undefined;
  const healthTimeoutMs = options.healthTimeoutMs ?? 2000;
  const server = serverLabel({
    name: options.name,
    baseURL: options.baseURL ?? options.client?.baseURL,
    defaultBaseURL: vendor.defaultBaseURL,
    vendor: vendor.server.name,
    vendorAuthHint: vendor.server.authHint,
    otherAuthHint: `Check the API key this server expects (the apiKey option, or ${vendor.environmentKey}).`,
  });
  let client = options.client;

  function getClient(): TClient {
    if (client) return client;
    if (!apiKey) {
      throw new AgentryError(
        'provider_not_configured',
        `The ${vendor.label} provider has no API key. Set ${vendor.environmentKey} or pass ${vendor.factory}({ apiKey }) or a client.`,
        { provider: id },
      );
    }
    // The base URL is always explicit, so an environment variable (OPENAI_BASE_URL,
    // ANTHROPIC_BASE_URL) cannot redirect requests behind the host's back.
    client = options.createClient(apiKey.reveal(), options.baseURL ?? vendor.defaultBaseURL);
    return client;
  }

  function health(
    check: (client: TClient, signal: AbortSignal) => Promise<unknown>,
    toError: (error: unknown, signal: AbortSignal) => AgentryError,
    degraded: (error: AgentryError) => string | undefined = () => undefined,
  ) {
    return async (context: { signal: AbortSignal }): Promise<ProviderHealth> => {
      if (!configured) {
        return {
          status: 'unconfigured',
          configured: false,
          message: `No ${vendor.label} API key: set ${vendor.environmentKey} or pass ${vendor.factory}({ apiKey }).`,
        };
      }
      const bounded = boundedSignal(context.signal, healthTimeoutMs, 'health check timed out');
      const started = performance.now();
      try {
        await check(getClient(), bounded.signal);
        return { status: 'ok', configured: true, latencyMs: Math.round(performance.now() - started) };
      } catch (thrown) {
        const latencyMs = Math.round(performance.now() - started);
        if (bounded.signal.aborted) {
          const message = `${server.name} did not answer within ${healthTimeoutMs} ms.`;
          return { status: 'down', configured: true, latencyMs, message };
        }
        const mapped = toError(thrown, bounded.signal);
        const degradedMessage = degraded(mapped);
        if (degradedMessage !== undefined)
          return { status: 'degraded', configured: true, latencyMs, message: degradedMessage };
        return { status: 'down', configured: true, latencyMs, message: mapped.message };
      } finally {
        bounded.dispose();
      }
    };
  }

  return { id, secrets, redactor, configured, server, getClient, health };
}

/** The client options both SDKs take alike: retries off (the executor's policy governs), quiet, a backstop timeout. */
export function sdkClientOptions(options: {
  clientTimeoutMs?: number | undefined;
  defaultHeaders?: Record<string, string> | undefined;
  fetch?: typeof fetch | undefined;
}) {
  return {
    maxRetries: 0,
    timeout: options.clientTimeoutMs ?? 600_000,
    logLevel: 'off' as const,
    ...(options.defaultHeaders ? { defaultHeaders: options.defaultHeaders } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
}
