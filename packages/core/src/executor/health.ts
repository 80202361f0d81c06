import { AgentryError } from '../errors';
import { raceAbort } from '../internal/delay';
import type { ProviderAdapter, ProviderHealth } from '../providers';
import type { TenantContext } from '../tenant';
import type { ExecutorContext } from './executor-context';
import { liveAvailability } from './live-availability';
import { isLiveEnabled } from './live-switch';
import type { HealthReport } from './types';

/** Options of `executor.health()`. */
export interface HealthOptions {
  /** How long each provider's check may take. @default 2000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Answers a per-tenant kill switch for this tenant. */
  tenant?: TenantContext;
}

type HealthEntry = Omit<ProviderHealth, 'live'>;

/** One provider's check, bounded by `timeoutMs`; a check that throws reads as `down`, generically. */
async function checkProvider(
  context: ExecutorContext,
  key: string,
  provider: ProviderAdapter,
  options: HealthOptions,
  timeoutMs: number,
): Promise<HealthEntry> {
  if (!provider.health) return { status: 'ok', configured: true };
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new AgentryError('timeout', `Health check timed out after ${timeoutMs} ms.`)),
    timeoutMs,
  );
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const started = globalThis.performance.now();
  try {
    const result = await raceAbort(provider.health({ signal: controller.signal }), controller.signal);
    return { ...result, message: result.message && context.redactor.redactString(result.message) };
  } catch (error) {
    // A provider's own error says what is wrong; anything else (a custom provider's bug, a raw
    // network error naming internal hosts) is logged and reported generically.
    const reported = context.report.error('health', error, `The "${key}" provider's health check failed`, {
      provider: key,
    });
    return {
      status: 'down',
      configured: true,
      latencyMs: Math.round(globalThis.performance.now() - started),
      message: reported.message,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Every provider's health, each provider's live availability, and the overall status. */
export async function health(context: ExecutorContext, options: HealthOptions = {}): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const { providers, liveReason } = context;
  const entries = await Promise.all(
    Object.entries(providers).map(
      async ([key, provider]) => [key, await checkProvider(context, key, provider, options, timeoutMs)] as const,
    ),
  );
  const enabled = context.options.live?.enabled ?? true;
  // A per-tenant switch is answered for the caller's tenant when there is one; without one,
  // each provider's `live` says what the configuration allows.
  const liveEnabled =
    typeof enabled !== 'function' ? enabled : options.tenant ? isLiveEnabled(context, options.tenant) : true;
  const providerHealth = Object.fromEntries(
    entries.map(([key, value]) => {
      const entry: Record<string, unknown> = Object.fromEntries(
        Object.entries(value).filter(([, v]) => v !== undefined),
      );
      if (key !== 'mock') {
        entry.live = liveAvailability({
          enabled: liveEnabled,
          disabledReason: liveReason,
          providers,
          providerKey: key,
        });
      }
      return [key, entry];
    }),
  ) as unknown as HealthReport['providers'];
  const statuses = Object.values(providerHealth).map((value) => value.status);
  const status: HealthReport['status'] =
    providerHealth.mock?.status !== 'ok' ? 'down' : statuses.every((value) => value === 'ok') ? 'ok' : 'degraded';
  return {
    status,
    // A per-tenant switch cannot be answered without a tenant: say so rather than claim "on".
    live:
      typeof enabled === 'function' && !options.tenant
        ? { enabled: 'per-tenant' }
        : liveEnabled
          ? { enabled: true }
          : { enabled: false, reason: liveReason },
    providers: providerHealth,
    checkedAt: new Date().toISOString(),
  };
}
