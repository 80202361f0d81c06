import type { AnyAgent } from '../agent';
import type { TenantContext } from '../tenant';
import type { ExecutorContext } from './executor-context';
import { type LiveAvailability, liveAvailability } from './live-availability';
import { fromUserCode, seeServerLog } from './user-code';

/** The kill switch for this tenant. A `live.enabled` function that throws is a `userCodeFailure`. */
export function isLiveEnabled(context: ExecutorContext, tenant: TenantContext): boolean {
  const enabled = context.options.live?.enabled ?? true;
  if (typeof enabled !== 'function') return enabled;
  try {
    return enabled(tenant) === true;
  } catch (thrown) {
    throw fromUserCode(thrown, seeServerLog('The live-mode switch (`live.enabled`) failed, so live mode cannot run'));
  }
}

/** The kill switch for a listing: a switch that throws shows live as unavailable (fail closed), and is logged. */
export function liveSwitch(context: ExecutorContext, tenant: TenantContext): LiveAvailability {
  try {
    return isLiveEnabled(context, tenant) ? { available: true } : { available: false, reason: context.liveReason };
  } catch (error) {
    context.report.log('live.enabled', error, { tenant_id: tenant.tenantId });
    return { available: false, reason: seeServerLog('Live mode could not be checked') };
  }
}

/** Without an agent: the kill switch alone. With one: {@link liveAvailability}, as everywhere. */
export function liveStatus(
  context: ExecutorContext,
  tenant: TenantContext,
  agent?: AnyAgent,
  live: LiveAvailability = liveSwitch(context, tenant),
): LiveAvailability {
  if (!live.available || !agent) return live;
  return liveAvailability({ enabled: true, disabledReason: context.liveReason, providers: context.providers, agent });
}
