// `ProviderHealth` is still defined with the provider contract (providers/types.ts); it moves
// here once that contract settles (provider spec v1).
import type { ProviderHealth } from '../providers/types';

/** Overall health: the kill switch and each provider. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  /** The kill switch: on, off (with the reason), or decided per tenant by a function (answered when the caller has a tenant). */
  live: { enabled: boolean | 'per-tenant'; reason?: string };
  providers: Record<string, ProviderHealth>;
  checkedAt: string;
}
